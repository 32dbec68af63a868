// What the rollback cost its users, measured from outside the app, over the procedure (and a second
// after it, for the answers in flight at its end; the load phases after it saturate the service on
// purpose and are not the rollback's): the availability probe's failed reads, the writes the ledger
// saw refused from the write freeze on (first refused → next acknowledged: the write outage as a
// client lives it), the freeze as the procedure made it (asked for → the switch), and the triggers
// that fired meanwhile.
import type { WriteFreezeRecord } from '../model/context.ts';
import type { Sample, TriggerState } from '../model/measurements.ts';
import type { RollbackImpact } from '../model/outcome.ts';

/** A write as the ledgers record it, reduced to what the freeze is judged by. */
export interface TimedWrite {
  t: number;
  outcome: 'ok' | 'fail' | 'unknown';
}

export interface ImpactInput {
  samples: readonly Sample[];
  procedureStartedAt: number;
  procedureEndedAt: number;
  freeze?: WriteFreezeRecord;
  switchedAt?: number;
  writes: readonly TimedWrite[];
  /** The run's triggers as the outcome evaluated them (probes/triggers.ts), each with its firings. */
  triggers: readonly TriggerState[];
}

const describe = (x: Sample) => `${new Date(x.t).toISOString().slice(11, 23)} ${x.status === 0 ? (x.error ?? 'no answer').slice(0, 80) : `HTTP ${x.status}`}`;

/** After the procedure's end, what still counts as its own (answers in flight at the end). */
export const IMPACT_TAIL_MS = 1_000;

export function rollbackImpact(i: ImpactInput): RollbackImpact {
  const until = i.procedureEndedAt + IMPACT_TAIL_MS;
  const during = i.samples.filter((x) => x.t >= i.procedureStartedAt && x.t <= until);
  const failed = during.filter((x) => x.status !== 200);
  const freeze = i.freeze
    ? { tables: i.freeze.tables, startedAt: i.freeze.startedAt, frozenAt: i.freeze.frozenAt, switchedAt: i.switchedAt, windowMs: i.switchedAt === undefined ? undefined : i.switchedAt - i.freeze.startedAt }
    : undefined;
  return {
    reads: { probes: during.length, failed: failed.length, examples: failed.slice(0, 3).map(describe) },
    ...(freeze ? { freeze, refused: refusedWrites(i.writes, freeze.startedAt) } : {}),
    alertsFired: alertsFiredFrom(i.triggers, i.procedureStartedAt, until),
  };
}

/** Writes refused from `from` on: the count, and the first refused one's start → the next acknowledged one's. */
export function refusedWrites(writes: readonly TimedWrite[], from: number): { writes: number; outageMs?: number } {
  const after = writes.filter((w) => w.t >= from).sort((a, b) => a.t - b.t);
  const refused = after.filter((w) => w.outcome === 'fail');
  const first = refused[0];
  if (!first) return { writes: 0 };
  const next = after.find((w) => w.t > first.t && w.outcome === 'ok');
  return { writes: refused.length, ...(next ? { outageMs: next.t - first.t } : {}) };
}

/**
 * Triggers that fired from `start` to `until`, as evaluated on all the run's samples (a window
 * reaching back before the start counts as it would for an operator). One active since before it (a
 * fault's) counts only if it cleared and fired again.
 */
export function alertsFiredFrom(triggers: readonly TriggerState[], start: number, until: number): RollbackImpact['alertsFired'] {
  return triggers.flatMap((t) => {
    const at = (t.firings ?? []).find((f) => f >= start && f <= until);
    return at === undefined ? [] : [{ id: t.id, afterStartMs: at - start, evidence: t.evidence }];
  });
}
