// The load phases of one scenario as table rows, the same in report.md and report.html: how the load
// was sent (closed loop, or a fixed rate with its target and what was achieved), the percentiles from
// the actual send, the corrected p99 (from when each request was due) and the late share.
import type { LoadSummaryRecord } from '../model/probe-summaries.ts';
import type { GroupReport } from './model.ts';
import { KNOWN, LATENCY_KEYS, formatValue } from './summaries.ts';

export const LATENCY_NOTE =
  'The baseline and the capacity burst are closed loop (the most the service takes); with the fault and after the rollback the load comes at a fixed rate, and "corrected p99" counts each request from when it was due (coordinated omission corrected).';

export const LATENCY_HEAD = ['phase', 'load', 'p50', 'p90', 'p95', 'p99', 'corrected p99', 'max', 'req/s', 'late', 'errors', 'non-2xx'] as const;

const PHASES = [
  ['baseline', 'baseline'],
  ['capacity before', 'capacityBefore'],
  ['with the fault', 'faulted'],
  ['after', 'after'],
  ['capacity after', 'capacityAfter'],
] as const satisfies readonly (readonly [string, keyof GroupReport['latency']])[];

export function hasLatency(g: GroupReport): boolean {
  return Boolean(g.latency.baseline || g.latency.after);
}

/** One row per load phase the scenario ran, cells in LATENCY_HEAD's order. */
export function latencyRows(g: GroupReport): string[][] {
  const rows: string[][] = [];
  for (const [phase, key] of PHASES) {
    const s: LoadSummaryRecord | null | undefined = g.latency[key];
    if (!s) continue;
    const load = s.rate ? `open loop: ${s.rate.achieved} of ${s.rate.target} req/s (${s.rate.source})` : `closed loop, ${s.connections} connections`;
    const [p50, p90, p95, p99, max, rps, errors, non2xx] = LATENCY_KEYS.map((k) => formatValue(s[k], KNOWN.load[k].format));
    const corrected = s.corrected ? formatValue(s.corrected.p99, 'ms') : '–';
    const late = s.rate ? `${s.rate.late} (${formatValue(s.rate.lateShare, 'percent')})` : '–';
    rows.push([phase, load, p50!, p90!, p95!, p99!, corrected, max!, rps!, late, errors!, non2xx!]);
  }
  return rows;
}
