import { z } from 'zod';

const count = z.number().int().nonnegative();

const engine = z.enum(['sqlite', 'postgres']);

/** One table's row count and checksum (`checksum --json`). */
export const TableSumSchema = z.object({ name: z.string(), rows: count, checksum: z.string() });

export type TableSum = z.infer<typeof TableSumSchema>;

/** A checksum result line (`checksum --json`). */
export const AppChecksumResultSchema = z.looseObject({ ok: z.boolean(), engine, tables: z.array(TableSumSchema) });

export type AppChecksumResult = z.infer<typeof AppChecksumResultSchema>;

/** One table of a sync/salvage: source and target counts and checksums, and whether they agree. */
export const SyncTableSchema = z.object({
  name: z.string(),
  sourceRows: count,
  targetRows: count,
  sourceChecksum: z.string(),
  targetChecksum: z.string(),
  ok: z.boolean(),
});

export type SyncTable = z.infer<typeof SyncTableSchema>;

/** A sync result line (`sync --json`, the forward migration). */
export const SyncResultSchema = z.looseObject({
  ok: z.boolean(),
  from: engine,
  to: engine,
  mode: z.enum(['mirror', 'upsert']),
  tables: z.array(SyncTableSchema),
  /** Tables missing on the source and left as they are on the target (--skip-missing). */
  skipped: z.array(z.string()).optional(),
  rows: count,
  durationMs: z.number(),
  copyMs: z.number(),
  verifyMs: z.number(),
  rowsPerSec: z.number(),
});

export type SyncResult = z.infer<typeof SyncResultSchema>;
