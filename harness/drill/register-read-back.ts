// The read-back of a register target: each fixed key's final value read from where it could have
// landed — the SQLite file (the profile's direct query, exec'd read-only in the serving pods) and
// PostgreSQL when it still runs (psql in its pod) — and through the app's own API (a second check,
// fed to the register rule with each read's window). Of the writes acknowledged after the restore,
// which keys hold one of them in SQLite, which in PostgreSQL: where the writes landed.
import { psql } from '../kit/psql.ts';
import type { Journal } from '../journal/journal.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Platform } from '../model/platform.ts';
import { type RegisterLedger } from '../probes/register-ledger.ts';
import { parseDirectRows, postgresDirectSql, sqliteDirectCommand, type DirectRows } from '../kit/register-workload.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import type { RegisterWorkload } from '../model/target-profile.ts';
import { sqliteQueryJob } from '../kit/sqlite-query.ts';
import type { Landed } from '../model/outcome.ts';

export interface DirectRead extends DirectRows {
  /** What was run, for the evidence. */
  how: string;
}

export interface RegisterReadBack {
  sqlite: DirectRead | Error;
  postgres: DirectRead | Error | 'not running';
  /** API reads of every key after the workload that got no usable answer. */
  apiErrors: number;
}

/**
 * The direct query's output from the SQLite file: sqlite3 exec'd in a pod of the serving deployment
 * (read-only, the file as those pods see it); when that cannot run (the app's image has no sqlite3:
 * exit 127, or no pod runs), the same query from the drill's data-tool image in a Job on the claim.
 */
export async function querySqliteRegister(platform: Platform, w: RegisterWorkload, deployment: string, signal?: AbortSignal): Promise<{ stdout: string; how: string }> {
  const r = await platform.exec(TOPOLOGY.namespace, deployment, sqliteDirectCommand(w, TOPOLOGY.sqlitePath), { timeoutMs: 60_000, signal }).catch((err: Error) => err);
  signal?.throwIfAborted();
  if (!(r instanceof Error) && r.exitCode === 0) return { stdout: r.stdout, how: `sqlite3 -readonly ${TOPOLOGY.sqlitePath} in deployment/${deployment}` };
  const why = r instanceof Error ? r.message : `sqlite3 in ${deployment} exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`;
  // Any other exit is the query's or the file's problem: the Job would say the same.
  if (!(r instanceof Error) && r.exitCode !== 127) throw new Error(why);
  const job = await sqliteQueryJob(platform, TOPOLOGY.sqlitePath, w.direct.sqlite, signal).catch((err: Error) => {
    throw new Error(`${why}; then ${err.message}`);
  });
  return { stdout: job.stdout, how: `${job.how} (${r instanceof Error ? 'no pod to exec into' : `no sqlite3 in the app's image: exit 127`})` };
}

/** The direct query's output from PostgreSQL (psql in its pod, the SQL on stdin). */
export async function queryPostgresRegister(platform: Platform, w: RegisterWorkload, signal?: AbortSignal): Promise<{ stdout: string; how: string }> {
  return { stdout: await psql({ platform, signal }, postgresDirectSql(w), { timeoutMs: 60_000 }), how: `psql in deployment/${TOPOLOGY.postgresDeployment}` };
}

/**
 * After the workload: the file's rows become the ledger's final reads (the verdict rests on them),
 * then every key is read once through the app; PostgreSQL is read when it still runs (for `landed`
 * only: it is not the restored engine).
 */
export async function readRegisterBack(o: { platform: Platform; journal: Journal; ledger: RegisterLedger; w: RegisterWorkload; sqliteDep: string; signal?: AbortSignal }): Promise<RegisterReadBack> {
  const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  // readDirect parses before it records anything: a malformed answer is an error, not half a read.
  const sqlite = await querySqliteRegister(o.platform, o.w, o.sqliteDep, o.signal)
    .then((q): DirectRead => ({ ...o.ledger.readDirect(q.stdout), how: q.how }))
    .catch(asError);
  const errorsBefore = o.ledger.readErrors.length;
  await o.ledger.readAll();
  const apiErrors = o.ledger.readErrors.length - errorsBefore;
  const pgReady = (await o.platform.getDeploymentStatus(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
  const postgres =
    pgReady > 0
      ? await queryPostgresRegister(o.platform, o.w, o.signal)
          .then((q): DirectRead => ({ ...parseDirectRows(o.w, q.stdout), how: q.how }))
          .catch(asError)
      : ('not running' as const);
  for (const [what, r] of [['the SQLite file', sqlite], ['PostgreSQL', postgres]] as const) {
    if (r instanceof Error) o.journal.write({ type: 'log', level: 'error', message: `register read-back from ${what} failed: ${r.message}` });
  }
  if (apiErrors > 0) o.journal.write({ type: 'log', level: 'warn', message: `register read-back through the app: ${apiErrors} of ${o.w.keys.length} keys got no usable answer` });
  return { sqlite, postgres, apiErrors };
}

/**
 * Of the writes acknowledged after the restore: how many keys hold one of them in the SQLite file,
 * how many in PostgreSQL (counts of keys, `keys` set). A key whose SQLite value equals PostgreSQL's
 * may have been copied over by a data recovery (nothing copies SQLite → PostgreSQL), so it is not
 * "only in SQLite".
 */
export function registerLandedAfter(postRestore: readonly RegisterWriteRecord[], r: RegisterReadBack, keys: number): Landed {
  const values = new Set(postRestore.map((w) => w.value));
  const rowsOf = (x: RegisterReadBack['sqlite'] | RegisterReadBack['postgres']) => (x === 'not running' || x instanceof Error ? null : x.rows);
  const sqliteRows = rowsOf(r.sqlite);
  const pgRows = rowsOf(r.postgres);
  const keysHolding = (rows: DirectRows['rows'], except = new Set<string>()) => new Set(rows.filter((x) => values.has(x.value) && !except.has(`${x.key}|${x.value}`)).map((x) => x.key)).size;
  const inPg = new Set((pgRows ?? []).map((x) => `${x.key}|${x.value}`));
  return {
    acknowledged: postRestore.length,
    keys,
    inSqlite: sqliteRows ? keysHolding(sqliteRows) : null,
    onlyInSqlite: sqliteRows ? keysHolding(sqliteRows, inPg) : null,
    sqliteHow: r.sqlite instanceof Error ? `not readable: ${r.sqlite.message}` : r.sqlite.how,
    inPostgres: pgRows ? keysHolding(pgRows) : null,
    postgresState: r.postgres === 'not running' ? 'not running (0 ready)' : r.postgres instanceof Error ? `not readable: ${r.postgres.message}` : r.postgres.how,
    // Register writes record no engine header.
    engineHeaders: postRestore.length ? { none: postRestore.length } : {},
  };
}
