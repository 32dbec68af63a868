// Broken builds of the app, drilled as a user drills a build they map in (the drill config's
// `images`), each caught from the outside, by the right criterion, with exit code 1:
//  - after the switch the app acknowledges writes it then drops (1 in 100 per pod), stores others
//    twice (1 in 100), cuts every name to 32 UTF-16 units while it echoes the whole name, and answers
//    a feature endpoint with fast 500s → data integrity names the lost, duplicated and altered rows
//    found in the SQLite file (each altered one with its first differing bytes); performance fails
//    on errors, not latency;
//  - the "SQLite" pods keep writing to PostgreSQL while every answer says sqlite → engine in use
//    fails on where the writes landed, a finding says the header lies; the app's own read-back
//    sees nothing wrong, the SQLite file does;
//  - /api/health answers 200 without touching the database → the fault is still proven on
//    PostgreSQL, the finding is recorded, and monitoring fails because no trigger could fire; the
//    same build on SQLite stores every non-ASCII character of a name as "?" (an encoding loss) and
//    lists users from a snapshot pinned at its first request (stale reads) → data integrity fails
//    on the altered rows (bytes sent and stored in report.md) and on the users the app cannot list;
//    it lists the tools in reverse order → functionality fails on the differential replay alone.
// The mutants: app/test-support/mutant-main.ts (the real app with a defect switched on). A crash
// loop, caught by stability, is drilled beside the unit tests (suites/proof/crash-after-start.proof.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAfter } from '../../harness/kit/step-ids.ts';
import { thawWrites } from '../../harness/kit/write-freeze.ts';
import { hardenedPlanned } from '../../harness/procedures/planned.ts';
import { drillEnv } from '../drill-env.ts';
import { drillMutant, findings, say, type Drilled } from './mutant-drill.ts';

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

describe.skipIf(env.fromCli)('mutation: the "SQLite" pods keep writing to PostgreSQL while every answer says sqlite', () => {
  let d: Drilled;
  beforeAll(async () => {
    // maintenance-window: PostgreSQL keeps running. Its write freeze would refuse the lie's writes,
    // so the freeze is lifted once the switch is verified (as an operator might): the lie can go on.
    const thawed = insertAfter(hardenedPlanned(), 'verify-engine', {
      id: 'lift-write-freeze',
      name: 'Lift the write freeze on PostgreSQL after the switch',
      budgetMs: 15_000,
      run: async (ctx, signal) => void (await thawWrites({ platform: ctx.platform, signal })),
    });
    d = await drillMutant('maintenance-window', ['engine-liar'], thawed);
  });

  it('engine in use fails on where the writes landed, although every header said sqlite', () => {
    const v = d.verdicts.get('engine-in-use')!;
    expect(v.passed, say(v)).toBe(false);
    expect(v.measured, say(v)).toBe('postgres');
    expect(d.outcome.enginesAfter).toEqual(['sqlite']);
    expect(d.outcome.landed.inPostgres, say(v)).toBe(d.outcome.landed.acknowledged);
    expect(v.evidence).toContain('DISAGREES');
  });

  it('a confirmed finding says the engine header cannot be trusted', () => {
    const f = findings(d.events).find((x) => x.id === 'app-engine-header-disagrees');
    expect(f?.confirmed, JSON.stringify(findings(d.events).map((x) => x.id))).toBe(true);
  });

  it('data integrity fails from the SQLite file, while the app reading back its own writes sees none lost', () => {
    const v = d.verdicts.get('data-integrity')!;
    expect(v.passed, say(v)).toBe(false);
    expect(d.outcome.ledger.lost, say(v)).toBeGreaterThan(0);
    expect(d.outcome.apiLedger?.lost, say(v)).toBe(0);
  });

  it('the drill exits 1', () => expect(d.exitCode).toBe(1));
});

