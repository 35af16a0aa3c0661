import { z } from 'zod';

export const storeSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Keep boots, events, drift fits, port sessions and alerts in an embedded SQLite store (lines stay in the capture files)'),
    file: z.string().min(1).default('uartscope.db').describe('Store file; a relative path is taken inside data.dir'),
    retention_days: z.number().min(1 / 24).max(36_500).default(30).describe('Rows older than this are deleted at start and every prune_interval_secs (days)'),
    prune_interval_secs: z.number().int().min(60).max(7 * 86_400).default(3600).describe('How often old rows are pruned while running (s)'),
    drift_interval_secs: z
      .number()
      .min(0)
      .max(86_400)
      .default(10)
      .describe('At most one drift-fit row per series (port, boot, time source) per interval; the latest fit of each interval is kept (s; 0 keeps every fit)'),
    queue_capacity: z
      .number()
      .int()
      .min(16)
      .max(10_000_000)
      .default(65_536)
      .describe('Messages waiting to be written; when full the newest are dropped and counted, the bus never waits (messages)'),
    max_batch: z.number().int().min(1).max(100_000).default(2048).describe('Messages written per transaction at most (messages)'),
    seq_flush_interval_ms: z
      .number()
      .int()
      .min(50)
      .max(60_000)
      .default(1000)
      .describe('The last line seq of every port is saved this often, so a restarted daemon continues the numbering (ms)'),
  })
  .prefault({})
  .describe('Embedded history store (better-sqlite3, WAL)');

export type StoreConfig = z.infer<typeof storeSchema>;
