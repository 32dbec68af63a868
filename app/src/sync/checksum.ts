// Engine-independent table checksums: sha256 over the rows in key order, each rendered as a
// PostgreSQL COPY text line. PostgreSQL's own COPY output is hashed as it streams.
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { TableDef } from '../db/schema.ts';
import { formatRow } from './copy-text.ts';
import { postgresLines, sqliteRows } from './table-io.ts';

export interface TableSum {
  name: string;
  rows: number;
  checksum: string;
}

export function sqliteChecksum(db: BetterSqlite3.Database, t: TableDef, maxId?: number): TableSum {
  const h = createHash('sha256');
  let rows = 0;
  for (const r of sqliteRows(db, t, maxId)) {
    h.update(formatRow(r));
    rows++;
  }
  return { name: t.name, rows, checksum: h.digest('hex') };
}

export async function postgresChecksum(client: pg.PoolClient | pg.Client, t: TableDef, maxId?: number): Promise<TableSum> {
  const h = createHash('sha256');
  let rows = 0;
  for await (const line of postgresLines(client, t, maxId)) {
    h.update(line + '\n');
    rows++;
  }
  return { name: t.name, rows, checksum: h.digest('hex') };
}
