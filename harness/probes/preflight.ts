// Preflight: the runbook's premises about the app, measured before a drill leans on them (issue 15).
// The runbook assumes that the engine variable is honoured strictly, that its health check reflects
// the database, that the PostgreSQL baseline acknowledges writes and that the SQLite schema exists
// before the rollback sends traffic to it. Each check measures one premise from the outside: a write
// through the app's API, then where it landed, read from each database (never the app's word), and
// returns { id, holds, measured, evidence }. How the app is started, and PostgreSQL stopped, is the
// caller's (a Platform in a drill, child processes in tests): these functions only measure.
import { normalizeMapping } from '../../datatool/contract.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { parseDirectRows, postgresDirectSql, registerWriteRequest } from '../kit/register-workload.ts';
import { writeOutcome, writeRequest } from '../kit/workload.ts';
import { done, notYet, waitFor } from '../kit/wait.ts';

export type PreflightId = 'engine-value-strict' | 'health-reflects-database' | 'baseline-acknowledges-writes' | 'sqlite-schema-before-traffic';

export interface PreflightResult {
  id: PreflightId;
  title: string;
  holds: boolean;
  /** One line with the measured values ("<engine var>=postgresql: served; write HTTP 200 landed in sqlite"). */
  measured: string;
  /** What was sent and read, in order. */
  evidence: string[];
  /** The premise's outcome in words, for a headline ("the health check stayed 2xx while PostgreSQL was down"). */
  says: string;
  /** The answers that broke the premise (a failed write, a 2xx health while down): the report's causes. */
  answers?: FailedAnswer[];
}

/** One answer that broke a premise: the request, its status (0: no answer) and the body, trimmed. */
export interface FailedAnswer {
  request: string;
  status: number;
  body: string;
}

export type Engine = 'sqlite' | 'postgres';

/** One SELECT on an engine's database, its rows as `a|b` lines (sqlite3 list mode, psql -qtA); throws with the tool's first error line. */
export interface DatabaseReader {
  query(engine: Engine, sql: string): Promise<string>;
}

/** A write the preflight sends: through the profile's workload template, with a value no one else writes. */
export interface ProbeWrite {
  key: string;
  value: string;
  method: string;
  path: string;
  body?: string;
}

/** Write `n` of a preflight run tagged `tag`: a new key (set), or a new value of one of the fixed keys, round-robin (register). */
export function probeWrite(t: Pick<TargetProfile, 'workload'>, tag: string, n = 0): ProbeWrite {
  const w = t.workload;
  if (w.model === 'set') {
    const r = writeRequest(w, `preflight-${tag}-`, n, `preflight ${tag}`);
    return { ...r, value: r.key };
  }
  const key = w.keys[n % w.keys.length]!;
  const value = `preflight-${tag}-${n}`;
  return { key, value, ...registerWriteRequest(w, key, value) };
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Whether the probe's value is in `engine`'s database: the set's key column, or the register's direct read. */
export async function landedIn(reader: DatabaseReader, t: Pick<TargetProfile, 'workload'>, engine: Engine, p: ProbeWrite): Promise<boolean> {
  const w = t.workload;
  if (w.model === 'set') {
    const kc = w.readBack[engine];
    const out = await reader.query(engine, `SELECT ${ident(kc.column)} FROM ${ident(kc.table)} WHERE ${ident(kc.column)} = ${sqlString(p.key)}`);
    return out.split('\n').some((l) => l.trim() === p.key);
  }
  const out = await reader.query(engine, engine === 'sqlite' ? w.direct.sqlite : postgresDirectSql(w));
  return parseDirectRows(w, out).rows.some((r) => r.key === p.key && r.value === p.value);
}

/** Where the probe landed on each engine: yes, no, or the read's error. */
async function whereLanded(reader: DatabaseReader, t: Pick<TargetProfile, 'workload'>, p: ProbeWrite): Promise<Record<Engine, boolean | string>> {
  const one = (e: Engine) => landedIn(reader, t, e, p).catch((err: unknown) => `unreadable (${(err as Error).message})`);
  const [sqlite, postgres] = await Promise.all([one('sqlite'), one('postgres')]);
  return { sqlite, postgres };
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** One request; no answer (refused, reset, timeout) is status 0 with the reason as text. */
async function send(baseUrl: string, method: string, path: string, body?: string, timeoutMs = 10_000): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(baseUrl + path, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, text: (await res.text()).slice(0, 200), ms: Math.round(performance.now() - t0) };
  } catch (err) {
    return { status: 0, text: (err as Error).message, ms: Math.round(performance.now() - t0) };
  }
}

