import { z } from 'zod';
import { alertsSchema } from './sections/alerts.ts';
import { analyzersSchema } from './sections/analyzers.ts';
import { boardSchema } from './sections/board.ts';
import { dataSchema } from './sections/data.ts';
import { driftSchema } from './sections/drift.ts';
import { httpSchema } from './sections/http.ts';
import { otelSchema } from './sections/otel.ts';
import { framingSchema, portSchema } from './sections/ports.ts';
import { pipelineSchema } from './sections/pipeline.ts';
import { prometheusSchema } from './sections/prometheus.ts';
import { rulesSchema } from './sections/rules.ts';
import { storeSchema } from './sections/store.ts';

/**
 * The whole configuration: one zod schema that is the validation (unknown keys are
 * errors), the TypeScript type (`Config`) and the documentation (every field `.describe`d;
 * `deploy/uartscope.example.yaml` mirrors it).
 */
export const configSchema = z.strictObject({
  ports: z.array(portSchema).default([]).describe('The serial ports to watch'),
  data: dataSchema,
  framing: framingSchema.prefault({}),
  pipeline: pipelineSchema,
  rules: rulesSchema,
  analyzers: analyzersSchema,
  drift: driftSchema,
  board: boardSchema,
  alerts: alertsSchema,
  store: storeSchema,
  http: httpSchema,
  otel: otelSchema,
  prometheus: prometheusSchema,
});

export type Config = z.infer<typeof configSchema>;
