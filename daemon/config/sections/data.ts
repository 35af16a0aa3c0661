import { z } from 'zod';

export const dataSchema = z.strictObject({
  dir: z.string().default('./uartscope-data').describe('Captures and state live here (overridden by --data)'),
  capture: z
    .strictObject({
      max_file_bytes: z.number().int().min(4096).default(64 * 1024 * 1024).describe('Rotate a capture file when it reaches this size (bytes); files also rotate at UTC midnight'),
      flush_interval_ms: z.number().int().min(10).max(200).default(100).describe('Buffered capture data is written to the file at least this often (ms); at most this much is lost on a crash'),
    })
    .prefault({}),
}).prefault({});
