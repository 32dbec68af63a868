// The read-back phase: every key the run wrote, read from where it could have landed — the SQLite
// file (exec in the serving pods), PostgreSQL when it still runs, and the app's own API (a second,
// user-visible check) — and, of the writes acknowledged after the restore, how many landed where.
import type { Journal } from '../journal/journal.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { ReadBack, Landed } from '../model/outcome.ts';
import type { Platform } from '../model/platform.ts';
import { readPostgresKeys, readSqliteKeys } from '../probes/landed-writes.ts';
import type { WriteRecord } from '../model/measurements.ts';
import type { WriteField } from '../model/value-domain.ts';

/** The run's keys read from the SQLite file (exec in the serving pods), from PostgreSQL when it runs, and through the app. */
export async function readWhereWritesLanded(o: {
  platform: Platform;
  journal: Journal;
  sqliteDep: string;
  prefixes: string[];
  keys: { sqlite: { table: string; column: string }; postgres: { table: string; column: string } };
  /** The profile's fields: their stored bytes are read beside each key. */
  fields?: Readonly<Record<string, WriteField>>;
  signal?: AbortSignal;
  api: () => Promise<Exclude<ReadBack['api'], Error>>;
}): Promise<ReadBack> {
  const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  const columns = (engine: 'sqlite' | 'postgres') => (o.fields ? Object.fromEntries(Object.entries(o.fields).map(([n, f]) => [n, f.column[engine]])) : undefined);
  const sqlite = await readSqliteKeys(o.platform, o.sqliteDep, o.prefixes, o.keys.sqlite, { signal: o.signal, fields: columns('sqlite') }).catch(asError);
  const pgReady = (await o.platform.getDeploymentStatus(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
  const postgres = pgReady > 0 ? await readPostgresKeys(o.platform, o.prefixes, o.keys.postgres, { signal: o.signal, fields: columns('postgres') }).catch(asError) : ('not running' as const);
  const api = await o.api().catch(asError);
  for (const [what, r] of [['the SQLite file', sqlite], ['PostgreSQL', postgres], ['the app API', api]] as const) {
    if (r instanceof Error) o.journal.write({ type: 'log', level: 'error', message: `read-back from ${what} failed: ${r.message}` });
  }
  return { sqlite, postgres, api };
}

/** Of the writes acknowledged after the restore: how many are in the SQLite file, how many in PostgreSQL. */
export function landedAfter(postRestore: readonly WriteRecord[], r: ReadBack): Landed {
  const count = (keys: readonly string[], except: readonly string[] = []) => {
    const set = new Set(keys);
    const not = new Set(except);
    return postRestore.filter((w) => set.has(w.email) && !not.has(w.email)).length;
  };
  const pgKeys = r.postgres === 'not running' || r.postgres instanceof Error ? [] : r.postgres.keys;
  const engineHeaders: Record<string, number> = {};
  for (const w of postRestore) engineHeaders[w.engine ?? 'none'] = (engineHeaders[w.engine ?? 'none'] ?? 0) + 1;
  return {
    acknowledged: postRestore.length,
    inSqlite: r.sqlite instanceof Error ? null : count(r.sqlite.keys),
    onlyInSqlite: r.sqlite instanceof Error ? null : count(r.sqlite.keys, pgKeys),
    sqliteHow: r.sqlite instanceof Error ? `not readable: ${r.sqlite.message}` : r.sqlite.how,
    inPostgres: r.postgres === 'not running' || r.postgres instanceof Error ? null : count(r.postgres.keys),
    postgresState: r.postgres === 'not running' ? 'not running (0 ready)' : r.postgres instanceof Error ? `not readable: ${r.postgres.message}` : r.postgres.how,
    engineHeaders,
  };
}
