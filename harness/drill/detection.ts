// The detection phase: after the fault, wait until the triggers this row must fire have fired on
// the live availability samples (bounded by their scaled windows), so a trigger is credited for
// detecting the fault, not for the rollback's own downtime.
import type { Detection } from '../model/outcome.ts';
import type { AvailabilityProbe } from '../probes/availability.ts';
import { evaluateTriggers, TRIGGERS } from '../probes/triggers.ts';
import { type TriggerId } from '../model/scenario.ts';
import { done, notYet, poll } from '../platform/wait.ts';

/** Polls the live availability samples until every expected trigger has fired, or its scaled window (+ 5 s) has passed. */
export async function waitForTriggers(
  avail: AvailabilityProbe,
  expected: readonly TriggerId[],
  o: { timeScale: number; faultAt: number; signal?: AbortSignal; progress: (line: string) => void },
): Promise<Detection> {
  const deadline = o.faultAt + Math.max(...expected.map((id) => TRIGGERS[id].windowMs)) / o.timeScale + 5_000;
  const seen = () => {
    const states = evaluateTriggers(avail.samples, { timeScale: o.timeScale, faultAt: o.faultAt });
    const fired = expected.filter((id) => states.find((s) => s.id === id)?.firedAt !== undefined);
    return { fired, missing: expected.filter((id) => !fired.includes(id)) };
  };
  // A timeout is an answer here (the rollback starts anyway, as a manual trigger), not an error.
  const r = await poll(() => {
    const s = seen();
    return s.missing.length === 0 ? done(s) : notYet(s);
  }, { describe: `triggers ${expected.join(', ')} to fire`, timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 200, signal: o.signal });
  const { fired, missing } = r.done ? r.value : r.state;
  o.progress(missing.length ? `  ✗ trigger(s) not fired after ${((Date.now() - o.faultAt) / 1000).toFixed(1)} s: ${missing.join(', ')}; the rollback starts anyway (manual trigger)` : `  ⚑ trigger(s) fired: ${fired.join(', ')}`);
  return { fired, missing, waitedMs: r.elapsedMs };
}
