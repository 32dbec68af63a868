// The hardened planned rollback: a planned change fires no alert. Any of the runbook's automatic
// triggers firing during the procedure (or the second after it) fails it (an emergency row's expected triggers
// are the monitoring criterion's, before the rollback).
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { PLANNED_NO_IMPACT } from './matrix.ts';

const TITLE = 'Planned rollback: no alert fires (the runbook\'s triggers, during the procedure)';

export function plannedNoAlertVerdict(o: Pick<ScenarioOutcome, 'impact'>): Verdict {
  const fired = o.impact.alertsFired;
  return {
    id: 'planned-no-alert',
    title: TITLE,
    passed: fired.length <= PLANNED_NO_IMPACT.alertsFired,
    measured: fired.length,
    budget: PLANNED_NO_IMPACT.alertsFired,
    unit: 'alerts',
    evidence: fired.length ? fired.map((a) => `${a.id} fired ${(a.afterStartMs / 1000).toFixed(1)} s after the procedure started (${a.evidence})`).join('; ') : `no trigger fired during the procedure (and 1 s after) (${o.impact.reads.probes} probes)`,
  };
}

export default defineCriterion({
  id: 'planned-no-alert',
  title: TITLE,
  weight: 5,
  // With nothing broken: a fault in place until the switch (performance issues) fires triggers of its
  // own (finding planned-rollback-out-of-a-fault, with its numbers).
  appliesTo: (row) => row.method === 'planned' && row.variant !== 'seed' && !row.fault,
  judge: plannedNoAlertVerdict,
});
