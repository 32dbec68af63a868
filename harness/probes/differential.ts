// The differential replay (as Twitter's Diffy does for services): the profile's reads answered on
// PostgreSQL, recorded twice on different pods (fields that differ there are noise: timestamps,
// uptimes, pod names), then the same requests after the rollback, diffed field by field against the
// first recording, the noise left out. A difference the profile does not declare as a known engine
// difference is a behaviour change the rollback brought: a list in another order, a number or date
// written another way, a field gone, another case, another status.
import { Agent, request } from 'undici';
import { diffAnswers, type Answer } from '../kit/json-diff.ts';
import { headerOf } from '../kit/workload.ts';
import { sleep } from '../kit/wait.ts';
import type { BehaviourDifference, DifferentialResult } from '../model/measurements.ts';
import type { DifferentialPath, TargetProfile } from '../model/target-profile.ts';

export interface Recorded extends Answer {
  request: string;
  pod?: string;
}

export interface DifferentialBaseline {
  first: Recorded[];
  second: Recorded[];
}

/** The GET paths the replay sends: the profile's reads and its extra requests, each once. */
export function differentialPaths(t: Pick<TargetProfile, 'reads' | 'differential'>): string[] {
  return [...new Set([...t.reads, ...t.differential.requests])];
}

async function send(agent: Agent, baseUrl: string, path: string, t: TargetProfile, signal?: AbortSignal): Promise<Recorded> {
  const res = await request(baseUrl + path, { dispatcher: agent, headersTimeout: 5_000, bodyTimeout: 5_000, signal });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a text body is compared as one field
  }
  const pod = headerOf(res.headers, t.identity.podHeader);
  return { request: `GET ${path}`, status: res.statusCode, body, ...(pod ? { pod } : {}) };
}

/**
 * Two recordings of every path on PostgreSQL, the second at least 1.1 s later (a clock-derived field
 * changes) and, where the app names its pod, from another pod than the first (up to 6 tries).
 */
export async function recordBaseline(baseUrl: string, t: TargetProfile, signal?: AbortSignal): Promise<DifferentialBaseline> {
  const agent = new Agent({ connections: 4, keepAliveTimeout: 1_000 });
  try {
    const paths = differentialPaths(t);
    const first: Recorded[] = [];
    for (const p of paths) first.push(await send(agent, baseUrl, p, t, signal));
    await sleep(1_100, signal);
    const second: Recorded[] = [];
    for (const [i, p] of paths.entries()) {
      let r = await send(agent, baseUrl, p, t, signal);
      for (let n = 0; n < 5 && r.pod !== undefined && r.pod === first[i]!.pod; n++) r = await send(agent, baseUrl, p, t, signal);
      second.push(r);
    }
    return { first, second };
  } finally {
    await agent.close();
  }
}

/** The same requests after the rollback, once each (a request that gets no answer is an error, said). */
export async function replay(baseUrl: string, t: TargetProfile, signal?: AbortSignal): Promise<(Recorded | { request: string; error: string })[]> {
  const agent = new Agent({ connections: 4, keepAliveTimeout: 1_000 });
  try {
    const out: (Recorded | { request: string; error: string })[] = [];
    for (const p of differentialPaths(t)) out.push(await send(agent, baseUrl, p, t, signal).catch((err: Error) => ({ request: `GET ${p}`, error: err.message.split('\n')[0]! })));
    return out;
  } finally {
    await agent.close();
  }
}

/** A declared path as a test: "[*]" matches any index; a path matches itself and everything under it. */
export function pathMatcher(declared: readonly DifferentialPath[], request: string): (path: string) => boolean {
  const res = declared
    .filter((d) => d.request === '*' || `GET ${d.request}` === request)
    .map((d) => new RegExp(`^${d.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]')}($|[.[])`));
  return (path) => res.some((re) => re.test(path));
}

/** Leaf fields of a body (a scalar body is one). */
function leaves(v: unknown, path: string, ignored: (p: string) => boolean): number {
  if (ignored(path)) return 0;
  if (v !== null && typeof v === 'object') return Object.entries(v).reduce((n, [k, x]) => n + leaves(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`, ignored), 0);
  return 1;
}

/** The replay judged against the baseline: noise learned from its two recordings and declared by the profile left out. */
export function compareReplay(b: DifferentialBaseline, after: Awaited<ReturnType<typeof replay>>, t: Pick<TargetProfile, 'differential' | 'identity'>): DifferentialResult {
  const learned: string[] = [];
  const declaredNoise = new Set<string>();
  const differences: BehaviourDifference[] = [];
  const errors: string[] = [];
  let fields = 0;
  for (const [i, before] of b.first.entries()) {
    const a = after[i];
    const second = b.second[i]!;
    const noise = new Set(diffAnswers(before, second).map((d) => d.path));
    for (const p of noise) learned.push(`${before.request} ${p}`);
    const declared = pathMatcher(t.differential.ignore, before.request);
    // The declared engine difference that covers a path: its own reason, not another entry's of the same request.
    const knownBecause = (p: string) => t.differential.engineDifferences.find((e) => pathMatcher([e], before.request)(p))?.reason;
    const ignored = (p: string) => noise.has(p) || declared(p);
    fields += leaves(before.body, '$', ignored) + (ignored('status') ? 0 : 1);
    if (!a) continue;
    if ('error' in a) {
      // No answer where PostgreSQL answered is a behaviour change too: the status, from the one recorded to none.
      errors.push(`${a.request}: ${a.error}`);
      if (!ignored('status')) differences.push({ request: before.request, path: 'status', kind: 'status', before: before.status, after: `no answer (${a.error})` });
      continue;
    }
    for (const d of diffAnswers(before, a, (p) => {
      if (declared(p) && !noise.has(p)) declaredNoise.add(`${before.request} ${p}`);
      return ignored(p);
    })) {
      const reason = knownBecause(d.path);
      differences.push({ request: before.request, ...d, ...(reason ? { known: reason } : {}) });
    }
  }
  const pods = [...new Set(b.first.map((r) => r.pod))].join(', ');
  const pods2 = [...new Set(b.second.map((r) => r.pod))].join(', ');
  return {
    requests: b.first.length,
    fields,
    learnedNoise: learned,
    declaredNoise: [...declaredNoise],
    pods: t.identity.podHeader ? `first by ${pods || '?'}, second by ${pods2 || '?'}` : 'the app names no pod: both recordings through the Service',
    differences,
    errors,
  };
}
