// `copy`: every mapped table PostgreSQL → SQLite, then verified per table. All tables are read in
// one REPEATABLE READ snapshot, so counts agree across tables; each table is written in its own
// SQLite transaction (a failed table is left as it was). The PostgreSQL checksum is taken from the
// very stream that was copied; the SQLite one from a fresh read-only connection after COMMIT.
import Database from 'better-sqlite3';
import type pg from 'pg';
import { sqliteChecksum } from './checksum.ts';
import { startWriter } from './load.ts';
import type { TableMapping } from './mapping.ts';
import { checkOnSqlite, PG_SESSION_SQL, q, resolveOnPostgres, SchemaError, withMaxKey, type ResolvedTable } from './resolve.ts';
import type { CopyResult, TableCopy } from './result.ts';

export interface CopyOptions {
  sqliteFile: string;
  tables: TableMapping[];
  /** Rows per batch handed to the SQLite writer. */
  batch: number;
  /** mirror (default): each table ends equal to PostgreSQL's. upsert: rows keyed, SQLite-only rows kept. */
  mode?: 'mirror' | 'upsert';
  log: (line: string) => void;
}

export function openExistingSqlite(file: string, readonly = false): Database.Database {
  try {
    return new Database(file, { fileMustExist: true, readonly });
  } catch (err) {
    throw new SchemaError(`SQLite database ${file} cannot be opened (${(err as Error).message}); the copy fills an existing schema`);
  }
}

/** Resolves every table on both sides before anything is written: a bad mapping changes nothing. */
async function resolveAll(client: pg.ClientBase, file: string, tables: TableMapping[]): Promise<ResolvedTable[]> {
  const db = openExistingSqlite(file, true);
  try {
    const out: ResolvedTable[] = [];
    for (const t of tables) {
      const r = await resolveOnPostgres(client, t);
      checkOnSqlite(db, r);
      out.push(r);
    }
    return out;
  } finally {
    db.close();
  }
}

/** The rows an upsert is verified over: a single integer key up to PostgreSQL's largest (in the copy's snapshot); else the whole table. */
async function upsertScope(client: pg.ClientBase, t: ResolvedTable): Promise<ResolvedTable> {
  const key = t.key.length === 1 ? t.columns[t.key[0]!]! : undefined;
  if (!key || key.bind !== 'integer') return t;
  const r = await client.query<{ m: string | null }>(`SELECT max(${q(key.pg)})::text AS m FROM ${q(t.postgres.schema)}.${q(t.postgres.table)}`);
  return withMaxKey(t, r.rows[0]?.m ?? '-9223372036854775808');
}

export async function copyTables(client: pg.ClientBase, opts: CopyOptions): Promise<CopyResult> {
  // The writer thread boots while the mapping is resolved.
  await using writer = startWriter(opts.sqliteFile);
  await client.query(PG_SESSION_SQL);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const resolved = await resolveAll(client, opts.sqliteFile, opts.tables);
    const tables: TableCopy[] = [];
    for (const t of resolved) {
      const t0 = performance.now();
      opts.log(`copying ${t.postgres.schema}.${t.postgres.table} → ${t.name} (${t.columns.length} columns)`);
      const upsert = opts.mode === 'upsert';
      const { source, written, indexMs, commitMs } = await writer.load(client, t, opts.batch, (n) => opts.log(`  ${t.name}: ${n.toLocaleString('en')} rows`), upsert);
      // An upsert keeps SQLite's newer rows: with one integer key, verify PostgreSQL's key range only.
      const verified = upsert ? await upsertScope(client, t) : t;
      const copyMs = performance.now() - t0;
      const db = openExistingSqlite(opts.sqliteFile, true);
      const stored = (() => {
        try {
          return sqliteChecksum(db, verified);
        } finally {
          db.close();
        }
      })();
      const verifyMs = performance.now() - t0 - copyMs;
      const ok = source.rows === stored.rows && written === source.rows && source.checksum === stored.checksum;
      tables.push({
        table: t.name,
        postgresTable: `${t.postgres.schema}.${t.postgres.table}`,
        ok,
        rows: { postgres: source.rows, sqlite: stored.rows },
        checksum: { postgres: source.checksum, sqlite: stored.checksum },
        copyMs: Math.round(copyMs),
        verifyMs: Math.round(verifyMs),
      });
      opts.log(`  ${ok ? 'verified' : 'MISMATCH'} ${t.name}: ${source.rows} → ${stored.rows} rows, checksum ${source.checksum.slice(0, 12)} ${ok ? '=' : '≠'} ${stored.checksum.slice(0, 12)} (copy ${Math.round(copyMs)} ms of which index rebuild ${indexMs} ms and commit ${commitMs} ms, verify ${Math.round(verifyMs)} ms)`);
    }
    const rows = tables.reduce((n, t) => n + t.rows.postgres, 0);
    const copyMs = tables.reduce((n, t) => n + t.copyMs, 0);
    return {
      command: 'copy',
      ok: tables.every((t) => t.ok),
      tables,
      rows,
      copyMs,
      verifyMs: tables.reduce((n, t) => n + t.verifyMs, 0),
      rowsPerSec: copyMs > 0 ? Math.round(rows / (copyMs / 1000)) : 0,
      batch: opts.batch,
      mode: opts.mode ?? 'mirror',
    };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
