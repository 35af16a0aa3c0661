import { z } from 'zod';

export const pipelineSchema = z
  .strictObject({
    analysis_queue_lines: z
      .number().int().min(1024).max(10_000_000).default(200_000)
      .describe('Lines (all ports) waiting for parsers and analyzers; beyond it lines are dropped from analysis and counted, never from the capture (lines)'),
  })
  .prefault({})
  .describe('The pipeline between the serial ports and the analyzers: queue bounds');

export type PipelineConfig = z.infer<typeof pipelineSchema>;
