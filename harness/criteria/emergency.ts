// The runbook's success criteria for an emergency rollback, each a verdict from a measurement:
// measured value, budget and a sentence of evidence. No measurement, no pass.
import type { EventOf } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import type { ScenarioOutcome } from '../drill/run-scenario.ts';

/** A verdict is exactly what the journal records for it. */
export type Verdict = Omit<EventOf<'verdict'>, 't' | 'type' | 'scenario' | 'variant'>;

export const EMERGENCY_BUDGET_MS = 5 * 60_000;

export const PLANNED_BUDGET_MS = 30 * 60_000;

/** Planned rollback: start → validation complete (the procedure ends with the engine verified), < 30 min. */
export function plannedVerdict(o: ScenarioOutcome, budgetMs = PLANNED_BUDGET_MS): Verdict {
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

/** The verdicts of a scenario run, by its method. */
export function scenarioVerdicts(o: ScenarioOutcome): Verdict[] {
  const [rollback, ...rest] = emergencyVerdicts(o);
  return [o.method === 'planned' ? plannedVerdict(o) : rollback!, ...rest];
}

export function emergencyVerdicts(o: ScenarioOutcome, budgetMs = EMERGENCY_BUDGET_MS): Verdict[] {
  const ttr = o.timeToRestoreMs;
  const l = o.ledger;
  return [
    {
      id: 'emergency-rollback',
      title: 'Emergency rollback: trigger → healthy on SQLite with 3/3 ready',
      passed: ttr !== undefined && ttr < budgetMs && o.sqliteReady === 3,
      measured: ttr ?? null,
      budget: budgetMs,
      unit: 'ms',
      evidence:
        ttr === undefined
          ? `never restored: no 5 consecutive healthy SQLite answers after the trigger (${o.availability.failed}/${o.availability.total} probes failed); SQLite ready ${o.sqliteReady}/3`
          : `restored ${(ttr / 1000).toFixed(1)} s after the trigger (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s`,
    },
    {
      id: 'data-integrity',
      title: 'Data integrity: no acknowledged write lost',
      passed: l.lost === 0 && l.unexpected === 0 && l.duplicated === 0 && l.ok > 0,
      measured: l.lost,
      budget: 0,
      unit: 'lost writes',
      evidence: `${l.lost} of ${l.ok} acknowledged writes lost, ${l.unexpected} unexpected, ${l.duplicated} duplicated, ${l.recovered}/${l.unknown} unknown writes found${l.lost ? `; first lost: ${l.lostEmails.slice(0, 3).join(', ')}` : ''}`,
    },
    {
      id: 'engine-in-use',
      title: 'The restored service is served by SQLite',
      passed: o.enginesAfter.length === 1 && o.enginesAfter[0] === 'sqlite',
      measured: o.enginesAfter.join(',') || 'none',
      budget: 'sqlite',
      evidence: `engines answering after restore: ${o.enginesAfter.join(', ') || 'none'} (x-db-engine of every healthy probe)`,
    },
  ];
}

export function journalVerdicts(journal: Journal, verdicts: Verdict[]): void {
  for (const v of verdicts) journal.write({ type: 'verdict', ...v });
}
