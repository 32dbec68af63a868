// A broken build of the app, drilled as a user drills a build they map in (the drill config's
// `images`), caught from the outside, by the right criteria, with exit code 1: after the switch the
// app acknowledges writes it then drops (1 in 100 per pod), stores others twice (1 in 100), cuts
// every name to 32 UTF-16 units while it echoes the whole name, and answers a feature endpoint with
// fast 500s → data integrity names the lost, duplicated and altered rows found in the SQLite file
// (each altered one with its first differing bytes); performance fails on errors, not latency. It
// judges latency, so it runs alone in the drill group. The other broken builds rest on no latency
// and run beside the unit tests (suites/beside-unit/proofs.drill.ts): engine-liar.proof.ts,
// blind-health.proof.ts, crash-after-start.proof.ts. The mutants: app/test-support/mutant-main.ts
// (the real app with a defect switched on).
import { beforeAll, describe, expect, it } from 'vitest';
import { drillEnv } from '../drill-env.ts';
import { drillMutant, say, type Drilled } from './mutant-drill.ts';

const env = drillEnv();

describe.skipIf(env.fromCli)('mutation: after the switch the app drops 1 in 100 acknowledged writes, duplicates 1 in 100, cuts names to 32 units, and a feature answers fast 500s', () => {
  let d: Drilled;
  beforeAll(async () => {
    d = await drillMutant('database-corruption', ['drop-writes', 'duplicate-writes', 'truncate-text', 'feature-500']);
  });

  it('data integrity fails on altered rows: names cut short in the SQLite file while every answer echoed them whole', () => {
    const v = d.verdicts.get('data-integrity')!;
    const values = d.outcome.ledger.values!;
    expect(v.passed, say(v)).toBe(false);
    expect(String(v.measured), say(v)).toMatch(/\d+ altered/);
    // Rows written on PostgreSQL and copied are intact: only some of the rows compared are altered.
    expect(values.altered, say(v)).toBeGreaterThan(0);
    expect(values.altered, say(v)).toBeLessThan(values.rows);
    for (const e of values.examples) {
      expect(e.sent.length, JSON.stringify(e)).toBeGreaterThan(32);
      expect(e.sent.startsWith(e.stored!.slice(0, 31)), JSON.stringify(e)).toBe(true);
      expect(e.difference!.byte, JSON.stringify(e)).toBeGreaterThanOrEqual(31);
    }
    // The app's own read-back shows the cut names too; the report says which rows and where they differ.
    expect(d.outcome.apiLedger?.values?.altered, say(v)).toBeGreaterThan(0);
    expect(d.reportMd).toMatch(/first difference at byte \d+ \(character \d+\): sent [0-9a-f ]+, stored/);
  });

  it('data integrity fails, naming lost AND duplicated writes found in the SQLite file itself', () => {
    const v = d.verdicts.get('data-integrity')!;
    expect(v.passed, say(v)).toBe(false);
    expect(d.outcome.ledgerSource).toBe('sqlite-file');
    // Every 100th write per pod: at least one per pod that took 100 writes after the switch.
    const pods = Object.values(d.outcome.coverage.okByPod).filter((n) => n >= 100).length;
    expect(d.outcome.ledger.lost, say(v)).toBeGreaterThanOrEqual(pods);
    expect(d.outcome.ledger.duplicated, say(v)).toBeGreaterThanOrEqual(pods);
    expect(String(v.measured)).toMatch(/\d+ lost, \d+ duplicated/);
    // Close to 1 %: the drill's count is the app's defect, not noise.
    const acknowledged = d.outcome.ledger.ok;
    expect(d.outcome.ledger.lost, say(v)).toBeLessThan(acknowledged * 0.03);
  });

  it('performance fails on the error budget although the answers were fast', () => {
    const v = d.verdicts.get('performance')!;
    expect(v.passed, say(v)).toBe(false);
    expect(v.evidence).toMatch(/FAILED on errors: \d+ of \d+ requests/);
    expect(v.evidence).not.toMatch(/FAILED on latency/);
    expect(v.measured as number, say(v)).toBeLessThan(500);
  });

  it('the rollback itself and the engine are judged on their own: restored on SQLite', () => {
    for (const id of ['emergency-rollback', 'engine-in-use']) expect(d.verdicts.get(id)!.passed, say(d.verdicts.get(id)!)).toBe(true);
  });

  it('the drill exits 1', () => expect(d.exitCode).toBe(1));
});
