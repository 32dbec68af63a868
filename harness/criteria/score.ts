// Resilience score of one scenario run: the weighted share of its criteria met, 0–100. The weights
// say what hurts most when it breaks: losing data and not restoring first, then broken features,
// then speed and alerting. Criteria a row does not measure are left out of the denominator.
import type { Verdict } from '../model/verdict.ts';

export const SCORE_WEIGHTS: Record<string, number> = {
  'emergency-rollback': 25,
  'planned-rollback': 25,
  'data-integrity': 25,
  'engine-in-use': 10,
  functionality: 15,
  performance: 10,
  monitoring: 10,
  'security-validation': 15,
};

export interface Score {
  resilienceScore: number;
  earned: number;
  possible: number;
  /** Criteria missed, with their weights: "performance (10)". */
  missed: string;
}

export function resilienceScore(verdicts: readonly Verdict[]): Score {
  let earned = 0;
  let possible = 0;
  const missed: string[] = [];
  for (const v of verdicts) {
    const w = SCORE_WEIGHTS[v.id];
    if (w === undefined) continue;
    possible += w;
    if (v.passed) earned += w;
    else missed.push(`${v.id} (${w})`);
  }
  return { resilienceScore: possible === 0 ? 0 : Math.round((earned / possible) * 1000) / 10, earned, possible, missed: missed.join(', ') || 'none' };
}
