import { describe, expect, it } from 'vitest';
import { compareReplay, differentialPaths, pathMatcher, type DifferentialBaseline } from './differential.ts';

const t = {
  reads: ['/h', '/list'],
  identity: { podHeader: 'x-pod' },
  differential: {
    requests: ['/list', '/one'],
    ignore: [{ request: '/list', path: '$.items[*].seen', reason: 'read time' }],
    engineDifferences: [{ request: '/h', path: '$.engine', reason: 'names the engine' }],
  },
};
const rec = (request: string, body: unknown, pod: string, status = 200) => ({ request: `GET ${request}`, status, body, pod });

describe('the differential replay', () => {
  it("replays the profile's reads and its extra requests, each once", () => {
    expect(differentialPaths(t)).toEqual(['/h', '/list', '/one']);
  });

  it('each known engine difference carries the reason of the entry that covers it', () => {
    const two = { ...t, differential: { ...t.differential, engineDifferences: [{ request: '/h', path: '$.engine', reason: 'names the engine' }, { request: '/h', path: '$.up', reason: 'counts from start' }] } };
    const b: DifferentialBaseline = { first: [rec('/h', { engine: 'postgres', up: 1 }, 'a')], second: [rec('/h', { engine: 'postgres', up: 1 }, 'b')] };
    const r = compareReplay(b, [rec('/h', { engine: 'sqlite', up: 2 }, 'c')], two);
    expect(r.differences.map((d) => `${d.path}: ${d.known}`)).toEqual(['$.engine: names the engine', '$.up: counts from start']);
  });

  it('declared paths match themselves, what is under them, and any index for [*]', () => {
    const m = pathMatcher(t.differential.ignore, 'GET /list');
    expect(['$.items[3].seen', '$.items[0].seen.ms', '$.items[0].seenAt', '$.items[0].name'].map(m)).toEqual([true, true, false, false]);
    expect(pathMatcher(t.differential.ignore, 'GET /h')('$.items[0].seen')).toBe(false);
  });

  it('noise learned from two pods and declared noise are left out; a known engine difference is reported with its reason; the rest are differences', () => {
    const baseline: DifferentialBaseline = {
      first: [rec('/h', { engine: 'postgres', pod: 'a', up: 1 }, 'a'), rec('/list', { items: [{ n: 1, seen: 5 }, { n: 2, seen: 6 }] }, 'a'), rec('/one', { n: 1 }, 'a')],
      second: [rec('/h', { engine: 'postgres', pod: 'b', up: 1 }, 'b'), rec('/list', { items: [{ n: 1, seen: 5 }, { n: 2, seen: 6 }] }, 'b'), rec('/one', { n: 1 }, 'b')],
    };
    const after = [rec('/h', { engine: 'sqlite', pod: 'c', up: 1 }, 'c'), rec('/list', { items: [{ n: 1, seen: 9 }, { n: 2, seen: 9 }] }, 'c'), { request: 'GET /one', error: 'socket hang up' }];
    const r = compareReplay(baseline, after, t);
    expect(r.learnedNoise).toEqual(['GET /h $.pod']);
    expect(r.declaredNoise).toEqual(['GET /list $.items[0].seen', 'GET /list $.items[1].seen']);
    expect(r.differences).toEqual([
      { request: 'GET /h', path: '$.engine', kind: 'value', before: 'postgres', after: 'sqlite', known: 'names the engine' },
      // Unanswered after the rollback where PostgreSQL answered: a status difference, not a pass.
      { request: 'GET /one', path: 'status', kind: 'status', before: 200, after: 'no answer (socket hang up)' },
    ]);
    expect(r.errors).toEqual(['GET /one: socket hang up']);
    // h: engine, up + status; list: 2 × n + status; one: n + status (pod and seen left out).
    expect(r.fields).toBe(8);
    expect(r.pods).toBe('first by a, second by b');
    const changed = compareReplay(baseline, [after[0]!, rec('/list', { items: [{ n: 2, seen: 1 }, { n: 1, seen: 1 }] }, 'c'), rec('/one', { n: '1' }, 'c', 200)], t);
    expect(changed.differences.filter((d) => !d.known).map((d) => `${d.request} ${d.path} ${d.kind}`)).toEqual(['GET /list $.items order', 'GET /one $.n format']);
  });
});
