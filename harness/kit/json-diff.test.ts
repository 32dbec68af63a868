import { describe, expect, it } from 'vitest';
import { diffAnswers, differenceInWords, noisePaths } from './json-diff.ts';

const a = (body: unknown, status = 200) => ({ status, body });

describe('diffAnswers: each kind of behaviour change, with its JSON path and both values', () => {
  it('names the kind: status, missing, added, value, order, format, case, type', () => {
    const before = a({ tools: ['github', 'gitlab', 'jira'], count: 3, at: '2024-03-10T02:30:00.000+05:45', name: 'Zoë', price: '1.50', id: 7, gone: true, nested: { x: [1, { y: 'a' }] } });
    const after = a({ tools: ['jira', 'gitlab', 'github'], count: '3', at: '2024-03-09T20:45:00.000Z', name: 'zoë', price: '1.5', id: 8, extra: null, nested: { x: [1, { y: 'b' }] } }, 201);
    const d = diffAnswers(before, after);
    expect(d.map((x) => `${x.path} ${x.kind}`)).toEqual([
      'status status',
      '$.tools order',
      '$.count format',
      '$.at format',
      '$.name case',
      '$.price format',
      '$.id value',
      '$.gone missing',
      '$.nested.x[1].y value',
      '$.extra added',
    ]);
    expect(differenceInWords({ request: 'GET /x', ...d[1]! })).toBe('GET /x $.tools: the same list in another order: before ["github","gitlab","jira"], after ["jira","gitlab","github"]');
  });

  it('equal answers (keys in another order too) have none; ignored paths and everything under them are left out', () => {
    expect(diffAnswers(a({ x: 1, y: { z: [1, 2] } }), a({ y: { z: [1, 2] }, x: 1 }))).toEqual([]);
    const d = diffAnswers(a({ pod: 'p1', db: { latencyMs: 1, status: 'up' } }), a({ pod: 'p2', db: { latencyMs: 2, status: 'down' } }), (p) => p === '$.pod' || p === '$.db.latencyMs');
    expect(d).toEqual([{ path: '$.db.status', kind: 'value', before: 'up', after: 'down' }]);
  });

  it('a list that grew or shrank: the items added or missing by index; a text body is one field; a type change is one difference', () => {
    expect(diffAnswers(a([1, 2]), a([1, 2, 3])).map((x) => `${x.path} ${x.kind}`)).toEqual(['$[2] added']);
    expect(diffAnswers(a('ok'), a('OK')).map((x) => x.kind)).toEqual(['case']);
    expect(diffAnswers(a({ v: [1] }), a({ v: { 0: 1 } })).map((x) => `${x.path} ${x.kind}`)).toEqual(['$.v type']);
    expect(noisePaths(a({ t: 1, u: 2 }), a({ t: 1, u: 3 }))).toEqual(['$.u']);
  });
});
