// The few numbers of a scenario × variant that history.jsonl tracks across runs: time to restore
// (from the availability probe, else the rollback criterion, else the procedure's wall time),
// downtime, p99 after the rollback, lost writes and the resilience score.
import type { AvailabilitySummaryRecord, LedgerSummaryRecord, LoadSummaryRecord } from '../model/probe-summaries.ts';
import type { CriterionReport, KeyMetrics, StepReport } from './model.ts';

/** The criteria whose measurement is the rollback's duration (criteria/verdicts.ts). */
const ROLLBACK_CRITERIA: ReadonlySet<string> = new Set(['emergency-rollback', 'planned-rollback']);

/** Converts a measured duration to ms from its unit; null when it is not a duration. */
export function durationToMs(value: number | string | null, unit: string | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  switch ((unit ?? '').toLowerCase()) {
    case 'ms':
      return value;
    case 's':
    case 'sec':
    case 'seconds':
      return value * 1000;
    case 'min':
    case 'minutes':
      return value * 60_000;
    default:
      return null;
  }
}

export function keyMetrics(
  criteria: readonly CriterionReport[],
  steps: readonly StepReport[],
  availability: AvailabilitySummaryRecord | null,
  ledger: LedgerSummaryRecord | null,
  after: LoadSummaryRecord | null,
  score: number | null,
): KeyMetrics {
  let timeToRestoreMs: number | null = null;
  let timeToRestoreSource: KeyMetrics['timeToRestoreSource'] = null;
  const fromProbe = availability?.timeToRestoreMs;
  const fromVerdict = criteria
    .filter((c) => ROLLBACK_CRITERIA.has(c.id))
    .map((c) => durationToMs(c.measured, c.unit))
    .find((v) => v !== null);
  if (fromProbe !== undefined) [timeToRestoreMs, timeToRestoreSource] = [fromProbe, 'probe'];
  else if (fromVerdict != null) [timeToRestoreMs, timeToRestoreSource] = [fromVerdict, 'verdict'];
  else {
    const ran = steps.filter((s) => s.outcome !== 'skipped' && s.outcome !== 'aborted');
    if (ran.length > 0 && ran.every((s) => s.outcome === 'ok')) {
      const first = Math.min(...ran.map((s) => s.startedAt));
      const lastEnd = Math.max(...ran.map((s) => s.startedAt + s.durationMs));
      [timeToRestoreMs, timeToRestoreSource] = [lastEnd - first, 'procedure'];
    }
  }
  return {
    timeToRestoreMs,
    timeToRestoreSource,
    downtimeMs: availability?.downtimeMs ?? null,
    p99AfterMs: after?.p99 ?? null,
    lostWrites: ledger?.lost ?? null,
    score,
  };
}
