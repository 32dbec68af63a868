// Performance: the load after the rollback is fast (p99 under the runbook's 500 ms) and answered
// (errors + non-2xx within the error budget: a fast error is not a fast answer).
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';

/**
 * Performance: p99 of the load (reads and writes) after the rollback < 500 ms, and errors + non-2xx
 * within the error budget: a fast error is not a fast answer.
 */
export function performanceVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.p99LatencyMs, errorBudget: number = o.errorBudget): Verdict {
  const a = o.load.after;
  const served = a ? a.requests - a.non2xx : 0;
  // Connection errors and timeouts are not in `requests` (answers only): both count against the budget.
  const bad = a ? a.errors + a.non2xx : 0;
  const attempts = a ? a.requests + a.errors : 0;
  const errorRate = attempts > 0 ? bad / attempts : 0;
  const slow = a !== undefined && a.p99 >= budgetMs;
  const failing = a !== undefined && errorRate > errorBudget;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return {
    id: 'performance',
    title: `Performance: p99 response time after the rollback < ${budgetMs} ms, errors + non-2xx ≤ ${pct(errorBudget)}`,
    passed: a !== undefined && served > 0 && !slow && !failing,
    measured: a ? a.p99 : null,
    budget: budgetMs,
    unit: 'ms',
    evidence: a
      ? `${failing ? `FAILED on errors: ${bad} of ${attempts} requests (${pct(errorRate)}) were errors or non-2xx, budget ${pct(errorBudget)}; ` : ''}` +
        `${slow ? `FAILED on latency: ` : ''}p99 ${a.p99} ms (p50 ${a.p50}, p95 ${a.p95}, max ${a.max}) over ${a.requests} requests in ${(a.durationMs / 1000).toFixed(1)} s, ${a.rps} req/s, ${a.errors} errors, ${a.non2xx} non-2xx (${pct(errorRate)}), ` +
        `${a.writes ? `${a.writes.ok}/${a.writes.attempted} writes acknowledged, ` : 'reads only, '}engines ${JSON.stringify(a.engines)}` +
        (o.load.baseline ? `; baseline before the fault p99 ${o.load.baseline.p99} ms` : '') +
        (o.load.faulted ? `; with the fault in place p99 ${o.load.faulted.p99} ms` : '')
      : 'no load phase ran after the rollback',
  };
}

export default defineCriterion({
  id: 'performance',
  title: 'Performance: p99 response time after the rollback < 500 ms, errors + non-2xx within the error budget',
  weight: 10,
  judge: (o) => performanceVerdict(o),
});
