// Performance: the load after the rollback is fast (p99 under the runbook's 500 ms) and answered
// (errors + non-2xx within the error budget: a fast error is not a fast answer). The load comes at a
// fixed rate (drill/load-rate.ts), so the p99 judged is the corrected one, from each request's
// intended send time, and a service that takes less than 95 % of the rate fails too: a closed loop
// would have slowed down with it and measured only the requests the slow service let through.
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { goodRps } from '../kit/good-rps.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';

/** The share of the target rate the restored service must take. */
export const MIN_RATE_SHARE = 0.95;

/**
 * Performance: corrected p99 of the load (reads and writes) after the rollback < 500 ms, at least
 * 95 % of its fixed rate answered, and errors + non-2xx within the error budget.
 */
export function performanceVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.p99LatencyMs, errorBudget: number = o.errorBudget): Verdict {
  const a = o.load.after;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const title = `Performance: p99 response time after the rollback < ${budgetMs} ms at a fixed rate, errors + non-2xx ≤ ${pct(errorBudget)}`;
  if (!a) return { id: 'performance', title, passed: false, measured: null, budget: budgetMs, unit: 'ms', evidence: 'no load phase ran after the rollback' };
  const served = a.requests - a.non2xx;
  // Connection errors and timeouts are not in `requests` (answers only): both count against the budget.
  const bad = a.errors + a.non2xx;
  const attempts = a.requests + a.errors;
  const errorRate = attempts > 0 ? bad / attempts : 0;
  const p99 = a.corrected?.p99 ?? a.p99;
  const slow = p99 >= budgetMs;
  const failing = errorRate > errorBudget;
  const short = a.rate !== undefined && a.rate.achieved < MIN_RATE_SHARE * a.rate.target;
  const failures = [
    ...(failing ? [`FAILED on errors: ${bad} of ${attempts} requests (${pct(errorRate)}) were errors or non-2xx, budget ${pct(errorBudget)}`] : []),
    ...(short ? [`FAILED on rate: ${a.rate!.achieved} of the ${a.rate!.target} req/s wanted were answered (${pct(a.rate!.achieved / a.rate!.target)}, under ${MIN_RATE_SHARE * 100} %)`] : []),
    ...(slow ? [`FAILED on latency: ${a.corrected ? 'corrected ' : ''}p99 ${p99} ms`] : []),
  ];
  const load = a.rate
    ? `open loop at ${a.rate.target} req/s (${a.rate.source}): ${a.rate.achieved} req/s answered, ${a.rate.sent} sent, ${a.rate.late} late (${pct(a.rate.lateShare)})`
    : 'closed loop (no fixed rate: no baseline to take one from), so a slower service was sent less traffic';
  const says = failures.length
    ? short
      ? `the restored service answered ${a.rate!.achieved} of the ${a.rate!.target} req/s it was sent (${pct(a.rate!.achieved / a.rate!.target)}), p99 ${p99} ms counted from when each request was due`
      : slow
        ? `p99 ${p99} ms after the rollback${a.corrected ? ', counted from when each request was due,' : ''} against the runbook's ${budgetMs} ms`
        : `${pct(errorRate)} of the requests after the rollback were errors or non-2xx (budget ${pct(errorBudget)})`
    : undefined;
  return {
    id: 'performance',
    title,
    passed: served > 0 && failures.length === 0,
    measured: p99,
    budget: budgetMs,
    unit: 'ms',
    ...(says ? { says } : {}),
    evidence:
      [
        ...failures,
        load,
        a.corrected
          ? `corrected p99 ${a.corrected.p99} ms (p50 ${a.corrected.p50}, p95 ${a.corrected.p95}, max ${a.corrected.max}); from the actual send p99 ${a.p99} ms (p50 ${a.p50}, p95 ${a.p95}, max ${a.max})`
          : `p99 ${a.p99} ms (p50 ${a.p50}, p95 ${a.p95}, max ${a.max})`,
        `${a.requests} requests in ${(a.durationMs / 1000).toFixed(1)} s, ${a.errors} errors, ${a.non2xx} non-2xx (${pct(errorRate)}), ${a.writes ? `${a.writes.ok}/${a.writes.attempted} writes acknowledged` : 'reads only'}, engines ${JSON.stringify(a.engines)}`,
        ...(o.load.baseline ? [`baseline before the fault (closed loop) p99 ${o.load.baseline.p99} ms at ${o.load.baseline.rps} req/s`] : []),
        ...(o.load.faulted ? [`with the fault in place p99 ${o.load.faulted.corrected?.p99 ?? o.load.faulted.p99} ms`] : []),
        ...(o.load.capacityAfter ? [`capacity after the rollback (closed loop) ${goodRps(o.load.capacityAfter)} req/s answered 2xx${o.load.capacityBefore ? ` (before the fault ${goodRps(o.load.capacityBefore)})` : ''}`] : []),
      ].join('; '),
  };
}

export default defineCriterion({
  id: 'performance',
  title: 'Performance: p99 response time after the rollback < 500 ms at a fixed rate, errors + non-2xx within the error budget',
  weight: 10,
  judge: (o) => performanceVerdict(o),
});
