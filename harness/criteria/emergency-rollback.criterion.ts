// Emergency rollback (rows whose method is emergency): trigger → healthy on SQLite with 3/3 ready,
// within the row's budget (the matrix's "Rollback Time"). Weighs as much as losing data: a rollback
// that does not restore is the failure the runbook exists to prevent.
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { engineSource } from './engine-evidence.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';

/** "never (watched 95.2 s after the trigger)", or null when the probe watched nothing after it. */
function neverRestored(o: Pick<ScenarioOutcome, 'availability' | 'procedureStartedAt'>): string | null {
  const watched = (o.availability.lastAt ?? -Infinity) - o.procedureStartedAt;
  return watched > 0 ? `never (watched ${(watched / 1000).toFixed(1)} s after the trigger)` : null;
}

/** Trigger → 5 consecutive healthy SQLite answers, for good, with 3/3 SQLite pods ready, under `budgetMs`. */
export function emergencyRollbackVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.emergencyRollbackMs): Verdict {
  const ttr = o.timeToRestoreMs;
  return {
    id: 'emergency-rollback',
    title: 'Emergency rollback: trigger → healthy on SQLite with 3/3 ready',
    passed: ttr !== undefined && ttr < budgetMs && o.sqliteReady === 3,
    // Never restored while the probe watched is a measured failure; no samples at all is not measured.
    measured: ttr ?? neverRestored(o),
    budget: budgetMs,
    unit: 'ms',
    evidence:
      ttr === undefined
        ? `never restored: no 5 consecutive healthy SQLite answers after the trigger (${o.availability.failed}/${o.availability.total} probes failed); SQLite ready ${o.sqliteReady}/3${engineSource(o) ? `; engine ${engineSource(o)}` : ''}`
        : `restored ${(ttr / 1000).toFixed(1)} s after the trigger (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s${engineSource(o) ? `; engine ${engineSource(o)}` : ''}`,
  };
}

export default defineCriterion({
  id: 'emergency-rollback',
  title: 'Emergency rollback: trigger → healthy on SQLite with 3/3 ready, within the row\'s budget',
  weight: 25,
  appliesTo: (row) => row.method === 'emergency',
  judge: (o) => emergencyRollbackVerdict(o, o.budgetMs),
});