describe.skipIf(env.fromCli)('mutation: /api/health answers 200 without touching the database; on SQLite names lose their non-ASCII characters, a list comes in reverse order and the users list is read from a pinned snapshot', () => {
  let d: Drilled;
  beforeAll(async () => {
    d = await drillMutant('database-corruption', ['health-blind', 'ascii-text', 'reverse-order', 'stale-reads']);
  });

  it('functionality fails on a behaviour change every feature check missed: the same tools in reverse order, found by the differential replay', () => {
    const v = d.verdicts.get('functionality')!;
    expect(v.passed, say(v)).toBe(false);
    expect(d.outcome.features.every((f) => f.passed), JSON.stringify(d.outcome.features.filter((f) => !f.passed))).toBe(true);
    const diff = d.outcome.differential!;
    expect('error' in diff, JSON.stringify(diff)).toBe(false);
    const r = diff as Exclude<typeof diff, { error: string }>;
    const unknown = r.differences.filter((x) => !x.known);
    expect(unknown.map((x) => `${x.request} ${x.path} ${x.kind}`), say(v)).toEqual(['GET /api/tools/enabled $.tools order']);
    // The engine the health answer names is a declared engine difference, reported, not failing.
    expect(r.differences.filter((x) => x.known).map((x) => x.path)).toEqual(['$.engine']);
    expect(r.requests).toBeGreaterThanOrEqual(9);
    expect(r.fields).toBeGreaterThan(50);
    expect(findings(d.events).some((f) => f.id === 'app-behaviour-changed' && f.detail.includes('the same list in another order'))).toBe(true);
    expect(d.reportMd).toMatch(/GET \/api\/tools\/enabled \$\.tools: the same list in another order/);
  });

  it('data integrity fails on stale reads: acknowledged users in the SQLite file that the restored service does not list', () => {
    const v = d.verdicts.get('data-integrity')!;
    expect(d.outcome.ledger.lost, say(v)).toBe(0);
    expect(d.outcome.apiLedger!.lost, say(v)).toBeGreaterThan(0);
    expect(String(v.measured), say(v)).toMatch(/\d+ not readable through the app/);
  });

  it('data integrity fails on an encoding loss: non-ASCII characters stored as "?", shown byte for byte', () => {
    const v = d.verdicts.get('data-integrity')!;
    const values = d.outcome.ledger.values!;
    expect(v.passed, say(v)).toBe(false);
    expect(d.outcome.ledger.lost, say(v)).toBe(0);
    expect(values.altered, say(v)).toBeGreaterThan(0);
    for (const e of values.examples) {
      // The first differing byte: a UTF-8 lead byte sent, "?" (3f) stored.
      expect(parseInt(e.difference!.sentBytes.slice(0, 2), 16), JSON.stringify(e)).toBeGreaterThanOrEqual(0x80);
      expect(e.difference!.storedBytes.startsWith('3f'), JSON.stringify(e)).toBe(true);
      expect(e.stored, JSON.stringify(e)).toBe(e.sent.replace(/[^\x00-\x7f]/gu, '?'));
    }
    expect(d.reportMd).toMatch(/\d+ altered/);
    expect(d.reportMd).toMatch(/stored 3f/);
  });

  it('the fault is proven on PostgreSQL itself and the drill goes on', () => {
    const effective = d.events.find((e) => e.type === 'fault.effective');
    expect(effective, JSON.stringify(d.events.filter((e) => e.type.startsWith('fault')))).toBeDefined();
    expect(d.outcome.procedure.completed).toBe(true);
    // The run's causes hold PostgreSQL's own word on the fault, from its pod's log, with the full log's path.
    const pg = d.outcome.causes.logs.filter((l) => l.pod.startsWith('hyperpage-postgres'));
    expect(pg.some((l) => /^(FATAL|PANIC|ERROR):/.test(l.line) && l.file?.startsWith('artifacts/')), JSON.stringify(d.outcome.causes.logs)).toBe(true);
  });

  it('the fault is cleared when the drill ends, and that is journalled', () => {
    const cleared = d.events.find((e) => e.type === 'fault.clear');
    expect(cleared, JSON.stringify(d.events.filter((e) => e.type.startsWith('fault') || e.type === 'log').slice(-5))).toBeDefined();
  });

  it('a confirmed finding says the health check does not reflect the database', () => {
    const f = findings(d.events).find((x) => x.id === 'app-health-blind');
    expect(f?.confirmed, JSON.stringify(findings(d.events).map((x) => x.id))).toBe(true);
  });

  it('monitoring fails: the triggers that should have fired never did', () => {
    const v = d.verdicts.get('monitoring')!;
    expect(v.passed, say(v)).toBe(false);
    expect(v.evidence).toMatch(/expected trigger\(s\) never fired before the rollback started: .*health-check-failures/);
    // Its cause, measured: every health probe while the fault was in place was answered 2xx.
    const answers = v.causes?.answers ?? [];
    expect(answers.length, say(v)).toBeGreaterThan(0);
    expect(answers.every((a) => a.request === 'GET /api/health' && a.status === 200), JSON.stringify(answers)).toBe(true);
    expect(v.says).toMatch(/the health check answered 2xx to all \d+ probes while the fault was in place/);
  });

  it('the drill exits 1', () => expect(d.exitCode).toBe(1));
});