async function sendProbe(baseUrl: string, p: ProbeWrite): Promise<Answer> {
  return send(baseUrl, p.method, p.path, p.body);
}

const landedText = (l: Record<Engine, boolean | string>) => {
  const yes = (['sqlite', 'postgres'] as const).filter((e) => l[e] === true);
  const errs = (['sqlite', 'postgres'] as const).filter((e) => typeof l[e] === 'string').map((e) => `${e} ${l[e] as string}`);
  return [yes.length ? `landed in ${yes.join(' and ')}` : 'landed in neither database', ...errs].join('; ');
};

/** The app started with an engine value: refused (exited / never ready), or serving at a URL. */
export type StartOutcome = { refused: true; detail: string } | { refused: false; baseUrl: string; stop(): Promise<void> };

/**
 * Premise: the engine variable is honoured strictly. The app is started with a mistyped value (by
 * default the PostgreSQL value + "ql": "postgresql", the URL scheme); holds when it refuses to start.
 * If it serves, one write is sent and the engine that served it is judged from where it landed.
 */
export async function checkEngineValueStrict(o: {
  target: Pick<TargetProfile, 'workload' | 'app'>;
  start: (engineValue: string) => Promise<StartOutcome>;
  reader: DatabaseReader;
  mistyped?: string;
}): Promise<PreflightResult> {
  const value = o.mistyped ?? `${o.target.app.engines.postgres}ql`;
  const name = `${o.target.app.env.engine}=${value}`;
  const base = { id: 'engine-value-strict' as const, title: `The engine variable is honoured strictly (${name} is refused)` };
  const started = await o.start(value);
  if (started.refused) return { ...base, holds: true, measured: `${name}: refused at start (${started.detail})`, evidence: [`start ${name}: ${started.detail}`], says: `${name} is refused at start` };
  try {
    const p = probeWrite(o.target, 'engine', 0);
    const a = await sendProbe(started.baseUrl, p);
    const l = await whereLanded(o.reader, o.target, p);
    const served = l.sqlite === true ? 'sqlite' : l.postgres === true ? 'postgres' : 'no database';
    return {
      ...base,
      holds: false,
      measured: `${name}: started and served, write HTTP ${a.status} ${landedText(l)}: served by ${served}`,
      says: `a mistyped ${name} was not refused: the app started and served it from ${served}`,
      answers: [{ request: `${p.method} ${p.path}`, status: a.status, body: a.text }],
      evidence: [`start ${name}: serving at ${started.baseUrl}`, `${p.method} ${p.path} ${p.body ?? ''} -> HTTP ${a.status} in ${a.ms} ms: ${a.text}`, `${p.key}=${p.value}: ${landedText(l)}`],
    };
  } finally {
    await started.stop();
  }
}

/**
 * Premise: the health check reflects the database. PostgreSQL is stopped (the caller's
 * `stopDatabase`), proved down on the component (`databaseDown` returns the proof, or null if it
 * still answers), then the health path is sampled; holds when health stops answering 2xx.
 * PostgreSQL is started again in any case.
 */
