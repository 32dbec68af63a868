// The runbook's automatic rollback triggers, evaluated on the availability probe's samples.
// Windows are divided by the time scale (60: five minutes become five seconds) so a CI drill can
// watch a trigger fire and clear; thresholds (10 %, 5 s) are never scaled.
//   health-check-failures  3 consecutive failed health checks (count, not time)
//   error-rate             > 10 % of requests failed over a trailing 5-minute window
//   postgres-unavailable   no healthy answer for 2 minutes while PostgreSQL was the engine serving
//                          (what the app says, else where the Service routed: an app may name none)
//   slow-responses         every request slower than 5 s for 10 minutes (late answers and requests the
//                          prober gave up on at 10 s included: it keeps waiting past the 2 s health timeout)
// A trigger is active from the sample that fires it to the first sample that clears it.
import { engineOf } from './availability.ts';
import { type Sample, type TriggerState, type AlertsCleared } from '../model/measurements.ts';
import type { TriggerId } from '../model/scenario.ts';
const MIN = 60_000;

export const TRIGGERS = {
  'health-check-failures': { title: 'Health check failures: 3 consecutive failed health checks', windowMs: 0 },
  'error-rate': { title: 'High error rate: > 10 % errors for 5+ minutes', windowMs: 5 * MIN },
  'postgres-unavailable': { title: 'Database connection loss: PostgreSQL unavailable for 2+ minutes', windowMs: 2 * MIN },
  'slow-responses': { title: 'Performance degradation: response time > 5 s for 10+ minutes', windowMs: 10 * MIN },
} as const satisfies Record<TriggerId, { title: string; windowMs: number }>;

export interface TriggerOptions {
  timeScale: number;
  faultAt?: number;
}

const failed = (s: Sample) => s.status !== 200;

/** Walks the samples once per trigger; a trigger's condition is a function of the samples up to t. */
export function evaluateTriggers(samples: readonly Sample[], o: TriggerOptions): TriggerState[] {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const scaled = (id: TriggerId) => TRIGGERS[id].windowMs / o.timeScale;
  return (Object.keys(TRIGGERS) as TriggerId[]).map((id) => {
    const windowMs = scaled(id);
    const condition = CONDITIONS[id](sorted, windowMs);
    return track(id, windowMs, sorted, condition, o.faultAt);
  });
}

type Condition = (i: number) => boolean;

const CONDITIONS: Record<TriggerId, (s: readonly Sample[], windowMs: number) => Condition> = {
  'health-check-failures': (s) => (i) => i >= 2 && failed(s[i]!) && failed(s[i - 1]!) && failed(s[i - 2]!),
  'error-rate': (s, windowMs) => {
    // Trailing window by two pointers: [lo, i] covers (t - window, t].
    let lo = 0;
    let errors = 0;
    let lastI = -1;
    return (i) => {
      for (let k = lastI + 1; k <= i; k++) if (failed(s[k]!)) errors++;
      lastI = i;
      const t = s[i]!.t;
      while (s[lo]!.t <= t - windowMs) {
        if (failed(s[lo]!)) errors--;
        lo++;
      }
      // Only a full window counts: the probe must have watched for the whole of it.
      if (t - s[0]!.t < windowMs) return false;
      return errors / (i - lo + 1) > 0.1;
    };
  },
  'postgres-unavailable': (s, windowMs) => {
    let lastEngine: string | undefined;
    let downSince: number | undefined;
    return (i) => {
      const x = s[i]!;
      if (!failed(x)) {
        lastEngine = engineOf(x) ?? lastEngine;
        downSince = undefined;
        return false;
      }
      // Unhealthy on PostgreSQL: the answer says so, or the Service routes only to PostgreSQL pods, or
      // (neither) PostgreSQL served last.
      const onPostgres = (engineOf(x) ?? lastEngine) === 'postgres';
      if (!onPostgres) return false;
      downSince ??= x.t;
      return x.t - downSince >= windowMs;
    };
  },
  'slow-responses': (s, windowMs) => {
    let slowSince: number | undefined;
    return (i) => {
      const x = s[i]!;
      // Late answers and requests given up count by their latency; a refused connection is fast, not slow.
      if (x.latencyMs <= 5_000) {
        slowSince = undefined;
        return false;
      }
      slowSince ??= x.t;
      return x.t - slowSince >= windowMs;
    };
  },
};

