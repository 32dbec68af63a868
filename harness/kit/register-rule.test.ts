// The register rule in pass/fail pairs: each rule has a history a correct register can produce
// (ok) and the nearest one it cannot (the anomaly), so a checker that is too lax or too strict fails.
import { describe, expect, it } from 'vitest';
import { checkRegister, pinnedValues, registerHeadline, RegisterInputError } from './register-rule.ts';
import { type RegisterRead, type RegisterWrite } from '../model/measurements.ts';

const w = (value: string, startedAt: number, endedAt: number, outcome: RegisterWrite['outcome'] = 'ok', key = 'theme'): RegisterWrite => ({ key, value, startedAt, endedAt, outcome });
const final = (value: string | null, key = 'theme'): RegisterRead => ({ key, value });
const one = (writes: RegisterWrite[], read: RegisterRead, initial?: Record<string, string | null>) => {
  const c = checkRegister({ writes, reads: [read], ...(initial ? { initial } : {}) });
  expect(c.results).toHaveLength(1);
  return c.results[0]!;
};

describe('the last acknowledged write', () => {
  const seq = [w('a', 0, 10), w('b', 20, 30), w('c', 40, 50)];
  it('ok: the final read holds it', () => {
    expect(one(seq, final('c'))).toMatchObject({ verdict: 'ok', readFrom: 'ok', expected: ['c'], acknowledged: 3 });
  });
  it('stale: an older acknowledged value, overwritten by one that started after it ended', () => {
    const r = one(seq, final('b'));
    expect(r).toMatchObject({ verdict: 'stale', readFrom: 'ok', expected: ['c'] });
    expect(r.detail).toBe('theme: final read "b" (ok, +20 ms..+30 ms), overwritten by acknowledged "c" (ok, +40 ms..+50 ms) which started after it ended: lost update; legal: "c"');
  });
});

describe('acknowledged writes concurrent with the last one', () => {
  it('ok: a write that overlaps the last-starting acknowledged write may have taken effect after it', () => {
    expect(one([w('a', 0, 10), w('b', 5, 15)], final('a'))).toMatchObject({ verdict: 'ok', expected: ['a', 'b'] });
  });
  it('stale: once the other started after it ended, it cannot', () => {
    expect(one([w('a', 0, 10), w('b', 11, 15)], final('a'))).toMatchObject({ verdict: 'stale', expected: ['b'] });
  });
  it('ok: a tie on the millisecond is read in the app\'s favour', () => {
    expect(one([w('a', 0, 10), w('b', 10, 15)], final('a')).verdict).toBe('ok');
  });
  it('ok with three: the one that ended first is still legal while both others overlap it', () => {
    expect(one([w('a', 0, 30), w('b', 10, 20), w('c', 25, 40)], final('a')).expected).toEqual(['a', 'c']);
  });
});

describe('failed writes (an error answer): may have taken effect, but only before their answer', () => {
  it('ok: a failed write that ended after the last acknowledged one started', () => {
    expect(one([w('a', 0, 10), w('f', 12, 14, 'fail')], final('f'))).toMatchObject({ verdict: 'ok', readFrom: 'fail', expected: ['a', 'f'] });
  });
  it('stale: a failed write that ended before the last acknowledged one started', () => {
    expect(one([w('f', 0, 2, 'fail'), w('a', 5, 10)], final('f'))).toMatchObject({ verdict: 'stale', readFrom: 'fail', expected: ['a'] });
  });
});

describe('unknown writes (no answer): may take effect any time after their start', () => {
  it('ok: an unknown write from long before the last acknowledged one', () => {
    expect(one([w('u', 0, 1, 'unknown'), w('a', 5, 10)], final('u'))).toMatchObject({ verdict: 'ok', readFrom: 'unknown', expected: ['u', 'a'] });
  });
  it('not legal for a read that ended before it started', () => {
    const r = one([w('a', 0, 10), w('u', 50, 60, 'unknown')], { key: 'theme', value: 'u', startedAt: 20, endedAt: 30 });
    expect(r).toMatchObject({ verdict: 'unknown-value', expected: ['a'] });
    expect(r.detail).toContain('"u", written only at +50 ms, after the read');
  });
});

