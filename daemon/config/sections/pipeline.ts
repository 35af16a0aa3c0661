import { z } from 'zod';

export const pipelineSchema = z
  .strictObject({
    analysis_queue_lines: z
      .number().int().min(1024).max(10_000_000).default(200_000)
      .describe('Lines (all ports) waiting for parsers and analyzers; beyond it lines are dropped from analysis and counted, never from the capture (lines)'),
    ingest_thread: z
      .enum(['worker', 'main'])
      .default('worker')
      .describe('Where ports are read, stamped and captured: "worker" = a thread of its own, so host-time stamps are not delayed by analysis, garbage collection or sinks; "main" = the same thread as everything else'),
  })
  .prefault({})
  .describe('The pipeline between the serial ports and the analyzers: queue bounds, threads');

export type PipelineConfig = z.infer<typeof pipelineSchema>;