export async function checkHealthReflectsDatabase(o: {
  target: Pick<TargetProfile, 'health'>;
  baseUrl: string;
  stopDatabase: () => Promise<void>;
  startDatabase: () => Promise<void>;
  databaseDown: () => Promise<string | null>;
  samples?: number;
  intervalMs?: number;
}): Promise<PreflightResult> {
  const path = o.target.health.path;
  const base = { id: 'health-reflects-database' as const, title: `The health check (${path}) reflects the database` };
  const evidence: string[] = [];
  const before = await send(o.baseUrl, 'GET', path);
  evidence.push(`before: GET ${path} -> HTTP ${before.status} in ${before.ms} ms`);
  if (before.status < 200 || before.status > 299)
    return { ...base, holds: false, measured: `inconclusive: ${path} answered HTTP ${before.status} before PostgreSQL was stopped`, evidence, says: `${path} was not healthy even before PostgreSQL was stopped (HTTP ${before.status})`, answers: [{ request: `GET ${path}`, status: before.status, body: before.text }] };
  try {
    await o.stopDatabase();
    const proof = await o.databaseDown();
    if (proof === null) return { ...base, holds: false, measured: 'inconclusive: PostgreSQL still answered after it was stopped', evidence: [...evidence, 'PostgreSQL still answering'], says: 'PostgreSQL still answered after it was stopped: the premise could not be tested' };
    evidence.push(`PostgreSQL down: ${proof}`);
    const statuses: number[] = [];
    const healthy: FailedAnswer[] = [];
    const wanted = o.samples ?? 5;
    // One health answer per look, `intervalMs` apart, until the samples are in (each answer is bounded by send's timeout).
    await waitFor(
      async () => {
        const a = await send(o.baseUrl, 'GET', path);
        statuses.push(a.status);
        if (a.status >= 200 && a.status <= 299) healthy.push({ request: `GET ${path}`, status: a.status, body: a.text });
        evidence.push(`down ${statuses.length}: GET ${path} -> HTTP ${a.status} in ${a.ms} ms${a.status >= 200 && a.status <= 299 ? '' : `: ${a.text}`}`);
        return statuses.length >= wanted ? done(statuses.length) : notYet(`${statuses.length} of ${wanted} health answers`);
      },
      { describe: `${wanted} health answers while PostgreSQL is down`, timeoutMs: wanted * ((o.intervalMs ?? 200) + 30_000), intervalMs: o.intervalMs ?? 200 },
    );
    const ok = statuses.filter((s) => s >= 200 && s <= 299).length;
    const counts = [...new Set(statuses)].map((s) => `${s} ×${statuses.filter((x) => x === s).length}`).join(', ');
    return {
      ...base,
      holds: ok < statuses.length,
      measured: `${ok} of ${statuses.length} health answers 2xx while PostgreSQL was down (${counts}; ${proof})`,
      evidence,
      says: ok < statuses.length ? `${path} stopped answering 2xx while PostgreSQL was down` : `the health check stayed 2xx while PostgreSQL was down (${ok} of ${statuses.length} answers): "health check passed" proves nothing about the database`,
      answers: healthy,
    };
  } finally {
    await o.startDatabase();
  }
}

/**
 * Premise: the PostgreSQL baseline acknowledges writes. `writes` probe writes through the app
 * (distinct keys where the workload has them); holds when every one is acknowledged and found in
 * PostgreSQL.
 */
export async function checkBaselineAcknowledgesWrites(o: {
  target: Pick<TargetProfile, 'workload'>;
  baseUrl: string;
  reader: DatabaseReader;
  writes?: number;
  tag?: string;
}): Promise<PreflightResult> {
  const n = o.writes ?? 3;
  const base = { id: 'baseline-acknowledges-writes' as const, title: 'The PostgreSQL baseline acknowledges writes, and they land in PostgreSQL' };
  const evidence: string[] = [];
  const statuses: number[] = [];
  const failed: FailedAnswer[] = [];
  let acked = 0;
  let inPg = 0;
  for (let i = 0; i < n; i++) {
    const p = probeWrite(o.target, o.tag ?? `baseline-${Date.now().toString(36)}`, i);
    const a = await sendProbe(o.baseUrl, p);
    statuses.push(a.status);
    const ok = writeOutcome(a.status, o.target.workload.write.ack) === 'ok';
    if (ok) acked++;
    else failed.push({ request: `${p.method} ${p.path.split('?')[0]}`, status: a.status, body: a.text });
    let landed: boolean | string;
    try {
      landed = await landedIn(o.reader, o.target, 'postgres', p);
    } catch (err) {
      landed = `unreadable (${(err as Error).message})`;
    }
    if (landed === true) inPg++;
    evidence.push(`${p.method} ${p.path} (${p.key}=${p.value}) -> HTTP ${a.status} in ${a.ms} ms${ok ? '' : `: ${a.text}`}; in PostgreSQL: ${landed === true ? 'yes' : landed === false ? 'no' : landed}`);
  }
  const counts = [...new Set(statuses)].map((s) => `HTTP ${s} ×${statuses.filter((x) => x === s).length}`).join(', ');
  const holds = acked === n && inPg === n;
  const says = holds
    ? `PostgreSQL acknowledged ${n} of ${n} writes and holds them`
    : acked < n
      ? `the PostgreSQL baseline acknowledged ${acked} of ${n} writes (${counts}): there is little or nothing on PostgreSQL to roll back from`
      : `the PostgreSQL baseline acknowledged ${n} writes but only ${inPg} of them are in PostgreSQL: they went elsewhere`;
  return { ...base, holds, measured: `${acked} of ${n} writes acknowledged (${counts}); ${inPg} of ${n} found in PostgreSQL`, evidence, says, answers: failed };
}

