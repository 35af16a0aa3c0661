import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface IngestBoard {
  readonly child: ChildProcess;
  /** Everything the board printed so far (`ready`, then `sent TOTAL n0,n1,…` at the end). */
  output(): string;
  /** Starts the traffic; resolves when the board has sent everything and unplugged. */
  run(): Promise<void>;
}

/** Starts bench/helpers/ingest-board.py and waits until its PORTS ptys exist in DIR (as p0 … pN-1). */
export async function startIngestBoard(dir: string, ports: number, baud: number, seconds: number): Promise<IngestBoard> {
  const script = fileURLToPath(new URL('./ingest-board.py', import.meta.url));
  const child = spawn('python3', ['-u', script, dir, String(ports), String(baud), String(seconds)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (!out.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`ingest board exited (${child.exitCode}) before it was ready`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    output: () => out,
    run: async () => {
      child.stdin!.write('go\n');
      await exited;
    },
  };
}
