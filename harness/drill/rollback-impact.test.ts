// What the rollback cost users, computed from the samples, the freeze and the ledger's writes; and
// the planned rollback's three criteria judged on it, in pass/fail pairs with the measured value.
import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/measurements.ts';
import type { RollbackImpact } from '../model/outcome.ts';
import { plannedFailedReadsVerdict } from '../criteria/planned-failed-reads.criterion.ts';
import { plannedNoAlertVerdict } from '../criteria/planned-no-alert.criterion.ts';
import { writeFreezeVerdict } from '../criteria/write-freeze.criterion.ts';
import { evaluateTriggers } from '../probes/triggers.ts';
import { alertsFiredFrom, refusedWrites, rollbackImpact, type TimedWrite } from './rollback-impact.ts';

const START = 1_000_000;
/** One probe every 75 ms from `from` for `ms`, failing inside `down` ([from, to)). */
const probes = (from: number, ms: number, down?: [number, number]): Sample[] =>
  Array.from({ length: Math.floor(ms / 75) }, (_, i) => {
    const t = from + i * 75;
    const failed = down !== undefined && t >= down[0] && t < down[1];
    return { t, status: failed ? 503 : 200, latencyMs: 3, engine: t < START + 2000 ? 'postgres' : 'sqlite' };
  });
/** A write every 50 ms from `from` for `ms`, refused inside `refused`. */
const writes = (from: number, ms: number, refused?: [number, number]): TimedWrite[] =>
  Array.from({ length: Math.floor(ms / 50) }, (_, i) => {
    const t = from + i * 50;
    return { t, outcome: refused && t >= refused[0] && t < refused[1] ? 'fail' : 'ok' };
  });

describe('rollback impact', () => {
  it('counts reads over the procedure (and 1 s after, not the load phases after it), the freeze window to the switch, refused writes and the outage clients saw', () => {
    const freeze = { startedAt: START + 1000, frozenAt: START + 1040, tables: 7 };
    // A capacity burst after the procedure times the probe out: the load's, not the rollback's.
    const samples = probes(START - 5000, 15_000, [START + 8000, START + 9000]);
    const i = rollbackImpact({
      samples,
      procedureStartedAt: START,
      procedureEndedAt: START + 6000,
      freeze,
      switchedAt: START + 1500,
      writes: writes(START - 5000, 15_000, [START + 1040, START + 1520]),
      triggers: evaluateTriggers(samples, { timeScale: 120 }),
    });
    expect(i.reads).toEqual({ probes: 94, failed: 0, examples: [] });
    expect(i.freeze).toEqual({ ...freeze, switchedAt: START + 1500, windowMs: 500 });
    // 1050 … 1500 refused (10 writes); the first acknowledged after the first refused is at 1550.
    expect(i.refused).toEqual({ writes: 10, outageMs: 500 });
    expect(i.alertsFired).toEqual([]);
    expect(writeFreezeVerdict({ impact: i })).toMatchObject({ passed: true, measured: 500 });
    expect(plannedFailedReadsVerdict({ impact: i })).toMatchObject({ passed: true, measured: 0 });
    expect(plannedNoAlertVerdict({ impact: i })).toMatchObject({ passed: true, measured: 0 });
  });

  it('fails each criterion on its own measurement: reads that failed, a freeze of a second or more, an alert fired', () => {
    // The runbook's order: the app stopped, so reads fail for 1.2 s (health-check-failures fires).
    const samples = probes(START - 5000, 15_000, [START + 1000, START + 2200]);
    const i = rollbackImpact({ samples, procedureStartedAt: START, procedureEndedAt: START + 6000, freeze: { startedAt: START + 900, frozenAt: START + 950, tables: 3 }, switchedAt: START + 2100, writes: writes(START - 5000, 15_000, [START + 950, START + 2150]), triggers: evaluateTriggers(samples, { timeScale: 120 }) });
    const reads = plannedFailedReadsVerdict({ impact: i });
    expect(reads.passed).toBe(false);
    expect(reads.measured).toBe(16);
    expect(reads.evidence).toMatch(/^16 of 94 reads through the Service failed .*: \d\d:\d\d:\d\d\.\d{3} HTTP 503; /);
    const freeze = writeFreezeVerdict({ impact: i });
    expect(freeze).toMatchObject({ passed: false, measured: 1200 });
    expect(freeze.evidence).toContain('24 writes refused, not lost, 1200 ms from the first refused to the next acknowledged write');
    const alert = plannedNoAlertVerdict({ impact: i });
    expect(alert.passed).toBe(false);
    expect(alert.evidence).toMatch(/^health-check-failures fired 1\.\d s after the procedure started/);
    // The outage clients saw counts when it is longer than the procedure's own window.
    expect(writeFreezeVerdict({ impact: { ...i, freeze: { ...i.freeze!, windowMs: 300 } } })).toMatchObject({ passed: false, measured: 1200 });
  });

  it('no freeze made, or never switched, is not a pass; no probe after the start is not measured', () => {
    const none: RollbackImpact = { reads: { probes: 0, failed: 0, examples: [] }, alertsFired: [] };
    expect(writeFreezeVerdict({ impact: none })).toMatchObject({ passed: false, measured: 'not measured: the procedure froze no writes at the database' });
    expect(writeFreezeVerdict({ impact: { ...none, freeze: { tables: 2, startedAt: 1, frozenAt: 2 } } })).toMatchObject({ passed: false, measured: 'not measured: the Service was never switched' });
    expect(plannedFailedReadsVerdict({ impact: none })).toMatchObject({ passed: false, measured: expect.stringMatching(/^not measured/) });
  });

  it('an alert active since before the procedure (a fault\'s) does not count; one that fires again after it does', () => {
    const faulted = probes(START - 3000, 8000, [START - 2000, START + 300]);
    expect(alertsFiredFrom(evaluateTriggers(faulted, { timeScale: 120 }), START, START + 5000)).toEqual([]);
    const again = probes(START - 3000, 8000, [START - 2000, START - 1000]).map((x) => (x.t >= START + 1000 && x.t < START + 1400 ? { ...x, status: 0, error: 'ECONNREFUSED' } : x));
    expect(alertsFiredFrom(evaluateTriggers(again, { timeScale: 120 }), START, START + 5000).map((a) => a.id)).toContain('health-check-failures');
  });

  it('refused writes: none refused is 0 with no outage; none acknowledged after is an outage not measured', () => {
    expect(refusedWrites(writes(0, 1000), 0)).toEqual({ writes: 0 });
    expect(refusedWrites(writes(0, 1000, [500, 2000]), 0)).toEqual({ writes: 10 });
  });
});