/** The SQLite tables a profile needs: its mapping's SQLite side, and the set workload's key table. */
export function sqliteTablesNeeded(t: Pick<TargetProfile, 'workload' | 'mapping'>): string[] {
  const tables = new Set(normalizeMapping(t.mapping).map((m) => m.sqlite.table));
  if (t.workload.model === 'set') tables.add(t.workload.readBack.sqlite.table);
  return [...tables];
}

/**
 * Premise: the SQLite schema exists before traffic reaches it. Read from the SQLite file itself:
 * every table the profile needs is there, and the workload's own read of it runs. With `baseUrl`
 * (the app serving on that file), one probe write is then sent through it: the first traffic, whose
 * answer says what serving that file means (acknowledged, or e.g. 500 "no such table").
 */
export async function checkSqliteSchemaBeforeTraffic(o: { target: Pick<TargetProfile, 'workload' | 'mapping'>; reader: DatabaseReader; baseUrl?: string; tag?: string }): Promise<PreflightResult> {
  const base = { id: 'sqlite-schema-before-traffic' as const, title: 'The SQLite schema exists before traffic reaches it' };
  const needed = sqliteTablesNeeded(o.target);
  const afterTables = await schemaOf(o.reader, o.target, needed);
  if (!o.baseUrl) return { ...base, ...afterTables, says: afterTables.holds ? 'the SQLite file has its schema before traffic' : `a new SQLite file has no schema before traffic (${afterTables.measured})` };
  const p = probeWrite(o.target, o.tag ?? `schema-${Date.now().toString(36)}`, 0);
  const a = await sendProbe(o.baseUrl, p);
  const ok = writeOutcome(a.status, o.target.workload.write.ack) === 'ok';
  const write = `then the first write through the app on that file: HTTP ${a.status}${ok ? ' (acknowledged)' : `: ${a.text.replace(/\s+/g, ' ').slice(0, 120)}`}`;
  return {
    ...base,
    holds: afterTables.holds && ok,
    measured: `${afterTables.measured}; ${write}`,
    says:
      afterTables.holds && ok
        ? 'a SQLite deployment on a new file creates its schema before it serves'
        : `a SQLite deployment on a new file served without its schema (${afterTables.holds ? 'tables present' : afterTables.measured.split(' (')[0]}), and its first write answered HTTP ${a.status}`,
    ...(ok ? {} : { answers: [{ request: `${p.method} ${p.path.split('?')[0]}`, status: a.status, body: a.text }] }),
    evidence: [...afterTables.evidence, `${p.method} ${p.path} ${p.body ?? ''} -> HTTP ${a.status} in ${a.ms} ms: ${a.text}`],
  };
}

async function schemaOf(reader: DatabaseReader, target: Pick<TargetProfile, 'workload' | 'mapping'>, needed: string[]): Promise<Pick<PreflightResult, 'holds' | 'measured' | 'evidence'>> {
  let present: string[];
  try {
    present = (await reader.query('sqlite', "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).split('\n').map((l) => l.trim()).filter(Boolean);
  } catch (err) {
    return { holds: false, measured: `the SQLite file could not be read: ${(err as Error).message}`, evidence: [] };
  }
  const missing = needed.filter((t) => !present.includes(t));
  const evidence = [`tables in the file (${present.length}): ${present.join(', ') || 'none'}`, `needed: ${needed.join(', ')}`];
  if (missing.length) return { holds: false, measured: `missing ${missing.join(', ')} (the file has ${present.length} table${present.length === 1 ? '' : 's'})`, evidence };
  const w = target.workload;
  const sql = w.model === 'set' ? `SELECT COUNT(*) FROM ${ident(w.readBack.sqlite.table)}` : w.direct.sqlite;
  try {
    const out = await reader.query('sqlite', sql);
    const rows = w.model === 'set' ? Number(out.trim()) : parseDirectRows(w, out).rows.length;
    evidence.push(`${sql} -> ${rows} row${w.model === 'set' ? 's counted' : 's'}`);
    return { holds: true, measured: `all ${needed.length} needed table(s) present (${needed.join(', ')}); the workload's read returned ${rows} row(s)`, evidence };
  } catch (err) {
    evidence.push(`${sql} -> ${(err as Error).message}`);
    return { holds: false, measured: `tables present but the workload's read fails: ${(err as Error).message}`, evidence };
  }
}
