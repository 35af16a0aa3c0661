import * as grpc from '@grpc/grpc-js';
import { OtlpReceiver } from '../../helpers/otlp-receiver.ts';

/**
 * OTLP/gRPC receiver on 127.0.0.1 port 0: a real grpc-js server with the three collector
 * services (opentelemetry-proto collector/{trace,logs,metrics}/v1 `…Service/Export`),
 * taking the request bytes as they are and decoding them with the HTTP receiver's protobuf
 * schemas. (@grpc/grpc-js comes with the OTLP gRPC exporters.)
 */
export class OtlpGrpcReceiver {
  readonly received = new OtlpReceiver();
  readonly #server = new grpc.Server();
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    const services = [
      ['trace', 'TraceService', '/v1/traces'],
      ['logs', 'LogsService', '/v1/logs'],
      ['metrics', 'MetricsService', '/v1/metrics'],
    ] as const;
    for (const [pkg, service, path] of services) {
      const definition: grpc.ServiceDefinition = {
        Export: {
          path: `/opentelemetry.proto.collector.${pkg}.v1.${service}/Export`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (b: Buffer) => b,
          requestDeserialize: (b: Buffer) => b,
          // An empty Export…ServiceResponse is a valid (empty) protobuf message.
          responseSerialize: () => Buffer.alloc(0),
          responseDeserialize: (b: Buffer) => b,
        },
      };
      this.#server.addService(definition, {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          this.received.accept(path, 'application/grpc', call.request);
          callback(null, Buffer.alloc(0));
        },
      });
    }
    this.#port = await new Promise<number>((resolve, reject) =>
      this.#server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.tryShutdown(() => resolve()));
    this.#server.forceShutdown();
  }
}
