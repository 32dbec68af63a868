// The hardened planned rollback: no read fails. The availability probe's reads through the Service,
// during the procedure (and 1 s after); one failed answer fails it (the seed runbook
// never promised this: its downtime shows under availability).
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { PLANNED_NO_IMPACT } from './matrix.ts';

const TITLE = 'Planned rollback: no read fails (availability probe, during the procedure)';

export function plannedFailedReadsVerdict(o: Pick<ScenarioOutcome, 'impact'>): Verdict {
  const { probes, failed, examples } = o.impact.reads;
  if (probes === 0) return { id: 'planned-failed-reads', title: TITLE, passed: false, measured: 'not measured: no read was probed after the procedure started', budget: PLANNED_NO_IMPACT.failedReads, unit: 'failed reads', evidence: 'the availability probe took no sample after the procedure started' };
  return {
    id: 'planned-failed-reads',
    title: TITLE,
    passed: failed <= PLANNED_NO_IMPACT.failedReads,
    measured: failed,
    budget: PLANNED_NO_IMPACT.failedReads,
    unit: 'failed reads',
    evidence: `${failed} of ${probes} reads through the Service failed during the procedure (and 1 s after)${examples.length ? `: ${examples.join('; ')}` : ''}`,
  };
}

export default defineCriterion({
  id: 'planned-failed-reads',
  title: TITLE,
  weight: 10,
  // The hardened planned rollback with nothing broken: a fault in place until the switch fails reads
  // and slows the copy of its own (finding planned-rollback-out-of-a-fault, with its numbers).
  appliesTo: (row) => row.method === 'planned' && row.variant !== 'seed' && !row.fault,
  judge: plannedFailedReadsVerdict,
});
