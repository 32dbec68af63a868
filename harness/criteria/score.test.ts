import { describe, expect, it } from 'vitest';
import { resilienceScore } from './score.ts';
import type { Verdict } from '../model/verdict.ts';

const v = (id: string, passed: boolean): Verdict => ({ id, title: id, passed, measured: null, budget: null, evidence: '' });

describe('resilience score', () => {
  it('is the weighted share of criteria met', () => {
    const all = ['emergency-rollback', 'data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring'];
    expect(resilienceScore(all.map((id) => v(id, true))).resilienceScore).toBe(100);
    const s = resilienceScore(all.map((id) => v(id, id !== 'data-integrity')));
    expect(s).toMatchObject({ earned: 70, possible: 95, missed: 'data-integrity (25)' });
    expect(s.resilienceScore).toBe(73.7);
  });
  it('ignores verdicts it has no weight for and scores nothing measured as 0', () => {
    expect(resilienceScore([v('other', true)]).resilienceScore).toBe(0);
  });
});
