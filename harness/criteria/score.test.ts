import { describe, expect, it } from 'vitest';
import { loadCriteria } from './registry.ts';
import { resilienceScore } from './score.ts';
import { securityValidation } from './security-validation.ts';
import type { Verdict } from '../model/verdict.ts';

const v = (id: string, passed: boolean): Verdict => ({ id, title: id, passed, measured: null, budget: null, evidence: '' });
// The weights each criterion carries in its own file (*.criterion.ts, and the security validation a row opts into).
const weights = new Map([...(await loadCriteria()), securityValidation].map((c) => [c.id, c.weight]));

describe('resilience score', () => {
  it('is the weighted share of criteria met', () => {
    const all = ['emergency-rollback', 'data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring'];
    expect(resilienceScore(all.map((id) => v(id, true)), weights).resilienceScore).toBe(100);
    const s = resilienceScore(all.map((id) => v(id, id !== 'data-integrity')), weights);
    expect(s).toMatchObject({ earned: 70, possible: 95, missed: 'data-integrity (25)' });
    expect(s.resilienceScore).toBe(73.7);
  });
  it('keeps the weights the score had before they moved into the criteria (stability came later, at 10)', () => {
    expect(Object.fromEntries(weights)).toEqual({
      'emergency-rollback': 25,
      'planned-rollback': 25,
      'data-integrity': 25,
      'engine-in-use': 10,
      functionality: 15,
      performance: 10,
      monitoring: 10,
      stability: 10,
      'security-validation': 15,
      'planned-failed-reads': 10,
      'write-freeze': 5,
      'planned-no-alert': 5,
    });
  });
  it('a verdict it has no weight for is an error naming the criterion, not left out', () => {
    expect(() => resilienceScore([v('emergency-rollback', true), v('other', true)], weights)).toThrow(/^criterion other has no score weight/);
  });
  it('scores nothing measured as 0', () => {
    expect(resilienceScore([], weights).resilienceScore).toBe(0);
  });
});
