import type { Verdict } from '../model/verdict.ts';

// Resilience score of one scenario run: the weighted share of its criteria met, 0–100. Each
// criterion carries its weight in its own file (what hurts most when it breaks: losing data and not
// restoring first, then broken features, then speed and alerting). A verdict the score has no
// weight for is an error: it would otherwise change the score by being silently left out.

export interface Score {
  resilienceScore: number;
  earned: number;
  possible: number;
  /** Criteria missed, with their weights: "performance (10)". */
  missed: string;
}

export function resilienceScore(verdicts: readonly Verdict[], weights: ReadonlyMap<string, number>): Score {
  let earned = 0;
  let possible = 0;
  const missed: string[] = [];
  for (const v of verdicts) {
    const w = weights.get(v.id);
    if (w === undefined) throw new Error(`criterion ${v.id} has no score weight: define it with defineCriterion({ id: '${v.id}', weight, … })`);
    possible += w;
    if (v.passed) earned += w;
    else missed.push(`${v.id} (${w})`);
  }
  return { resilienceScore: possible === 0 ? 0 : Math.round((earned / possible) * 1000) / 10, earned, possible, missed: missed.join(', ') || 'none' };
}
