// Copies every table the app owns from one engine to the other, streaming and batched, then
// verifies per-table row counts and checksums. mirror: the target ends equal to the source;
// upsert: source rows are inserted/updated by primary key and target-only rows are kept.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Engine } from '../config.ts';
import { TABLES, type TableDef } from '../db/schema.ts';
import { postgresChecksum, sqliteChecksum, type TableSum } from './checksum.ts';
import { loadTableIntoSqlite } from './sqlite-load.ts';
import { postgresCopyIn, postgresRows, sqliteRows, sqliteWriter, type Row } from './table-io.ts';

export type SyncMode = 'mirror' | 'upsert';

export interface TableResult {
  name: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

export interface SyncResult {
  ok: boolean;
  from: Engine;
  to: Engine;
  mode: SyncMode;
  tables: TableResult[];
  /** Tables missing on the source and left as they are on the target (--skip-missing). */
  skipped?: string[];
  rows: number;
  durationMs: number;
  copyMs: number;
  verifyMs: number;
  rowsPerSec: number;
}

export interface Endpoints {
  sqlite: BetterSqlite3.Database;
  /** File of `sqlite`: the PostgreSQL → SQLite copy writes through its own connection in a worker. */
  sqlitePath: string;
  postgres: pg.PoolClient | pg.Client;
}

const BATCH = 20_000;
const PIPELINE_MIN_ROWS = 100_000;

async function copyTable(ep: Endpoints, from: Engine, t: TableDef, mode: SyncMode, progress: (n: number) => void): Promise<{ rows: number; maxId?: number }> {
  let maxId: number | undefined;
  let n = 0;
  const track = (r: Row) => {
    if (t.autoId) maxId = Math.max(maxId ?? 0, Number(r[0]));
    if (++n % BATCH === 0) progress(n);
  };
  if (from === 'postgres') {
    // Big tables pipeline through a worker thread; for small ones its start-up costs more than it saves.
    const probe = await ep.postgres.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "${t.name}" LIMIT ${PIPELINE_MIN_ROWS}) s`);
    if (probe.rows[0].n >= PIPELINE_MIN_ROWS) return loadTableIntoSqlite(ep.postgres, ep.sqlitePath, t, mode, progress);
    const db = ep.sqlite;
    db.exec('BEGIN IMMEDIATE');
    try {
      const w = sqliteWriter(db, t, mode);
      for await (const r of postgresRows(ep.postgres, t)) {
        w.write(r);
        track(r);
      }
      w.finish();
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } else {
    await ep.postgres.query('BEGIN');
    try {
      await postgresCopyIn(
        ep.postgres,
        t,
        mode,
        (function* () {
          for (const r of sqliteRows(ep.sqlite, t)) {
            track(r);
            yield r;
          }
        })(),
      );
      await ep.postgres.query('COMMIT');
    } catch (err) {
      await ep.postgres.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return { rows: n, maxId };
}

async function sum(ep: Endpoints, engine: Engine, t: TableDef, maxId?: number): Promise<TableSum> {
  return engine === 'sqlite' ? sqliteChecksum(ep.sqlite, t, maxId) : postgresChecksum(ep.postgres, t, maxId);
}

/** Compares every table of two engines; with maxIds, only rows up to those keys count. */
export async function verifyTables(
  ep: Endpoints,
  from: Engine,
  to: Engine,
  maxIds: Map<string, number | undefined> = new Map(),
  tables: readonly TableDef[] = TABLES,
): Promise<TableResult[]> {
  const out: TableResult[] = [];
  for (const t of tables) {
    const bound = maxIds.get(t.name);
    const a = await sum(ep, from, t, bound);
    const b = await sum(ep, to, t, bound);
    out.push({ name: t.name, sourceRows: a.rows, targetRows: b.rows, sourceChecksum: a.checksum, targetChecksum: b.checksum, ok: a.rows === b.rows && a.checksum === b.checksum });
  }
  return out;
}

export async function syncDatabases(
  ep: Endpoints,
  opts: { from: Engine; to: Engine; mode: SyncMode; verifyOnly?: boolean; skipMissing?: boolean; progress?: (line: string) => void },
): Promise<SyncResult> {
  const progress = opts.progress ?? (() => undefined);
  const t0 = performance.now();
  let rows = 0;
  const maxIds = new Map<string, number | undefined>();
  const skipped = opts.skipMissing ? await missingTables(ep, opts.from) : [];
  for (const name of skipped) progress(`skipped ${name}: missing on ${opts.from}, left as it is on ${opts.to}`);
  const tables = TABLES.filter((t) => !skipped.includes(t.name));
  if (!opts.verifyOnly) {
    for (const t of tables) {
      const r = await copyTable(ep, opts.from, t, opts.mode, (n) => progress(`  ${t.name}: ${n} rows`));
      rows += r.rows;
      // upsert keeps target-only rows: verify the source's key range only.
      if (opts.mode === 'upsert') maxIds.set(t.name, t.autoId ? (r.maxId ?? 0) : undefined);
      progress(`copied ${t.name}: ${r.rows} rows`);
    }
  }
  const t1 = performance.now();
  const verified = await verifyTables(ep, opts.from, opts.to, maxIds, tables);
  const t2 = performance.now();
  const copyMs = t1 - t0;
  return {
    ok: verified.every((t) => t.ok),
    from: opts.from,
    to: opts.to,
    mode: opts.mode,
    tables: verified,
    ...(skipped.length ? { skipped } : {}),
    rows,
    durationMs: Math.round(t2 - t0),
    copyMs: Math.round(copyMs),
    verifyMs: Math.round(t2 - t1),
    rowsPerSec: copyMs > 0 ? Math.round(rows / (copyMs / 1000)) : 0,
  };
}

/** The app's tables that do not exist on an engine (a dropped table is an incident, not a schema). */
export async function missingTables(ep: Endpoints, engine: Engine): Promise<string[]> {
  const out: string[] = [];
  for (const t of TABLES) {
    const present =
      engine === 'sqlite'
        ? ep.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t.name) !== undefined
        : (await ep.postgres.query('SELECT to_regclass($1) IS NOT NULL AS present', [`public.${t.name}`])).rows[0].present === true;
    if (!present) out.push(t.name);
  }
  return out;
}
