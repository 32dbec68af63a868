// Streaming readers and writers per engine. Readers yield rows in primary-key order as arrays of
// column values; PostgreSQL is read and written with COPY (pg-copy-streams).
import { StringDecoder } from 'node:string_decoder';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { TableDef } from '../db/schema.ts';
import { formatRow, parseLine } from './copy-text.ts';

export type Row = (string | number | null)[];

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const cols = (t: TableDef) => t.columns.map((c) => q(c.name)).join(', ');

/** `WHERE pk <= maxId` for integer keys (a snapshot bound), nothing otherwise. */
function bound(t: TableDef, maxId: number | undefined, param: string): string {
  return maxId !== undefined && t.autoId ? ` WHERE ${q(t.pk)} <= ${param}` : '';
}

export function* sqliteRows(db: BetterSqlite3.Database, t: TableDef, maxId?: number): Generator<Row> {
  const stmt = db.prepare(`SELECT ${cols(t)} FROM ${q(t.name)}${bound(t, maxId, '?')} ORDER BY ${q(t.pk)}`).raw(true);
  const it = (maxId !== undefined && t.autoId ? stmt.iterate(maxId) : stmt.iterate()) as IterableIterator<Row>;
  yield* it;
}

/** Raw COPY text lines of a table in key order (C collation = SQLite's BINARY order). */
export async function* postgresLines(client: pg.PoolClient | pg.Client, t: TableDef, maxId?: number): AsyncGenerator<string> {
  const where = maxId !== undefined && t.autoId ? ` WHERE ${q(t.pk)} <= ${Math.floor(maxId)}` : '';
  const order = t.columns.find((c) => c.name === t.pk)?.type === 'text' ? `${q(t.pk)} COLLATE "C"` : q(t.pk);
  const stream = client.query(copyTo(`COPY (SELECT ${cols(t)} FROM ${q(t.name)}${where} ORDER BY ${order}) TO STDOUT`));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const l of lines) yield l;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/** Rows as COPY gives them: integers stay decimal strings (SQLite's INTEGER affinity stores them as integers). */
export async function* postgresRows(client: pg.PoolClient | pg.Client, t: TableDef, maxId?: number): AsyncGenerator<Row> {
  for await (const line of postgresLines(client, t, maxId)) yield parseLine(line);
}

export interface SqliteWriter {
  write(row: Row): void;
  /** Flushes buffered rows and rebuilds indexes dropped for the bulk load. */
  finish(): void;
}

const ROWS_PER_STATEMENT = 200;

/**
 * Inserts (mirror: after emptying the table) or upserts rows into SQLite inside the caller's
 * transaction. Rows go in multi-row statements; a mirror drops the table's secondary indexes for
 * the load and rebuilds them once at the end (far cheaper than maintaining them row by row).
 */
export function sqliteWriter(db: BetterSqlite3.Database, t: TableDef, mode: 'mirror' | 'upsert'): SqliteWriter {
  const indexes: string[] = [];
  if (mode === 'mirror') {
    db.prepare(`DELETE FROM ${q(t.name)}`).run();
    const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(t.name) as { name: string; sql: string }[];
    for (const ix of rows) {
      indexes.push(ix.sql);
      db.exec(`DROP INDEX ${q(ix.name)}`);
    }
  }
  const one = `(${t.columns.map(() => '?').join(', ')})`;
  const updates = t.columns.filter((c) => c.name !== t.pk).map((c) => `${q(c.name)} = excluded.${q(c.name)}`).join(', ');
  const sqlFor = (n: number) =>
    `INSERT INTO ${q(t.name)} (${cols(t)}) VALUES ${Array(n).fill(one).join(', ')}` +
    (mode === 'upsert' ? ` ON CONFLICT(${q(t.pk)}) DO UPDATE SET ${updates}` : '');
  const full = db.prepare(sqlFor(ROWS_PER_STATEMENT));
  const width = t.columns.length;
  const params: unknown[] = new Array(ROWS_PER_STATEMENT * width);
  let buffered = 0;
  return {
    write(row) {
      for (let i = 0; i < width; i++) params[buffered * width + i] = row[i];
      if (++buffered === ROWS_PER_STATEMENT) {
        full.run(params);
        buffered = 0;
      }
    },
    finish() {
      if (buffered > 0) db.prepare(sqlFor(buffered)).run(params.slice(0, buffered * width));
      buffered = 0;
      for (const sql of indexes) db.exec(sql);
    },
  };
}

/**
 * Writes rows into a PostgreSQL table with COPY: straight in for mirror (after TRUNCATE), through
 * a temporary table and INSERT ... ON CONFLICT for upsert. Caller holds the transaction.
 */
export async function postgresCopyIn(client: pg.PoolClient | pg.Client, t: TableDef, mode: 'mirror' | 'upsert', rows: AsyncIterable<Row> | Iterable<Row>): Promise<number> {
  let target = q(t.name);
  if (mode === 'mirror') {
    await client.query(`TRUNCATE ${q(t.name)}`);
  } else {
    target = q(`sync_${t.name}`);
    await client.query(`CREATE TEMP TABLE ${target} (LIKE ${q(t.name)} INCLUDING DEFAULTS) ON COMMIT DROP`);
  }
  const sink = client.query(copyFrom(`COPY ${target} (${cols(t)}) FROM STDIN`));
  let n = 0;
  let buf = '';
  const flush = async () => {
    if (!buf) return;
    const ok = sink.write(buf);
    buf = '';
    if (!ok) await new Promise<void>((r) => sink.once('drain', () => r()));
  };
  for await (const row of rows as AsyncIterable<Row>) {
    buf += formatRow(row);
    n++;
    if (buf.length > 256 * 1024) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => {
    sink.on('finish', () => resolve());
    sink.on('error', reject);
    sink.end();
  });
  if (mode === 'upsert') {
    const updates = t.columns.filter((c) => c.name !== t.pk).map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(', ');
    await client.query(`INSERT INTO ${q(t.name)} (${cols(t)}) SELECT ${cols(t)} FROM ${target} ON CONFLICT (${q(t.pk)}) DO UPDATE SET ${updates}`);
  }
  if (t.autoId) {
    // Identity columns must continue after the copied ids.
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT COALESCE(MAX(${q(t.pk)}), 0) FROM ${q(t.name)}), 1), (SELECT COUNT(*) > 0 FROM ${q(t.name)}))`, [
      t.name,
      t.pk,
    ]);
  }
  return n;
}
