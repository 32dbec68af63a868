// Feature checks: the runbook's validation checklist made exact, from the target profile's feature
// list (targets/<name>.ts): each is one request through the service with its expected status and
// assertions on the body, a measurement with its evidence. Plus the database itself, through exec
// into the serving pod (SELECT 1, and the profile's row count against what the app answers), or,
// when its image has no sqlite3, from a data-tool Job on the SQLite claim.
import type { FeatureCheck } from '../model/measurements.ts';
import { request } from 'undici';
import { TOPOLOGY } from './topology.ts';
import type { Platform } from '../model/platform.ts';
import type { FeatureSpec, JsonAssertion, TargetProfile } from '../model/target-profile.ts';
import { sqliteQueryJob } from './sqlite-query.ts';

/** Exit status of a command the image does not have (shells and the local platform's tools rule). */
const MISSING_TOOL = 127;

export interface FeatureOptions {
  platform: Platform;
  target: TargetProfile;
  serviceUrl: string;
  /** The deployment serving now (exec target for the database checks). */
  deployment: string;
  engine: 'sqlite' | 'postgres';
  namespace?: string;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  engine?: string;
  body?: unknown;
  /** The body's first characters as text (a failed check's cause). */
  raw?: string;
  latencyMs: number;
  error?: string;
}

async function send(baseUrl: string, path: string, method: 'GET' | 'HEAD', engineHeader?: string): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await request(new URL(path, baseUrl), { method, headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await res.body.text();
    let body: unknown;
    const raw = text.slice(0, 300);
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const e = engineHeader ? res.headers[engineHeader] : undefined;
    return { status: res.statusCode, engine: Array.isArray(e) ? e[0] : e, body, raw, latencyMs: performance.now() - t0 };
  } catch (err) {
    return { status: 0, latencyMs: performance.now() - t0, error: (err as Error).message };
  }
}

