// An online backup of a live SQLite file (SQLite's backup API through better-sqlite3: a consistent
// copy while the app keeps writing, unlike `cp`), then checked on the copy itself: integrity_check
// and each mapped table's rows and checksum. The drill's stand-in for the runbook's
// `sqlite3 FILE ".backup …"`, for app images that have no sqlite3.
import { statSync } from 'node:fs';
import { sqliteChecksum } from './checksum.ts';
import { openExistingSqlite } from './copy.ts';
import type { TableMapping } from './mapping.ts';
import { resolveOnSqlite, SchemaError } from './resolve.ts';
import type { BackupResult } from './result.ts';

export async function backupSqlite(from: string, to: string, tables: TableMapping[]): Promise<BackupResult> {
  const t0 = performance.now();
  const src = openExistingSqlite(from, true);
  try {
    await src.backup(to);
  } catch (err) {
    // Not a database, or a corrupt one: the input's fault (exit 2), not the tool's.
    if ((err as { code?: string }).code === 'SQLITE_NOTADB' || (err as { code?: string }).code === 'SQLITE_CORRUPT') throw new SchemaError(`${from} is not a readable SQLite database (${(err as Error).message})`);
    throw err;
  } finally {
    src.close();
  }
  const backupMs = Math.round(performance.now() - t0);
  const copy = openExistingSqlite(to, true);
  try {
    const integrity = (copy.pragma('integrity_check', { simple: true }) as string) ?? 'no answer';
    const sums = tables.map((t) => sqliteChecksum(copy, resolveOnSqlite(copy, t)));
    return { command: 'backup', ok: integrity === 'ok', file: to, bytes: statSync(to).size, integrity, backupMs, tables: sums };
  } finally {
    copy.close();
  }
}