describe('values', () => {
  it('ok: a value some write carried', () => {
    expect(one([w('a', 0, 10)], final('a')).verdict).toBe('ok');
  });
  it('unknown-value: a value nobody wrote to this key (not even to another key)', () => {
    const r = checkRegister({ writes: [w('a', 0, 10), w('x', 0, 10, 'ok', 'locale')], reads: [final('x'), final('x', 'locale')] }).results[0]!;
    expect(r).toMatchObject({ verdict: 'unknown-value', expected: ['a'] });
    expect(r.detail).toBe('theme: final read "x", never written to this key; legal: "a"');
  });
});

describe('missing values', () => {
  it('ok: no value when nothing was acknowledged and the key had no initial value (a failed write only)', () => {
    expect(one([w('f', 0, 10, 'fail')], final(null))).toMatchObject({ verdict: 'ok', absentLegal: true, expected: ['f'] });
  });
  it('missing: no value although a write was acknowledged', () => {
    const r = one([w('f', 0, 10, 'fail'), w('a', 20, 30)], final(null));
    expect(r).toMatchObject({ verdict: 'missing', absentLegal: false, expected: ['a'] });
    expect(r.detail).toContain('1 acknowledged write(s) before it, the latest "a" (ok, +20 ms..+30 ms)');
  });
  it('missing: a key that was written but never read is not a pass', () => {
    const c = checkRegister({ writes: [w('a', 0, 10), w('l', 0, 10, 'ok', 'locale')], reads: [final('a')] });
    expect(c.results.map((r) => [r.key, r.verdict])).toEqual([
      ['theme', 'ok'],
      ['locale', 'missing'],
    ]);
  });
  it('missing: the seeded initial value gone, with no write at all', () => {
    expect(one([], final(null), { theme: 'light' })).toMatchObject({ verdict: 'missing', expected: ['light'] });
  });
});

describe('the initial (seeded) value', () => {
  it('ok: while no write was acknowledged (an unknown one may never have applied)', () => {
    expect(one([w('u', 0, 10, 'unknown')], final('light'), { theme: 'light' })).toMatchObject({ verdict: 'ok', readFrom: 'initial', expected: ['light', 'u'] });
  });
  it('stale: after an acknowledged write replaced it', () => {
    const r = one([w('a', 0, 10)], final('light'), { theme: 'light' });
    expect(r).toMatchObject({ verdict: 'stale', readFrom: 'initial', expected: ['a'] });
    expect(r.detail).toContain('the initial value "light", overwritten by acknowledged "a"');
  });
});

describe('the mutant: an acknowledged update dropped after the switch', () => {
  // 20 sequential acknowledged updates of one key; the mutant drops every 5th, so the 20th is lost
  // and the key still holds the 19th.
  const writes = Array.from({ length: 20 }, (_, i) => w(`run1-${i + 1}`, i * 10, i * 10 + 5));
  it('ok: the app kept the last update', () => {
    expect(one(writes, final('run1-20')).verdict).toBe('ok');
  });
  it('stale: the mutant\'s key reads the update before the dropped one', () => {
    const r = one(writes, final('run1-19'));
    expect(r).toMatchObject({ verdict: 'stale', expected: ['run1-20'] });
    expect(r.detail).toContain('overwritten by acknowledged "run1-20"');
  });
  it('reads during the workload catch the drops that a final read cannot see', () => {
    // Each update read back right after its answer; the mutant's store lost #5, #10 and #15 too.
    const reads = writes.map((x, i): RegisterRead => ({ key: 'theme', value: (i + 1) % 5 === 0 ? `run1-${i}` : x.value, startedAt: x.endedAt + 1, endedAt: x.endedAt + 2 }));
    const c = checkRegister({ writes, reads });
    expect(c.results.filter((r) => r.verdict === 'stale').map((r) => r.read)).toEqual(['run1-4', 'run1-9', 'run1-14', 'run1-19']);
    expect(c.totals).toEqual({ keys: 1, reads: 20, ok: 16, stale: 4, unknownValue: 0, missing: 0, acknowledged: 20 });
  });
});

