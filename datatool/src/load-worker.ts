// Worker thread of a PostgreSQL → SQLite copy: decodes and parses the COPY text chunks the main
// thread forwards and inserts them into SQLite on its own connection, while the main thread keeps
// reading (and hashing) PostgreSQL's output. Two cores, two halves of the work.
// One transaction per table: the table is emptied, filled and its indexes rebuilt, then COMMIT;
// any failure rolls the table back to what it held before.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Bind } from './convert.ts';
import { parseLine } from './copy-text.ts';
import { q } from './resolve.ts';

export interface LoadInit {
  file: string;
  table: string;
  columns: string[];
  binds: Bind[];
}
export type LoadMessage = { chunk: Uint8Array } | { end: true };
export type LoadReply = { ack: number } | { done: true; rows: number } | { error: string };

const init = workerData as LoadInit;
const width = init.columns.length;
// Multi-row INSERTs: far fewer statement executions; kept under SQLite's 32766 bound parameters.
const ROWS_PER_STATEMENT = Math.max(1, Math.min(500, Math.floor(32_000 / width)));
const db = new Database(init.file);
db.pragma('busy_timeout = 10000');
// A crash mid-copy rolls back from the journal; fsync once at COMMIT is what durability needs.
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -262144');
db.pragma('temp_store = MEMORY');
db.exec('BEGIN IMMEDIATE');
db.prepare(`DELETE FROM ${q(init.table)}`).run();
// Secondary indexes are dropped for the load and rebuilt once at the end (cheaper than row by row).
const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(init.table) as { name: string; sql: string }[];
for (const ix of indexes) db.exec(`DROP INDEX ${q(ix.name)}`);
const one = `(${init.columns.map(() => '?').join(', ')})`;
const sqlFor = (n: number) => `INSERT INTO ${q(init.table)} (${init.columns.map(q).join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`;
const full = db.prepare(sqlFor(ROWS_PER_STATEMENT));
const params: unknown[] = new Array(ROWS_PER_STATEMENT * width);
const isInt = init.binds.map((b) => b === 'integer');
const isReal = init.binds.map((b) => b === 'real');
const decoder = new TextDecoder('utf-8', { fatal: true });
let buffered = 0;
let rows = 0;
let rest = '';

function bindField(v: string | null, i: number): unknown {
  if (v === null) return null;
  // Integers bound as integers so any column affinity stores them as such; beyond 2^53, as BigInt.
  if (isInt[i]) return v.length < 16 ? Number(v) : BigInt(v);
  if (isReal[i]) return Number(v);
  return v;
}

function writeLine(line: string): void {
  const f = parseLine(line);
  if (f.length !== width) throw new Error(`row ${rows + 1} has ${f.length} fields, expected ${width}`);
  const base = buffered * width;
  for (let i = 0; i < width; i++) params[base + i] = bindField(f[i]!, i);
  rows++;
  if (++buffered === ROWS_PER_STATEMENT) {
    full.run(params);
    buffered = 0;
  }
}

function fail(err: unknown): void {
  if (db.inTransaction) db.exec('ROLLBACK');
  db.close();
  parentPort!.postMessage({ error: (err as Error).message } satisfies LoadReply);
}

parentPort!.on('message', (m: LoadMessage) => {
  try {
    if ('chunk' in m) {
      const text = rest + decoder.decode(m.chunk, { stream: true });
      const lines = text.split('\n');
      rest = lines.pop()!;
      let n = 0;
      for (const line of lines) (writeLine(line), n++);
      parentPort!.postMessage({ ack: n } satisfies LoadReply);
      return;
    }
    rest += decoder.decode();
    if (rest) throw new Error('COPY output ended without a newline');
    if (buffered > 0) db.prepare(sqlFor(buffered)).run(params.slice(0, buffered * width));
    for (const ix of indexes) db.exec(ix.sql);
    db.exec('COMMIT');
    db.close();
    parentPort!.postMessage({ done: true, rows } satisfies LoadReply);
  } catch (err) {
    fail(err);
  }
});
