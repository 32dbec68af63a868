// Worker thread of a PostgreSQL → SQLite copy: decodes and parses the COPY text chunks the main
// thread forwards and inserts them into SQLite on its own connection, while the main thread keeps
// reading (and hashing) PostgreSQL's output. Two cores, two halves of the work. One worker serves
// every table of a copy (started before the first query, so its start-up is not on the clock).
// One transaction per table: the table is emptied, filled and its indexes rebuilt, then COMMIT (an
// upsert only inserts the keys SQLite lacks); any failure rolls the table back to what it held before.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Bind } from './convert.ts';
import { unescapeField } from './copy-text.ts';
import { q } from './resolve.ts';

export interface TableLoad {
  table: string;
  columns: string[];
  binds: Bind[];
  /**
   * Upsert by these SQLite key columns: only keys SQLite lacks are inserted; a key it has keeps
   * SQLite's row (it took writes after the rollback: newer than PostgreSQL's). Default: the table is replaced.
   */
  upsertKey?: string[];
}
export type LoadMessage = { begin: TableLoad } | { chunk: Uint8Array } | { end: true };
/** done: rows received, and how many of them were inserted (an upsert skips the keys SQLite has). */
export type LoadReply = { ack: number } | { done: true; rows: number; inserted: number; indexMs: number; commitMs: number } | { error: string };

const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
// A crash mid-copy rolls back from the journal; one fsync at COMMIT is what durability needs.
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -65536');
db.pragma('temp_store = MEMORY');

interface Current {
  t: TableLoad;
  width: number;
  rowsPerStatement: number;
  full: Database.Statement;
  sqlFor: (n: number) => string;
  params: unknown[];
  isInt: boolean[];
  isReal: boolean[];
  indexes: { name: string; sql: string }[];
  buffered: number;
  rows: number;
  inserted: number;
  /** Bytes after the last newline of the previous chunk (a row cut in two). */
  rest: Buffer | undefined;
}
let cur: Current | undefined;

function begin(t: TableLoad): Current {
  const width = t.columns.length;
  // Multi-row INSERTs: far fewer statement executions; kept under SQLite's 32766 bound parameters.
  const rowsPerStatement = Math.max(1, Math.min(100, Math.floor(32_000 / width)));
  db.exec('BEGIN IMMEDIATE');
  if (!t.upsertKey) db.prepare(`DELETE FROM ${q(t.table)}`).run();
  // Secondary indexes are dropped for the load and rebuilt once at the end (cheaper than row by row);
  // an upsert keeps them (the conflict target is one of them, and the table is not empty).
  const indexes = t.upsertKey ? [] : db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(t.table) as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX ${q(ix.name)}`);
  const one = `(${t.columns.map(() => '?').join(', ')})`;
  const onConflict = !t.upsertKey ? '' : ` ON CONFLICT (${t.upsertKey.map(q).join(', ')}) DO NOTHING`;
  const sqlFor = (n: number) => `INSERT INTO ${q(t.table)} (${t.columns.map(q).join(', ')}) VALUES ${Array(n).fill(one).join(', ')}${onConflict}`;
  return {
    t,
    width,
    rowsPerStatement,
    full: db.prepare(sqlFor(rowsPerStatement)),
    sqlFor,
    params: new Array(rowsPerStatement * width),
    isInt: t.binds.map((b) => b === 'integer'),
    isReal: t.binds.map((b) => b === 'real'),
    indexes,
    buffered: 0,
    rows: 0,
    inserted: 0,
    rest: undefined,
  };
}

/**
 * Writes the complete rows of a chunk. Hot loop of every copy: the rows are decoded at once (a
 * UTF-8 character never contains a newline byte, so cutting at the last one is safe) and split
 * into one flat field array; only a chunk with a backslash anywhere needs per-field unescaping.
 */
function writeChunk(c: Current, chunk: Uint8Array): number {
  let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (c.rest) buf = Buffer.concat([c.rest, buf]);
  const cut = buf.lastIndexOf(10);
  c.rest = cut + 1 < buf.length ? Buffer.from(buf.subarray(cut + 1)) : undefined;
  if (cut < 0) return 0;
  const body = buf.toString('utf8', 0, cut);
  const escaped = body.includes('\\');
  const flat = body.replaceAll('\n', '\t').split('\t');
  const { width, params, isInt, isReal } = c;
  if (flat.length % width !== 0) throw new Error(`near row ${c.rows + 1}: ${flat.length} fields is not a whole number of ${width}-column rows`);
  const rows = flat.length / width;
  for (let r = 0, k = 0; r < rows; r++) {
    const base = c.buffered * width;
    for (let i = 0; i < width; i++, k++) {
      const f = flat[k]!;
      const v = escaped && f.includes('\\') ? unescapeField(f) : f;
      // Integers bound as integers so any column affinity stores them as such; beyond 2^53, as BigInt.
      params[base + i] = v === null ? null : isInt[i] ? (v.length < 16 ? Number(v) : BigInt(v)) : isReal[i] ? Number(v) : v;
    }
    c.rows++;
    if (++c.buffered === c.rowsPerStatement) {
      c.inserted += c.full.run(params).changes;
      c.buffered = 0;
    }
  }
  return rows;
}

function end(c: Current): LoadReply {
  if (c.rest) throw new Error('COPY output ended without a newline');
  if (c.buffered > 0) c.inserted += db.prepare(c.sqlFor(c.buffered)).run(c.params.slice(0, c.buffered * c.width)).changes;
  const t0 = performance.now();
  for (const ix of c.indexes) db.exec(ix.sql);
  const t1 = performance.now();
  db.exec('COMMIT');
  return { done: true, rows: c.rows, inserted: c.inserted, indexMs: Math.round(t1 - t0), commitMs: Math.round(performance.now() - t1) };
}

parentPort!.on('message', (m: LoadMessage) => {
  try {
    if ('chunk' in m) {
      parentPort!.postMessage({ ack: writeChunk(cur!, m.chunk) } satisfies LoadReply);
    } else if ('begin' in m) {
      cur = begin(m.begin);
    } else {
      const reply = end(cur!);
      cur = undefined;
      parentPort!.postMessage(reply);
    }
  } catch (err) {
    cur = undefined;
    if (db.inTransaction) db.exec('ROLLBACK');
    parentPort!.postMessage({ error: (err as Error).message } satisfies LoadReply);
  }
});
