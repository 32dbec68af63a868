import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/measurements.ts';
import { alertsCleared, evaluateTriggers } from './triggers.ts';

/** One sample every `step` ms from t0: `spec(t)` gives its status/engine/latency. */
function stream(t0: number, durationMs: number, step: number, spec: (t: number) => Partial<Sample>): Sample[] {
  const out: Sample[] = [];
  for (let t = t0; t < t0 + durationMs; t += step) out.push({ t, status: 200, latencyMs: 5, engine: 'postgres', ...spec(t) });
  return out;
}
const byId = (s: ReturnType<typeof evaluateTriggers>) => Object.fromEntries(s.map((t) => [t.id, t]));

describe('automatic triggers on probe samples (time scale 60)', () => {
  // Healthy on PostgreSQL for 10 s, down 10 s (503 from postgres), then healthy on SQLite for 20 s.
  const fault = 10_000;
  const restored = 20_000;
  const samples = stream(0, 40_000, 100, (t) =>
    t < fault ? {} : t < restored ? { status: 503, engine: 'postgres' } : { engine: 'sqlite' },
  );
  const tr = byId(evaluateTriggers(samples, { timeScale: 60, faultAt: fault }));

  it('3 consecutive failures fire on the third failed check and clear on the next healthy one', () => {
    expect(tr['health-check-failures']!.firedAt).toBe(fault + 200);
    expect(tr['health-check-failures']!.firedAfterFaultMs).toBe(200);
    expect(tr['health-check-failures']!.clearedAt).toBe(restored);
    expect(tr['health-check-failures']!.activeAtEnd).toBe(false);
  });

  it('error rate > 10 % over a 5 s window (5 min / 60) fires once 10 % of the window failed', () => {
    const e = tr['error-rate']!;
    expect(e.windowMs).toBe(5_000);
    // The window holds 50 samples: the 6th failure makes it 6/50 > 10 %.
    expect(e.firedAt).toBe(fault + 500);
    // ... and clears once failures fall to 5 of the trailing 50 (19.5–19.9 s at t = 24.4 s).
    expect(e.clearedAt).toBe(restored + 4_400);
  });

  it('PostgreSQL unavailable for 2 s (2 min / 60) fires 2 s into the outage', () => {
    expect(tr['postgres-unavailable']!.firedAt).toBe(fault + 2_000);
    expect(tr['postgres-unavailable']!.clearedAt).toBe(restored);
  });

  it('slow responses never fire on fast answers', () => {
    expect(tr['slow-responses']!.firedAt).toBeUndefined();
    expect(tr['slow-responses']!.evidence).toMatch(/never fired/);
  });

  it('alerts cleared within 10 s (10 min / 60) of the rollback, measured', () => {
    const a = alertsCleared(Object.values(tr), samples, restored, 60);
    expect(a.cleared, a.evidence).toBe(true);
    expect(a.clearedAfterMs).toBe(4_400);
  });

  it('not cleared when the samples stop before the deadline (never a pass without a measurement)', () => {
    const a = alertsCleared(Object.values(tr), samples.filter((s) => s.t < restored + 5_000), restored, 60);
    expect(a.cleared).toBe(false);
    expect(a.evidence).toMatch(/not measured/);
  });

  it('not cleared when a trigger is still active', () => {
    const stuck = stream(0, 40_000, 100, (t) => (t < fault ? {} : { status: 503, engine: 'postgres' }));
    const st = evaluateTriggers(stuck, { timeScale: 60, faultAt: fault });
    const a = alertsCleared(st, stuck, restored, 60);
    expect(a.cleared).toBe(false);
    expect(a.evidence).toMatch(/still active.*health-check-failures/);
    // A measured failure (how long it stayed on past the rollback), not "not measured".
    expect(a.clearedAfterMs).toBeUndefined();
    expect(a.stillActiveAfterMs).toBeGreaterThan(a.deadlineMs);
  });

  it('no answer counts as a failure and PostgreSQL stays the engine last seen', () => {
    const s = stream(0, 6_000, 100, (t) => (t < 1_000 ? {} : { status: 0, engine: undefined }));
    const st = byId(evaluateTriggers(s, { timeScale: 60 }));
    expect(st['postgres-unavailable']!.firedAt).toBe(3_000);
    expect(st['health-check-failures']!.firedAt).toBe(1_200);
  });

  it('an outage shorter than the scaled window does not fire postgres-unavailable; a SQLite outage never does', () => {
    const short = stream(0, 10_000, 100, (t) => (t >= 1_000 && t < 2_500 ? { status: 503 } : {}));
    expect(byId(evaluateTriggers(short, { timeScale: 60 }))['postgres-unavailable']!.fired).toBe(0);
    const sqlite = stream(0, 10_000, 100, (t) => (t >= 1_000 ? { status: 503, engine: 'sqlite' } : { engine: 'sqlite' }));
    expect(byId(evaluateTriggers(sqlite, { timeScale: 60 }))['postgres-unavailable']!.fired).toBe(0);
  });

  it('an app that names no engine: PostgreSQL judged from where the Service routed', () => {
    // No engine field anywhere; the route watch says which engine's pods the Service routes to.
    const noName = (spec: (t: number) => Partial<Sample>) => stream(0, 8_000, 100, (t) => ({ engine: undefined, ...spec(t) }));
    const downOnPg = noName((t) => (t < 1_000 ? { route: 'postgres' } : { status: 503, route: 'postgres' }));
    expect(byId(evaluateTriggers(downOnPg, { timeScale: 60 }))['postgres-unavailable']!.firedAt).toBe(3_000);
    // The app's pods fail their readiness: routed nowhere, so PostgreSQL is the engine that served last.
    const noneReady = noName((t) => (t < 1_000 ? { route: 'postgres' } : { status: 0, route: undefined }));
    expect(byId(evaluateTriggers(noneReady, { timeScale: 60 }))['postgres-unavailable']!.firedAt).toBe(3_000);
    // Down while routed to SQLite pods: not a PostgreSQL outage.
    const downOnSqlite = noName((t) => (t < 1_000 ? { route: 'sqlite' } : { status: 503, route: 'sqlite' }));
    expect(byId(evaluateTriggers(downOnSqlite, { timeScale: 60 }))['postgres-unavailable']!.fired).toBe(0);
    // No engine from the app nor the route: nothing to say it was PostgreSQL.
    const unknown = noName((t) => (t < 1_000 ? {} : { status: 503 }));
    expect(byId(evaluateTriggers(unknown, { timeScale: 60 }))['postgres-unavailable']!.fired).toBe(0);
  });

  it('slow answers for the scaled 10 minutes fire slow-responses', () => {
    const slow = stream(0, 20_000, 500, (t) => (t >= 2_000 ? { latencyMs: 6_000 } : {}));
    const st = byId(evaluateTriggers(slow, { timeScale: 60 }));
    expect(st['slow-responses']!.firedAt).toBe(12_000);
  });

  it('late answers and given-up requests are slow; refused connections are not', () => {
    const late = stream(0, 20_000, 500, (t) => (t >= 2_000 ? { status: 0, lateStatus: 200, latencyMs: 6_000 } : {}));
    expect(byId(evaluateTriggers(late, { timeScale: 60 }))['slow-responses']!.firedAt).toBe(12_000);
    const givenUp = stream(0, 20_000, 500, (t) => (t >= 2_000 ? { status: 0, latencyMs: 10_000, error: 'timeout' } : {}));
    expect(byId(evaluateTriggers(givenUp, { timeScale: 60 }))['slow-responses']!.firedAt).toBe(12_000);
    const refused = stream(0, 20_000, 500, (t) => (t >= 2_000 ? { status: 0, latencyMs: 1, error: 'ECONNREFUSED' } : {}));
    expect(byId(evaluateTriggers(refused, { timeScale: 60 }))['slow-responses']!.fired).toBe(0);
  });
});
