// The hardened planned rollback: writes are refused for under a second. Measured twice, the longer
// counts: as the procedure made it (the freeze asked for → the Service switched to SQLite), and as
// clients saw it (the first write refused → the next one acknowledged, from the ledger).
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { PLANNED_NO_IMPACT } from './matrix.ts';

const TITLE = 'Planned rollback: writes frozen under 1 s (freeze → switch, and first refused → next acknowledged write)';
const BUDGET = PLANNED_NO_IMPACT.writeFreezeMs;

export function writeFreezeVerdict(o: Pick<ScenarioOutcome, 'impact'>): Verdict {
  const { freeze, refused } = o.impact;
  const base = { id: 'write-freeze', title: TITLE, budget: BUDGET, unit: 'ms' } as const;
  if (!freeze) return { ...base, passed: false, measured: 'not measured: the procedure froze no writes at the database', evidence: 'no write freeze was made: writes were not stopped at the database before the copy' };
  if (freeze.windowMs === undefined) return { ...base, passed: false, measured: 'not measured: the Service was never switched', evidence: `${freeze.tables} tables frozen, and the procedure never switched the Service: writes stayed refused until the freeze was undone` };
  const outage = refused?.outageMs;
  const measured = Math.max(freeze.windowMs, outage ?? 0);
  return {
    ...base,
    passed: measured < BUDGET,
    measured,
    evidence:
      `writes frozen on ${freeze.tables} tables for ${freeze.windowMs} ms (asked for → the switch; committed after ${freeze.frozenAt - freeze.startedAt} ms); ` +
      `${refused?.writes ?? 0} writes refused, not lost` +
      (outage === undefined ? '' : `, ${outage} ms from the first refused to the next acknowledged write`),
  };
}

export default defineCriterion({
  id: 'write-freeze',
  title: TITLE,
  weight: 5,
  // The hardened planned rollback with nothing broken: a fault in place until the switch fails reads
  // and slows the copy of its own (finding planned-rollback-out-of-a-fault, with its numbers).
  appliesTo: (row) => row.method === 'planned' && row.variant !== 'seed' && !row.fault,
  judge: writeFreezeVerdict,
});