function track(id: TriggerId, windowMs: number, s: readonly Sample[], condition: Condition, faultAt?: number): TriggerState {
  let active = false;
  let firedAt: number | undefined;
  let clearedAt: number | undefined;
  let fired = 0;
  const firings: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const on = condition(i);
    if (on && !active) {
      active = true;
      fired++;
      firings.push(s[i]!.t);
      firedAt ??= s[i]!.t;
      clearedAt = undefined;
    } else if (!on && active) {
      active = false;
      clearedAt = s[i]!.t;
    }
  }
  const rel = (t: number | undefined) => (t === undefined || faultAt === undefined ? '' : ` (${((t - faultAt) / 1000).toFixed(1)} s after the fault)`);
  return {
    id,
    title: TRIGGERS[id].title,
    windowMs,
    firedAt,
    firedAfterFaultMs: firedAt !== undefined && faultAt !== undefined ? firedAt - faultAt : undefined,
    clearedAt,
    activeAtEnd: active,
    fired,
    firings,
    evidence:
      s.length === 0
        ? 'no samples'
        : firedAt === undefined
          ? `never fired over ${s.length} samples (window ${(windowMs / 1000).toFixed(1)} s)`
          : `fired${rel(firedAt)}${active ? ', still active at the end of the samples' : `, cleared${rel(clearedAt)}`}${fired > 1 ? `, fired ${fired}×` : ''}`,
  };
}

/** "All alerts cleared within 10 minutes" (scaled) of the rollback's end, measured on the samples. */
export function alertsCleared(triggers: readonly TriggerState[], samples: readonly Sample[], rollbackEndAt: number, timeScale: number): AlertsCleared {
  const deadlineMs = (10 * MIN) / timeScale;
  const lastT = samples.reduce((m, s) => Math.max(m, s.t), -Infinity);
  if (!(lastT >= rollbackEndAt + deadlineMs)) {
    return { cleared: false, deadlineMs, evidence: `not measured: the probes stopped ${((lastT - rollbackEndAt) / 1000).toFixed(1)} s after the rollback, before the ${(deadlineMs / 1000).toFixed(1)} s deadline` };
  }
  const active = triggers.filter((t) => t.activeAtEnd);
  // Still on when the probes stopped (past the deadline): a measured failure; its measure is how long it was watched.
  if (active.length) return { cleared: false, stillActiveAfterMs: lastT - rollbackEndAt, deadlineMs, evidence: `still active at the end: ${active.map((t) => t.id).join(', ')}, ${((lastT - rollbackEndAt) / 1000).toFixed(1)} s after the rollback (deadline ${(deadlineMs / 1000).toFixed(1)} s)` };
  const late = triggers.filter((t) => t.clearedAt !== undefined && t.clearedAt > rollbackEndAt + deadlineMs);
  const clearedAfterMs = Math.max(0, ...triggers.filter((t) => t.clearedAt !== undefined).map((t) => t.clearedAt! - rollbackEndAt));
  if (late.length) return { cleared: false, clearedAfterMs, deadlineMs, evidence: `cleared too late: ${late.map((t) => `${t.id} ${((t.clearedAt! - rollbackEndAt) / 1000).toFixed(1)} s after the rollback`).join(', ')}` };
  const firedAny = triggers.filter((t) => t.fired > 0);
  return {
    cleared: true,
    clearedAfterMs,
    deadlineMs,
    evidence: `${firedAny.length ? `${firedAny.map((t) => t.id).join(', ')} fired and` : 'no trigger fired;'} all clear ${(clearedAfterMs / 1000).toFixed(1)} s after the rollback (deadline ${(deadlineMs / 1000).toFixed(1)} s = 10 min / ${timeScale}), watched until ${((lastT - rollbackEndAt) / 1000).toFixed(1)} s after`,
  };
}
