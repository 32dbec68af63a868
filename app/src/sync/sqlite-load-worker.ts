// Worker thread of a PostgreSQL → SQLite copy: parses COPY text lines and writes them into SQLite
// on its own connection, while the main thread keeps reading from PostgreSQL. Two cores, two
// halves of the work.
import { parentPort, workerData } from 'node:worker_threads';
import { TABLES } from '../db/schema.ts';
import { openSqlite } from '../db/sqlite.ts';
import { parseLine } from './copy-text.ts';
import { sqliteWriter } from './table-io.ts';

export interface LoadInit {
  file: string;
  table: string;
  mode: 'mirror' | 'upsert';
}
export type LoadMessage = { lines: string[] } | { end: true };
export type LoadReply = { ack: number } | { done: true; rows: number; maxId?: number } | { error: string };

const init = workerData as LoadInit;
const t = TABLES.find((x) => x.name === init.table)!;
const db = openSqlite(init.file);
db.pragma('cache_size = -262144');
db.exec('BEGIN IMMEDIATE');
const writer = sqliteWriter(db, t, init.mode);
let rows = 0;
let maxId: number | undefined;

parentPort!.on('message', (m: LoadMessage) => {
  try {
    if ('lines' in m) {
      for (const line of m.lines) {
        const r = parseLine(line);
        writer.write(r);
        if (t.autoId) {
          const id = Number(r[0]);
          if (maxId === undefined || id > maxId) maxId = id;
        }
      }
      rows += m.lines.length;
      parentPort!.postMessage({ ack: m.lines.length } satisfies LoadReply);
    } else {
      writer.finish();
      db.exec('COMMIT');
      db.close();
      parentPort!.postMessage({ done: true, rows, maxId } satisfies LoadReply);
    }
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    parentPort!.postMessage({ error: (err as Error).message } satisfies LoadReply);
  }
});
