// The --json result line of every drill-data command, as zod schemas: the harness (or anyone)
// validates what it parses with these instead of casting.
import { z } from 'zod';

export const TableSumSchema = z.object({ table: z.string(), rows: z.number().int().nonnegative(), checksum: z.string().regex(/^[0-9a-f]{64}$/) });
export type TableSumResult = z.infer<typeof TableSumSchema>;

export const TableCopySchema = z.object({
  /** SQLite table name. */
  table: z.string(),
  postgresTable: z.string(),
  ok: z.boolean(),
  rows: z.object({ postgres: z.number().int().nonnegative(), sqlite: z.number().int().nonnegative() }),
  checksum: z.object({ postgres: z.string(), sqlite: z.string() }),
  copyMs: z.number().nonnegative(),
  verifyMs: z.number().nonnegative(),
  /**
   * upsert only: PostgreSQL's keys, how many of them SQLite holds after the copy (ok when all), and
   * how many the copy inserted (the others kept SQLite's row). rows.sqlite is then the whole table.
   */
  keys: z.object({ postgres: z.number().int().nonnegative(), foundInSqlite: z.number().int().nonnegative(), inserted: z.number().int().nonnegative() }).optional(),
});
export type TableCopy = z.infer<typeof TableCopySchema>;

export const CopyResultSchema = z.object({
  command: z.literal('copy'),
  ok: z.boolean(),
  tables: z.array(TableCopySchema),
  /** Rows copied over all tables. */
  rows: z.number().int().nonnegative(),
  copyMs: z.number().nonnegative(),
  verifyMs: z.number().nonnegative(),
  /** rows / copyMs (the copy alone; verification is verifyMs). */
  rowsPerSec: z.number().nonnegative(),
  batch: z.number().int().positive(),
  /** mirror: tables replaced, verified by counts and checksums; upsert: keys SQLite lacks inserted, its rows kept, verified by every PostgreSQL key found in SQLite. */
  mode: z.enum(['mirror', 'upsert']).default('mirror'),
});
export type CopyResult = z.infer<typeof CopyResultSchema>;

export const ChecksumResultSchema = z.object({
  command: z.literal('checksum'),
  engine: z.enum(['postgres', 'sqlite']),
  tables: z.array(TableSumSchema),
});
export type ChecksumResult = z.infer<typeof ChecksumResultSchema>;

export const SalvageResultSchema = CopyResultSchema.extend({
  command: z.literal('salvage'),
  /** What was changed in the copy of the data directory so a server would start on it. */
  repairs: z.array(z.string()),
  database: z.string(),
});
export type SalvageResult = z.infer<typeof SalvageResultSchema>;

/** Printed once the proxy listens (it then runs until SIGTERM/SIGINT). */
export const ProxyReadySchema = z.object({
  command: z.literal('proxy'),
  listen: z.object({ host: z.string(), port: z.number().int() }),
  target: z.object({ host: z.string(), port: z.number().int() }),
  latencyMs: z.number().nonnegative(),
});
export type ProxyReady = z.infer<typeof ProxyReadySchema>;

/** `backup`: an online copy of a live SQLite file, checked on the copy (integrity_check, each mapped table). */
export const BackupResultSchema = z.object({
  command: z.literal('backup'),
  ok: z.boolean(),
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  integrity: z.string(),
  backupMs: z.number().nonnegative(),
  tables: z.array(TableSumSchema),
});
export type BackupResult = z.infer<typeof BackupResultSchema>;

export const ResultSchema = z.discriminatedUnion('command', [CopyResultSchema, ChecksumResultSchema, SalvageResultSchema, ProxyReadySchema, BackupResultSchema]);
export type Result = z.infer<typeof ResultSchema>;
