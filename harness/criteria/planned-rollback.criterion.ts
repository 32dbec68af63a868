// Planned rollback (rows whose method is planned): start → validation complete, every step ok, within
// the row's budget and at most the runbook's 30 minutes. Weighs as much as the emergency rollback.
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';

/** Planned rollback: start → validation complete (the procedure ends with the engine verified), < 30 min. */
export function plannedVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.plannedRollbackMs): Verdict {
  const ms = o.procedure.durationMs;
  const failed = o.procedure.steps.filter((s) => s.outcome !== 'ok');
  return {
    id: 'planned-rollback',
    title: 'Planned rollback: start → validation complete',
    passed: o.procedure.completed && ms < budgetMs && o.sqliteReady === 3,
    measured: ms,
    budget: budgetMs,
    unit: 'ms',
    evidence: o.procedure.completed
      ? `all ${o.procedure.steps.length} steps ok in ${(ms / 1000).toFixed(1)} s (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s`
      : `${failed.length} step(s) not ok: ${failed.map((s) => `${s.step} (${s.outcome}: ${s.message})`).join('; ').slice(0, 400)}`,
  };
}

export default defineCriterion({
  id: 'planned-rollback',
  title: 'Planned rollback: start → validation complete, within the row\'s budget (at most 30 min)',
  weight: 25,
  appliesTo: (row) => row.method === 'planned',
  judge: (o) => plannedVerdict(o, Math.min(o.budgetMs, SUCCESS_CRITERIA.plannedRollbackMs)),
});
