// Which engine serves, measured from outside, for an app that names none (no engine header or body
// field): health answers through the service, then one write through the service (the target's own
// workload) that must be found in the SQLite file (read by a data-tool Job on the claim) and not in
// PostgreSQL. A "served by sqlite" the app only claims is never trusted; this one is seen in the files.
import { request } from 'undici';
import { psql } from '../kit/psql.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { done, notYet, waitFor } from '../platform/wait.ts';
import { parseDirectRows, postgresDirectSql, registerWriteRequest } from '../kit/register-workload.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import { sqliteQueryJob } from '../kit/sqlite-query.ts';
import { writeOutcome, writeRequest } from '../kit/workload.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { pgIsReady } from '../kit/pods.ts';
import type { ProcedureContext } from '../model/context.ts';
import { describeHealth, healthCheck } from '../kit/health.ts';

/** True when the app names the engine it serves from (then the header path verifies it). */
export function namesEngine(target: Pick<TargetProfile, 'identity'>): boolean {
  return Boolean(target.identity.engineHeader || target.identity.engineBodyField);
}

const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** The probe write of `tag` and how to find it in each engine's rows. */
export interface EngineProbe {
  /** "key k=v" / "new key k": what the evidence calls it. */
  what: string;
  key: string;
  value: string;
  request: { method: string; path: string; body?: string };
  ack: readonly number[];
  sqliteSql: string;
  postgresSql: string;
  /** Whether a query's output (sqlite3 list mode / psql -tA) holds the write. */
  found(stdout: string): boolean;
}

export function engineProbe(target: Pick<TargetProfile, 'name' | 'workload'>, tag: string): EngineProbe {
  const w = target.workload;
  if (w.model === 'register') {
    // One key of the register gets a value no one else writes.
    const key = w.keys[0]!;
    const value = `verify-engine-${tag}`;
    return {
      what: `${key}=${value}`,
      key,
      value,
      request: registerWriteRequest(w, key, value),
      ack: w.write.ack,
      sqliteSql: w.direct.sqlite,
      postgresSql: postgresDirectSql(w),
      found: (out) => parseDirectRows(w, out).rows.some((r) => r.key === key && r.value === value),
    };
  }
  // A set: a new key, counted by the profile's key column on each engine.
  const r = writeRequest(w, `verify-engine-${tag}-`, 1, 'verify-engine');
  const count = (kc: { table: string; column: string }) => `SELECT COUNT(*) FROM ${kc.table} WHERE ${kc.column} = ${quote(r.key)}`;
  return {
    what: `new key ${r.key}`,
    key: r.key,
    value: r.key,
    request: r,
    ack: w.write.ack,
    sqliteSql: count(w.readBack.sqlite),
    postgresSql: `${count(w.readBack.postgres)};\n`,
    found: (out) => /^\s*[1-9]\d*\s*$/.test(out),
  };
}

/** `consecutive` 200 answers in a row at the target's health path (the app names no engine in them). */
async function healthyStreak(ctx: ProcedureContext, consecutive: number, timeoutMs: number, signal: AbortSignal): Promise<number> {
  let streak = 0;
  let requests = 0;
  await waitFor(
    async () => {
      requests++;
      const h = await healthCheck(ctx.serviceUrl, 3_000, ctx.target);
      streak = h.status === 200 ? streak + 1 : 0;
      return streak >= consecutive ? done(undefined) : notYet(`${describeHealth(h)} (${streak}/${consecutive} in a row)`);
    },
    { describe: `${consecutive} consecutive 200 answers at ${ctx.target.health.path}`, timeoutMs, intervalMs: 100, signal },
  );
  return requests;
}

/**
 * Verifies SQLite serves an app that names no engine: health, then a probe write through the service
 * found in the SQLite file and absent from PostgreSQL (or PostgreSQL not accepting connections at all).
 * A register probe write is kept in `ctx.state.probeWrites` so the register rule knows its value.
 */
export async function verifySqliteFromOutside(ctx: ProcedureContext, opts: { consecutive: number; timeoutMs: number; signal: AbortSignal }): Promise<string> {
  const requests = await healthyStreak(ctx, opts.consecutive, opts.timeoutMs, opts.signal);
  const probe = engineProbe(ctx.target, `${ctx.runId}-${Date.now().toString(36)}`);
  const startedAt = Date.now();
  let status = 0;
  let error = '';
  try {
    const res = await request(new URL(probe.request.path, ctx.serviceUrl), {
      method: probe.request.method as 'PUT',
      body: probe.request.body,
      headers: probe.request.body === undefined ? {} : { 'content-type': 'application/json' },
      headersTimeout: 5_000,
      bodyTimeout: 5_000,
    });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    error = (err as Error).message;
  }
  const endedAt = Date.now();
  const outcome = writeOutcome(status, probe.ack);
  if (ctx.target.workload.model === 'register') {
    const rec: RegisterWriteRecord = { key: probe.key, value: probe.value, startedAt, endedAt, outcome, seq: -1, status, latencyMs: endedAt - startedAt };
    (ctx.state.probeWrites ??= []).push(rec);
  }
  if (outcome !== 'ok') throw new Error(`probe write (${probe.what}) through the service: ${status ? `HTTP ${status}` : `no answer (${error})`}, not acknowledged (${probe.ack.join('/')})`);

  const sqlite = await sqliteQueryJob(ctx.platform, TOPOLOGY.sqlitePath, probe.sqliteSql, opts.signal);
  if (!probe.found(sqlite.stdout)) throw new Error(`probe write (${probe.what}) acknowledged (HTTP ${status}) but not in the SQLite file (${sqlite.how}): SQLite is not what serves`);

  const pg = await pgIsReady(ctx.platform, opts.signal);
  let postgres: string;
  if (!pg.accepting) postgres = `PostgreSQL not accepting connections (${pg.detail})`;
  else {
    const read = await psql({ platform: ctx.platform, signal: opts.signal }, probe.postgresSql).then(
      (out) => ({ out }),
      (err: Error) => ({ err }),
    );
    if ('err' in read) {
      // A dropped table (functionality-broken) cannot hold the write: PostgreSQL says so itself.
      const gone = /relation "([^"]+)" does not exist/.exec(read.err.message);
      if (!gone) throw read.err;
      postgres = `not in PostgreSQL (its table is gone there: relation "${gone[1]}" does not exist)`;
    } else {
      if (probe.found(read.out)) throw new Error(`probe write (${probe.what}) found in PostgreSQL too: the service still writes to PostgreSQL`);
      postgres = 'not in PostgreSQL (psql in its pod)';
    }
  }
  return `${opts.consecutive} consecutive 200 at ${ctx.target.health.path} (${requests} requests); probe write ${probe.what} acknowledged HTTP ${status}, found in the SQLite file (${sqlite.how}), ${postgres}`;
}
