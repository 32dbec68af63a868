// The run's score, capped by the runbook's premises that failed: a rollback drilled on an app that
// breaks what the runbook assumes (it acknowledges no write on PostgreSQL, its health check cannot
// see the database) proves less than its criteria say. The rule (docs/reports.md): the score is at
// most 100 × the share of measured premises that hold, so each failed premise of four takes 25 off
// the ceiling, and none holding leaves 0.
import type { CheckReport, GroupReport, RunReport } from './model.ts';

export const SCORE_CAP_RULE = 'the score is at most 100 × (premises that hold ÷ premises measured)';

/** Premise checks are the preflight's (procedure "preflight"), measured once per run for the target. */
export function premiseChecks(groups: readonly GroupReport[]): CheckReport[] {
  const byId = new Map<string, CheckReport>();
  for (const g of groups) for (const c of g.checks) if (c.procedure === 'preflight' && !byId.has(c.id)) byId.set(c.id, c);
  return [...byId.values()];
}

export function capScore(score: number | null, groups: readonly GroupReport[]): { score: number | null; cap: RunReport['scoreCap'] } {
  const premises = premiseChecks(groups);
  const failed = premises.filter((c) => !c.passed);
  if (score === null || failed.length === 0) return { score, cap: null };
  const cap = Math.round((1000 * (premises.length - failed.length)) / premises.length) / 10;
  return {
    score: Math.min(score, cap),
    cap: { uncapped: score, cap, failedPremises: failed.map((c) => ({ id: c.id, title: c.title, measured: c.says ?? c.measured })), rule: SCORE_CAP_RULE },
  };
}
