// `copy`: every mapped table PostgreSQL → SQLite, then verified per table. All tables are read in
// one REPEATABLE READ snapshot, so counts agree across tables; each table is written in its own
// SQLite transaction (a failed table is left as it was). mirror: the PostgreSQL checksum is taken
// from the very stream that was copied; the SQLite one from a fresh read-only connection after
// COMMIT. upsert (the recovery after a rollback, SQLite having served writes since): only the keys
// SQLite lacks are inserted, a key it has keeps SQLite's (newer) row, so contents are not compared:
// every PostgreSQL key of the snapshot is looked up in SQLite on a fresh connection instead.
import Database from 'better-sqlite3';
import type pg from 'pg';
import { sqliteChecksum, streamPostgres } from './checksum.ts';
import { startWriter } from './load.ts';
import type { TableMapping } from './mapping.ts';
import { parseLine } from './copy-text.ts';
import { checkOnSqlite, PG_SNAPSHOT_SQL, q, resolveAllOnPostgres, SchemaError, type ResolvedTable } from './resolve.ts';
import type { CopyResult, TableCopy } from './result.ts';

export interface CopyOptions {
  sqliteFile: string;
  tables: TableMapping[];
  /** Rows per batch handed to the SQLite writer. */
  batch: number;
  /** mirror (default): each table ends equal to PostgreSQL's. upsert: keys SQLite lacks inserted, its own rows kept. */
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
    const out = await resolveAllOnPostgres(client, tables);
    for (const r of out) checkOnSqlite(db, r);
    return out;
  } finally {
    db.close();
  }
}

export interface KeysFound {
  /** PostgreSQL's keys in the snapshot. */
  postgres: number;
  /** Of those, the keys SQLite holds. */
  found: number;
  /** The first few keys SQLite lacks, as COPY text. */
  missing: string[];
}

/**
 * Looks every PostgreSQL key of a table (converted as the copy converts it, in the copy's snapshot)
 * up in SQLite, on a fresh read-only connection: an upsert's verification. The key columns are bound
 * as the writer binds them, and compared with the SQLite column's own collation, as the conflict was.
 */
export async function keysFoundInSqlite(client: pg.ClientBase, t: ResolvedTable, file: string): Promise<KeysFound> {
  const cols = t.key.map((i) => t.columns[i]!);
  const keysOnly: ResolvedTable = { name: t.name, postgres: t.postgres, columns: cols, key: cols.map((_, j) => j) };
  const db = openExistingSqlite(file, true);
  try {
    const lookup = db.prepare(`SELECT 1 FROM ${q(t.name)} WHERE ${cols.map((c) => `${q(c.sqlite)} = ?`).join(' AND ')} LIMIT 1`).pluck();
    let found = 0;
    const missing: string[] = [];
    let rest: Buffer | undefined;
    const sum = await streamPostgres(client, keysOnly, (chunk) => {
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      const cut = buf.lastIndexOf(10);
      rest = cut + 1 < buf.length ? Buffer.from(buf.subarray(cut + 1)) : undefined;
      if (cut < 0) return;
      for (const line of buf.toString('utf8', 0, cut).split('\n')) {
        const params = parseLine(line).map((v, i) => (v === null ? null : cols[i]!.bind === 'integer' ? (v.length < 16 ? Number(v) : BigInt(v)) : cols[i]!.bind === 'real' ? Number(v) : v));
        if (lookup.get(params) !== undefined) found++;
        else if (missing.length < 3) missing.push(line);
      }
    });
    if (rest) throw new Error(`${t.name}: PostgreSQL's key stream ended without a newline`);
    return { postgres: sum.rows, found, missing };
  } finally {
    db.close();
  }
}

export async function copyTables(client: pg.ClientBase, opts: CopyOptions): Promise<CopyResult> {
  // The writer thread boots while the mapping is resolved.
  await using writer = startWriter(opts.sqliteFile);
  await client.query(PG_SNAPSHOT_SQL);
  try {
    const resolved = await resolveAll(client, opts.sqliteFile, opts.tables);
    const tables: TableCopy[] = [];
    for (const t of resolved) {
      const t0 = performance.now();
      opts.log(`copying ${t.postgres.schema}.${t.postgres.table} → ${t.name} (${t.columns.length} columns)`);
      const upsert = opts.mode === 'upsert';
      const { source, written, inserted, indexMs, commitMs } = await writer.load(client, t, opts.batch, (n) => opts.log(`  ${t.name}: ${n.toLocaleString('en')} rows`), upsert);
      const copyMs = performance.now() - t0;
      const db = openExistingSqlite(opts.sqliteFile, true);
      const stored = (() => {
        try {
          return sqliteChecksum(db, t);
        } finally {
          db.close();
        }
      })();
      const keys = upsert ? await keysFoundInSqlite(client, t, opts.sqliteFile) : undefined;
      const verifyMs = performance.now() - t0 - copyMs;
      const ok = written === source.rows && (keys ? keys.postgres === source.rows && keys.found === keys.postgres : source.rows === stored.rows && source.checksum === stored.checksum);
      tables.push({
        table: t.name,
        postgresTable: `${t.postgres.schema}.${t.postgres.table}`,
        ok,
        rows: { postgres: source.rows, sqlite: stored.rows },
        checksum: { postgres: source.checksum, sqlite: stored.checksum },
        copyMs: Math.round(copyMs),
        verifyMs: Math.round(verifyMs),
        ...(keys ? { keys: { postgres: keys.postgres, foundInSqlite: keys.found, inserted } } : {}),
      });
      if (keys) {
        const lacking = keys.missing.length ? `; missing: ${keys.missing.map((k) => JSON.stringify(k)).join(', ')}` : '';
        opts.log(`  ${ok ? 'verified' : 'MISMATCH'} ${t.name}: ${keys.found} of ${keys.postgres} PostgreSQL keys in SQLite (${inserted} inserted, ${written - inserted} kept SQLite's row), SQLite holds ${stored.rows} rows${lacking} (copy ${Math.round(copyMs)} ms, verify ${Math.round(verifyMs)} ms)`);
        continue;
      }
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