/** The value at a dotted path ("tools.length", "database.status"); undefined when absent. */
export function at(body: unknown, path: string): unknown {
  let v: unknown = body;
  for (const key of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    if (key === 'length' && (Array.isArray(v) || typeof v === 'string')) v = v.length;
    else if (typeof v === 'object') v = (v as Record<string, unknown>)[key];
    else return undefined;
  }
  return v;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** null when it holds, else what was found. */
function violated(a: JsonAssertion, body: unknown, engine: string): string | null {
  const v = at(body, a.path);
  const want = a.equalsEngine ? engine : a.equals;
  if ((a.equalsEngine || a.equals !== undefined) && v !== want) return `${a.path}=${JSON.stringify(v)} (expected ${JSON.stringify(want)})`;
  if (a.type && typeOf(v) !== a.type) return `${a.path} is ${typeOf(v)} (expected ${a.type})`;
  return null;
}

/** One feature of the profile, through the service: status, assertions, and the engine the app names when it names one. */
export async function runFeature(spec: FeatureSpec, target: TargetProfile, serviceUrl: string, engine: string): Promise<FeatureCheck> {
  const a = await send(serviceUrl, spec.path, spec.method, target.identity.engineHeader);
  const failures: string[] = [];
  if (a.status !== spec.status) failures.push(`status ${a.status} (expected ${spec.status})`);
  if (a.status !== 0) for (const j of spec.json) {
    const v = violated(j, a.body, engine);
    if (v) failures.push(v);
  }
  const named = a.engine ?? (target.identity.engineBodyField ? (at(a.body, target.identity.engineBodyField) as string | undefined) : undefined);
  if (spec.namesEngine && named !== engine) failures.push(`engine ${named ?? 'not named'} (expected ${engine})`);
  const said = a.status === 0 ? `no answer (${a.error})` : `HTTP ${a.status}${named && spec.namesEngine ? ` engine=${named}` : ''}`;
  const shown = a.status === 0 ? '' : spec.show.map((f) => ` ${f}=${String(at(a.body, f) ?? '-')}`).join('');
  return {
    id: spec.id,
    title: spec.title,
    passed: failures.length === 0,
    evidence: `${said}${shown} in ${a.latencyMs.toFixed(0)} ms${failures.length ? `: ${failures.join('; ')}` : ''}`,
    latencyMs: a.latencyMs,
    ...(failures.length ? { answer: { request: `${spec.method} ${spec.path}`, status: a.status, body: a.status === 0 ? (a.error ?? '') : (a.raw ?? '') } } : {}),
  };
}

/** The profile's HTTP feature checks (those of one checklist item, or all). */
export async function httpFeatureChecks(target: TargetProfile, serviceUrl: string, engine: string, checklist?: number): Promise<FeatureCheck[]> {
  const out: FeatureCheck[] = [];
  for (const f of target.features) if (checklist === undefined || f.checklist === checklist) out.push(await runFeature(f, target, serviceUrl, engine));
  return out;
}

/** Database checks by exec into the serving deployment: SELECT 1, and the profile's row count vs the app's. */
export async function databaseFeatureChecks(o: FeatureOptions): Promise<FeatureCheck[]> {
  const ns = o.namespace ?? TOPOLOGY.namespace;
  const query = async (sql: string): Promise<{ ok: boolean; out: string; err: string; where: string }> => {
    const [deployment, command] =
      o.engine === 'sqlite'
        ? [o.deployment, ['sqlite3', TOPOLOGY.sqlitePath, sql]]
        : [TOPOLOGY.postgresDeployment, ['psql', '-U', 'hyperpage', '-d', 'hyperpage', '-tAc', sql]];
    try {
      const r = await o.platform.exec(ns, deployment, command, { timeoutMs: 15_000, signal: o.signal });
      // An image without sqlite3 (exit 127: not in the image): the same read from a data-tool Job on the claim.
      if (r.exitCode === MISSING_TOOL && o.engine === 'sqlite') return await byJob(sql, `no sqlite3 in ${deployment} (exec exit ${r.exitCode})`);
      return { ok: r.exitCode === 0, out: r.stdout.trim(), err: r.stderr.trim().split('\n')[0] ?? '', where: `exec in ${deployment} (pod ${r.pod})` };
    } catch (err) {
      return { ok: false, out: '', err: (err as Error).message.split('\n')[0]!, where: deployment };
    }
  };
  const byJob = async (sql: string, why: string) => {
    try {
      const j = await sqliteQueryJob(o.platform, TOPOLOGY.sqlitePath, sql, o.signal);
      return { ok: true, out: j.stdout.trim(), err: '', where: `${why}: ${j.how}` };
    } catch (err) {
      return { ok: false, out: '', err: (err as Error).message.split('\n')[0]!, where: `${why}: data-tool Job` };
    }
  };
  const out: FeatureCheck[] = [];
  const one = await query('SELECT 1;');
  out.push({
    id: 'db-select-1',
    title: `Database connectivity (SELECT 1 on ${o.engine})`,
    passed: one.ok && one.out === '1',
    evidence: one.ok ? `SELECT 1 → ${one.out} by ${one.where}` : `failed: ${one.where}: ${one.err}`,
  });
  const c = o.target.countCheck;
  if (!c) return out;
  // Writes may be in flight (the validation runs under traffic): the exec count must lie between
  // what the service answers just before and just after it.
  const apiCount = async () => {
    const a = await send(o.serviceUrl, c.api.path, 'GET');
    const n = at(a.body, c.api.field);
    return typeof n === 'number' ? n : undefined;
  };
  const table = c.table[o.engine];
  const lo = await apiCount();
  const count = await query(`SELECT COUNT(*) FROM ${table};`);
  const hi = await apiCount();
  const n = Number(count.out);
  out.push({
    id: `db-${table}-count`,
    title: `${table} count in the database agrees with the count the service answers`,
    passed: count.ok && /^\d+$/.test(count.out) && n > 0 && lo !== undefined && hi !== undefined && lo <= n && n <= hi,
    evidence: count.ok
      ? `COUNT(*) = ${count.out} by ${count.where}, GET ${c.api.path} = ${lo ?? 'no answer'} before and ${hi ?? 'no answer'} after`
      : `failed: ${count.where}: ${count.err}`,
  });
  return out;
}

export async function checkFeatures(o: FeatureOptions): Promise<FeatureCheck[]> {
  return [...(await httpFeatureChecks(o.target, o.serviceUrl, o.engine)), ...(await databaseFeatureChecks(o))];
}
