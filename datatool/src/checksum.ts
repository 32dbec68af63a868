// Engine-independent table checksums: sha256 over the mapped columns' rows in key order, each row
// one PostgreSQL COPY text line. On PostgreSQL the converted COPY output is hashed as it streams;
// on SQLite the stored values are rendered into the same form (integers read exactly, as bigint).
import { createHash, type Hash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { formatRow } from './copy-text.ts';
import { pgCopySql, sqliteSelectSql, type ResolvedTable } from './resolve.ts';

export interface TableSum {
  table: string;
  rows: number;
  checksum: string;
}

/** Counts rows of COPY text ('\n'-terminated) in a chunk. */
export function countLines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Streams a table's converted COPY text through onChunk (hashed and counted as it passes). */
export async function streamPostgres(client: pg.ClientBase, t: ResolvedTable, onChunk?: (chunk: Buffer, lines: number) => Promise<void> | void): Promise<TableSum> {
  const hash: Hash = createHash('sha256');
  let rows = 0;
  const stream = client.query(copyTo(pgCopySql(t)));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const lines = countLines(chunk);
    rows += lines;
    if (onChunk) await onChunk(chunk, lines);
  }
  return { table: t.name, rows, checksum: hash.digest('hex') };
}

export function postgresChecksum(client: pg.ClientBase, t: ResolvedTable): Promise<TableSum> {
  return streamPostgres(client, t);
}

export function sqliteChecksum(db: BetterSqlite3.Database, t: ResolvedTable): TableSum {
  const hash = createHash('sha256');
  let rows = 0;
  const stmt = db.prepare(sqliteSelectSql(t)).raw(true).safeIntegers(true);
  // Rendered rows are hashed in ~64 KiB pieces: one update per row costs more than the rendering.
  let buf = '';
  for (const r of stmt.iterate() as IterableIterator<unknown[]>) {
    buf += formatRow(r);
    rows++;
    if (buf.length > 65_536) {
      hash.update(buf);
      buf = '';
    }
  }
  hash.update(buf);
  return { table: t.name, rows, checksum: hash.digest('hex') };
}