describe('reads with a window', () => {
  const writes = [w('a', 0, 10), w('b', 20, 30)];
  it('ok: a read that overlaps a write may see either value', () => {
    expect(one(writes, { key: 'theme', value: 'a', startedAt: 25, endedAt: 26 }).expected).toEqual(['a', 'b']);
    expect(one(writes, { key: 'theme', value: 'b', startedAt: 25, endedAt: 26 }).verdict).toBe('ok');
  });
  it('stale: a read after the write answered must not see the value before it', () => {
    expect(one(writes, { key: 'theme', value: 'a', startedAt: 31, endedAt: 32 })).toMatchObject({ verdict: 'stale', expected: ['b'] });
  });
  it('ok: a read starting on the millisecond a write answered may still precede it', () => {
    expect(one(writes, { key: 'theme', value: 'a', startedAt: 30, endedAt: 31 }).verdict).toBe('ok');
  });
  it('ok then missing: no value before the first answer, but not after it', () => {
    expect(one(writes, { key: 'theme', value: null, startedAt: 5, endedAt: 6 }).verdict).toBe('ok');
    expect(one(writes, { key: 'theme', value: null, startedAt: 11, endedAt: 12 }).verdict).toBe('missing');
  });
});

describe('totals and headline', () => {
  it('no anomaly', () => {
    const c = checkRegister({ writes: [w('a', 0, 10), w('b', 0, 10, 'ok', 'locale')], reads: [final('a'), final('b', 'locale')] });
    expect(registerHeadline(c)).toBe('no anomaly: 2 read(s) of 2 key(s) against 2 acknowledged write(s)');
  });
  it('every anomaly named', () => {
    const c = checkRegister({
      writes: [w('a', 0, 10), w('b', 20, 30), w('l', 0, 10, 'ok', 'locale'), w('t', 0, 10, 'ok', 'timezone')],
      reads: [final('a'), final('zzz', 'locale'), final(null, 'timezone')],
    });
    expect(c.totals).toEqual({ keys: 3, reads: 3, ok: 0, stale: 1, unknownValue: 1, missing: 1, acknowledged: 4 });
    expect(registerHeadline(c)).toBe('1 stale (lost update), 1 never-written value, 1 missing: 3 read(s) of 3 key(s) against 4 acknowledged write(s)');
  });
});

describe('input', () => {
  it('a value written twice to a key cannot name its write: refused', () => {
    expect(() => checkRegister({ writes: [w('a', 0, 10), w('a', 20, 30)], reads: [] })).toThrow(new RegisterInputError('value "a" written twice to key "theme": values must be unique per write'));
  });
  it('a write that ends before it starts: refused, naming the field', () => {
    expect(() => checkRegister({ writes: [w('a', 10, 0)], reads: [] })).toThrow(/register writes: 0 endedAt is before startedAt/);
  });
  it('the same value under two keys is fine', () => {
    expect(checkRegister({ writes: [w('a', 0, 10), w('a', 0, 10, 'ok', 'locale')], reads: [final('a'), final('a', 'locale')] }).totals.ok).toBe(2);
  });
  // Its speed (a quadratic scan took 6 s here) is measured by `npm run bench -- register-rule`, not asserted.
  it('at size: 8 keys x 5,000 updates each read back during the workload, every read judged', () => {
    const keys = ['theme', 'locale', 'timezone', 'page_size', 'beta', 'motd', 'retention_days', 'digest_hour'];
    const writes: RegisterWrite[] = [];
    const reads: RegisterRead[] = [];
    for (const key of keys)
      for (let i = 0; i < 5_000; i++) {
        writes.push(w(`${key}-${i}`, i * 10, i * 10 + 8, i % 97 === 0 ? 'unknown' : 'ok', key));
        reads.push({ key, value: `${key}-${i}`, startedAt: i * 10 + 9, endedAt: i * 10 + 9 });
      }
    const c = checkRegister({ writes, reads });
    expect(c.totals).toMatchObject({ reads: 40_000, ok: 40_000 });
  });
});

describe('pinned values (the writes whose loss a read would have shown)', () => {
  it('a read after a lone acknowledged write pins it; one among concurrent writes pins none; the initial value is pinned before any write', () => {
    const writes = [w('a', 0, 10), w('b', 20, 30), w('c', 21, 31)];
    const reads: RegisterRead[] = [
      { key: 'theme', value: 'light', startedAt: -5, endedAt: -4 },
      { key: 'theme', value: 'a', startedAt: 12, endedAt: 14 },
      { key: 'theme', value: 'b', startedAt: 25, endedAt: 26 },
      final('c'),
    ];
    const c = checkRegister({ writes, reads, initial: { theme: 'light' } });
    expect(c.totals.ok).toBe(4);
    // read 3 may see a, b or c (b and c in flight); the final read may see b or c (concurrent).
    expect([...pinnedValues(c)].sort()).toEqual(['a', 'light']);
  });
});
