// A broken build whose /api/health answers 200 without touching the database: the fault is still
// proven on PostgreSQL, the finding is recorded, and monitoring fails because no trigger could fire.
// The same build on SQLite stores every non-ASCII character of a name as "?" (an encoding loss) and
// lists users from a snapshot pinned at its first request (stale reads) → data integrity fails on the
// altered rows (bytes sent and stored in report.md) and on the users the app cannot list; it lists
// the tools in reverse order → functionality fails on the differential replay alone. No verdict here
// rests on a latency: it runs beside the unit tests (suites/beside-unit/proofs.drill.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { drillEnv } from '../drill-env.ts';
import { drillMutant, findings, say, type Drilled } from './mutant-drill.ts';

const env = drillEnv();

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
    expect(d.reportMd).toMatch(/\d+ not readable through the app/);
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
