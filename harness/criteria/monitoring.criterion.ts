// Monitoring: the row's expected automatic triggers fired before the rollback started (firing on
// the rollback's own downtime detects nothing), and every alert cleared within 10 (scaled) minutes.
import type { Verdict } from '../model/verdict.ts';
import type { ScenarioOutcome } from '../model/outcome.ts';
import { defineCriterion } from './criterion.ts';
import { engineSource } from './engine-evidence.ts';

/** Monitoring: the expected automatic triggers fired, and all alerts cleared within 10 (scaled) minutes. */
export function monitoringVerdict(o: ScenarioOutcome): Verdict {
  // A trigger detects the fault only when it fires before the rollback starts (firing on the
  // rollback's own downtime detects nothing).
  const missing = o.expectedTriggers.filter((id) => !o.triggers.find((t) => t.id === id && t.firedAt !== undefined && t.firedAt <= o.procedureStartedAt));
  const fired = o.triggers.filter((t) => t.firedAt !== undefined);
  const late = o.triggers.filter((t) => missing.includes(t.id) && t.firedAt !== undefined).map((t) => `${t.id} only ${((t.firedAt! - o.procedureStartedAt) / 1000).toFixed(1)} s after the rollback started`);
  const h = o.causes.healthWhileFaulted;
  const probes = h.reduce((n, a) => n + a.count, 0);
  const healthy = h.filter((a) => a.status >= 200 && a.status < 300).reduce((n, a) => n + a.count, 0);
  // In words what the health check did meanwhile: "stayed 200" is why a trigger could not fire.
  const meanwhile = probes === 0 ? '' : healthy === probes ? `; the health check answered 2xx to all ${probes} probes while the fault was in place` : `; the health check failed ${probes - healthy} of ${probes} probes while the fault was in place`;
  const says = missing.length
    ? `no expected trigger fired before the rollback started (${missing.join(', ')}${late.length ? `; ${late.join(', ')}` : ''})${meanwhile}: the fault went undetected until someone started the rollback by hand`
    : !o.alerts.cleared
      ? `alerts did not clear within ${(o.alerts.deadlineMs / 1000).toFixed(0)} s: ${o.alerts.evidence}`
      : undefined;
  // What the health check answered while the fault was in place: a trigger that never fired had only these to go on.
  const answers = missing.length ? h : [];
  return {
    id: 'monitoring',
    ...(says ? { says } : {}),
    ...(answers.length ? { causes: { answers } } : {}),
    title: 'Monitoring: the expected triggers fired and all alerts cleared within 10 minutes (scaled)',
    passed: o.alerts.cleared && missing.length === 0,
    // Still active at the end is measured too: at least that long, over the deadline.
    measured: o.alerts.clearedAfterMs ?? o.alerts.stillActiveAfterMs ?? null,
    budget: o.alerts.deadlineMs,
    unit: 'ms',
    evidence:
      `${missing.length ? `expected trigger(s) never fired before the rollback started: ${missing.join(', ')}; ` : ''}` +
      `${fired.map((t) => `${t.id} ${t.evidence}`).join('; ') || 'no trigger fired'}; ${o.alerts.evidence}` +
      // postgres-unavailable needs the engine that served: say where it came from when the app does not name it.
      (engineSource(o) ? `; the serving engine (postgres-unavailable) ${engineSource(o)}` : ''),
  };
}

export default defineCriterion({
  id: 'monitoring',
  title: 'Monitoring: the expected triggers fired and all alerts cleared within 10 minutes (scaled)',
  weight: 10,
  judge: monitoringVerdict,
});
