// The pass/fail logic of every criterion, in pass/fail pairs on a synthetic outcome: data integrity
// (anomalies named, "not measured" below coverage or without a direct read), engine in use (where
// the writes landed; a header that disagrees fails), performance (errors and non-2xx count against
// a budget, not only p99), the rollback times, functionality, monitoring and security validation;
// and the register path (the register rule's anomalies, coverage over the ready replicas, keys landed).
import { describe, expect, it } from 'vitest';
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { RegisterOutcome } from '../model/outcome.ts';
import { checkLedger } from '../probes/ledger.ts';
import { type LedgerCheck } from '../model/measurements.ts';
import type { RegisterLedgerCheck } from '../model/measurements.ts';
import { checkRegister, registerHeadline } from '../kit/register-rule.ts';
import type { LoadSummary } from '../model/measurements.ts';
import { coverage } from '../probes/landed-writes.ts';
import { dataIntegrityVerdict } from './data-integrity.criterion.ts';
import { emergencyRollbackVerdict } from './emergency-rollback.criterion.ts';
import { engineInUseVerdict } from './engine-in-use.criterion.ts';
import { functionalityVerdict } from './functionality.criterion.ts';
import { monitoringVerdict } from './monitoring.criterion.ts';
import { performanceVerdict } from './performance.criterion.ts';
import { plannedVerdict } from './planned-rollback.criterion.ts';
import { securityVerdict } from './security-validation.ts';
import { matches } from './expectations.ts';

const cleanLedger: LedgerCheck = { attempted: 3000, ok: 3000, fail: 0, unknown: 0, lost: 0, recovered: 0, unexpected: 0, duplicated: 0, lostEmails: [], unexpectedEmails: [], duplicatedEmails: [] };
const load = (over: Partial<LoadSummary> = {}): LoadSummary => ({
  phase: 'after', requests: 10_000, durationMs: 10_000, rps: 1000, p50: 5, p90: 8, p95: 10, p99: 20, max: 40, errors: 0, timeouts: 0, non2xx: 0,
  engines: { sqlite: 10_000 }, connections: 10, paths: ['/api/health'], writeRatio: 0.25, ...over,
});

function outcome(over: Partial<ScenarioOutcome> = {}): ScenarioOutcome {
  const pods = Array.from({ length: 900 }, (_, i) => `pod-${i % 3}`);
  return {
    ledger: cleanLedger,
    ledgerSource: 'sqlite-file',
    causes: { logs: [], healthWhileFaulted: [] },
    checksums: { equal: true, mismatched: [], evidence: 'seeded tables equal' },
    coverage: coverage(pods, 3, 300),
    landed: { acknowledged: 900, inSqlite: 900, onlyInSqlite: 900, inPostgres: null, postgresState: 'not running (0 ready)', engineHeaders: { sqlite: 900 } },
    enginesAfter: ['sqlite'],
    load: { after: load() },
    errorBudget: 0.01,
    ...over,
  } as ScenarioOutcome;
}

describe('data integrity', () => {
  it('passes on a clean, covered, directly read result', () => {
    const v = dataIntegrityVerdict(outcome());
    expect(v.passed, v.evidence).toBe(true);
    expect(v.measured).toBe('no anomaly');
    expect(v.evidence).toContain('a per-pod loss rate ≥ 0.99 % detectable at 95 %');
  });

  it('names every kind of anomaly in its headline', () => {
    const v = dataIntegrityVerdict(outcome({ ledger: { ...cleanLedger, lost: 3, duplicated: 2, unexpected: 1 }, checksums: { equal: false, mismatched: ['users'], evidence: 'users differs' } }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('3 lost, 2 duplicated, 1 unexpected, checksums differ (users)');
  });

  it('a duplicate alone fails and is named, not hidden behind "0 lost"', () => {
    const v = dataIntegrityVerdict(outcome({ ledger: { ...cleanLedger, duplicated: 4, duplicatedEmails: ['a@x'] } }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('4 duplicated');
  });

  it('is not measured (never a pass) when a pod took fewer writes than the minimum', () => {
    const thin = coverage(['a', 'b', 'b', 'c', 'c'], 3, 300);
    const v = dataIntegrityVerdict(outcome({ coverage: thin }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('not measured');
    expect(v.evidence).toMatch(/NOT MEASURED: too few writes after the restore \(min 1\/pod < 300\)/);
  });

  it('is not measured when the SQLite file could not be read directly (the app API alone is not enough)', () => {
    const v = dataIntegrityVerdict(outcome({ ledgerSource: 'app-api', directReadError: 'sqlite3 exit 127' }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('not measured');
  });

  it('anomalies fail even below the coverage minimum', () => {
    const v = dataIntegrityVerdict(outcome({ coverage: coverage(['a'], 1, 300), ledger: { ...cleanLedger, lost: 1 } }));
    expect(v.measured).toBe('1 lost');
  });
});

describe('engine in use', () => {
  it('passes when the post-restore writes are in the SQLite file and the app says sqlite', () => {
    expect(engineInUseVerdict(outcome()).passed).toBe(true);
  });

  it('fails when the writes landed in PostgreSQL although every answer said sqlite', () => {
    const v = engineInUseVerdict(outcome({ landed: { acknowledged: 900, inSqlite: 0, onlyInSqlite: 0, inPostgres: 900, postgresState: 'psql', engineHeaders: { sqlite: 900 } } }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('postgres');
    expect(v.evidence).toContain('DISAGREES');
  });

  it('writes in PostgreSQL that a data recovery copied into SQLite still count as PostgreSQL', () => {
    const v = engineInUseVerdict(outcome({ landed: { acknowledged: 900, inSqlite: 40, onlyInSqlite: 0, inPostgres: 900, postgresState: 'psql', engineHeaders: { sqlite: 900 } } }));
    expect(v.measured).toBe('postgres');
    expect(v.evidence).toContain('40 of them copied there from PostgreSQL');
  });

  it('fails when the data says sqlite but the app says postgres (a header that disagrees)', () => {
    const v = engineInUseVerdict(outcome({ enginesAfter: ['postgres'] }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('sqlite');
  });

  it('an app that names no engine is judged by the data alone', () => {
    expect(engineInUseVerdict(outcome({ enginesAfter: [] })).passed).toBe(true);
  });

  it('fails with no acknowledged write after the restore (nothing to judge by)', () => {
    const v = engineInUseVerdict(outcome({ landed: { acknowledged: 0, inSqlite: 0, onlyInSqlite: 0, inPostgres: null, postgresState: 'x', engineHeaders: {} } }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('no writes');
  });
});

describe('performance', () => {
  it('passes fast and clean', () => {
    expect(performanceVerdict(outcome()).passed).toBe(true);
  });

  it('fails on fast 500s over the error budget, saying so', () => {
    const v = performanceVerdict(outcome({ load: { after: load({ non2xx: 1430 }) } }));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe(20);
    expect(v.evidence).toMatch(/FAILED on errors: 1430 of 10000 requests \(14\.30 %\)/);
  });

  it('errors within the budget pass; connection errors count too', () => {
    expect(performanceVerdict(outcome({ load: { after: load({ non2xx: 50, errors: 40 }) } })).passed).toBe(true);
    expect(performanceVerdict(outcome({ load: { after: load({ errors: 200 }) } })).passed).toBe(false);
  });

  it('fails on p99 at or over 500 ms', () => {
    const v = performanceVerdict(outcome({ load: { after: load({ p99: 612 }) } }));
    expect(v.passed).toBe(false);
    expect(v.evidence).toContain('FAILED on latency');
  });
});

const procedure = (over: Partial<ScenarioOutcome['procedure']> = {}): ScenarioOutcome['procedure'] => ({
  procedure: 'emergency', variant: 'hardened', startedAt: 0, durationMs: 4_000, completed: true, steps: [], ...over,
});

describe('emergency rollback', () => {
  const base = { procedure: procedure(), availability: { downtimeMs: 5_000, failed: 10, total: 100 } as ScenarioOutcome['availability'], sqliteReady: 3 };
  it('passes restored within budget with 3/3 ready', () => {
    const v = emergencyRollbackVerdict(outcome({ ...base, timeToRestoreMs: 3_000 }), 300_000);
    expect([v.id, v.passed, v.measured]).toEqual(['emergency-rollback', true, 3_000]);
  });
  it('fails over budget, never restored, or short of 3/3', () => {
    expect(emergencyRollbackVerdict(outcome({ ...base, timeToRestoreMs: 300_001 }), 300_000).passed).toBe(false);
    const never = emergencyRollbackVerdict(outcome({ ...base, timeToRestoreMs: undefined }), 300_000);
    // No sample after the trigger: nothing was watched, not measured.
    expect([never.passed, never.measured]).toEqual([false, null]);
    expect(never.evidence).toContain('never restored');
    // Watched 95 s after the trigger and never restored: a measured failure.
    const watched = emergencyRollbackVerdict(outcome({ ...base, availability: { ...base.availability, lastAt: 195_000 }, procedureStartedAt: 100_000, timeToRestoreMs: undefined }), 300_000);
    expect([watched.passed, watched.measured]).toEqual([false, 'never (watched 95.0 s after the trigger)']);
    expect(emergencyRollbackVerdict(outcome({ ...base, timeToRestoreMs: 3_000, sqliteReady: 2 }), 300_000).passed).toBe(false);
  });
});

describe('planned rollback', () => {
  const base = { availability: { downtimeMs: 1_000 } as ScenarioOutcome['availability'], sqliteReady: 3 };
  it('passes completed within budget', () => {
    expect(plannedVerdict(outcome({ ...base, procedure: procedure({ durationMs: 60_000 }) }), 1_800_000).passed).toBe(true);
  });
  it('fails incomplete (naming the step) or over budget', () => {
    const failed = plannedVerdict(outcome({ ...base, procedure: procedure({ completed: false, steps: [{ step: 'Switch', outcome: 'failed', message: 'boom' } as never] }) }), 1_800_000);
    expect(failed.passed).toBe(false);
    expect(failed.evidence).toContain('Switch (failed: boom)');
    expect(plannedVerdict(outcome({ ...base, procedure: procedure({ durationMs: 1_800_000 }) }), 1_800_000).passed).toBe(false);
  });
});

describe('functionality', () => {
  it('passes when every check passes', () => {
    expect(functionalityVerdict(outcome({ features: [{ id: 'health', title: 'h', passed: true, evidence: 'ok' }] })).passed).toBe(true);
  });
  it('fails on one failed check, naming it, and when no check ran', () => {
    const v = functionalityVerdict(outcome({ features: [{ id: 'health', title: 'h', passed: true, evidence: 'ok' }, { id: 'tool-gitlab', title: 't', passed: false, evidence: 'HTTP 500' }] }));
    expect([v.passed, v.measured]).toEqual([false, '1/2']);
    expect(v.evidence).toContain('tool-gitlab (HTTP 500)');
    expect(functionalityVerdict(outcome({ features: [] })).passed).toBe(false);
  });
  it('says which checks failed, with the answers the restored service gave them as causes', () => {
    const answer = { request: 'GET /api/tools/gitlab', status: 500, body: '{"error":"no such table: tool_configs"}' };
    const broken = (id: string) => ({ id, title: id, passed: false, evidence: 'HTTP 500', answer });
    const v = functionalityVerdict(outcome({ features: [{ id: 'health', title: 'h', passed: true, evidence: 'ok' }, broken('tool-gitlab'), broken('tool-jira')] }));
    expect(v.says).toBe('2 of 3 feature checks failed after the rollback: tool-gitlab, tool-jira');
    expect(v.causes).toEqual({ answers: [{ ...answer, count: 2 }] });
  });
});

describe('monitoring', () => {
  const alerts = { cleared: true, clearedAfterMs: 2_000, deadlineMs: 10_000, evidence: 'all clear' };
  const fired = (firedAt: number) => [{ id: 'health-check-failures' as const, title: 'h', windowMs: 0, firedAt, evidence: 'fired' }] as ScenarioOutcome['triggers'];
  it('passes when the expected trigger fired before the rollback and everything cleared', () => {
    expect(monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: fired(100), procedureStartedAt: 500 })).passed).toBe(true);
  });
  it('fails when the trigger fired only during the rollback (its own downtime), or alerts did not clear', () => {
    const late = monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: fired(900), procedureStartedAt: 500 }));
    expect(late.passed).toBe(false);
    expect(late.evidence).toContain('never fired before the rollback started: health-check-failures');
    // In words for the headline, never a bare "0 ms against 10000 ms".
    expect(late.says).toBe('no expected trigger fired before the rollback started (health-check-failures; health-check-failures only 0.4 s after the rollback started): the fault went undetected until someone started the rollback by hand');
    const stuck = monitoringVerdict(outcome({ alerts: { ...alerts, cleared: false, evidence: 'error-rate still active' }, expectedTriggers: [], triggers: [], procedureStartedAt: 500 }));
    expect([stuck.passed, stuck.says]).toEqual([false, 'alerts did not clear within 10 s: error-rate still active']);
    expect(monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: fired(100), procedureStartedAt: 500 })).says).toBeUndefined();
  });
  it("a trigger that never fired has the health check's answers while the fault was in place as its cause, said in words", () => {
    const healthWhileFaulted = [{ request: 'GET /api/health', status: 200, body: 'engine postgres', count: 41 }];
    const blind = monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: [], procedureStartedAt: 500, causes: { logs: [], healthWhileFaulted } }));
    expect(blind.passed).toBe(false);
    expect(blind.says).toContain('the health check answered 2xx to all 41 probes while the fault was in place');
    expect(blind.causes).toEqual({ answers: healthWhileFaulted });
    const seen = [{ request: 'GET /api/health', status: 503, body: 'engine postgres', count: 7 }, { request: 'GET /api/health', status: 200, body: 'engine postgres', count: 3 }];
    expect(monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: fired(900), procedureStartedAt: 500, causes: { logs: [], healthWhileFaulted: seen } })).says).toContain('the health check failed 7 of 10 probes');
    // Detected in time: no cause to give.
    expect(monitoringVerdict(outcome({ alerts, expectedTriggers: ['health-check-failures'], triggers: fired(100), procedureStartedAt: 500, causes: { logs: [], healthWhileFaulted } })).causes).toBeUndefined();
  });
});

describe("engine source: an app that names no engine is judged on the Service's routed pods, and the evidence says so", () => {
  const availability = (engineFrom: ScenarioOutcome['availability']['engineFrom']) => ({ failed: 10, total: 100, downtimeMs: 1_500, engineFrom }) as ScenarioOutcome['availability'];
  const alerts = { cleared: true, clearedAfterMs: 2_000, deadlineMs: 10_000, evidence: 'all clear' };
  it('time to restore and monitoring name the route as the source; an app that names its engine reads as before', () => {
    const route = outcome({ timeToRestoreMs: 2_000, sqliteReady: 3, availability: availability('route'), alerts, expectedTriggers: [], triggers: [], procedureStartedAt: 0 });
    expect(emergencyRollbackVerdict(route).evidence).toMatch(/restored 2\.0 s after the trigger .*; engine from the Service's routed pods \(the app names none\)$/);
    expect(monitoringVerdict(route).evidence).toMatch(/the serving engine \(postgres-unavailable\) from the Service's routed pods/);
    const never = outcome({ sqliteReady: 3, availability: availability('route') });
    expect(emergencyRollbackVerdict(never).evidence).toMatch(/^never restored: .*; engine from the Service's routed pods/);
    const app = outcome({ timeToRestoreMs: 2_000, sqliteReady: 3, availability: availability('app'), alerts, expectedTriggers: [], triggers: [], procedureStartedAt: 0 });
    expect(emergencyRollbackVerdict(app).evidence).not.toMatch(/routed pods/);
    expect(monitoringVerdict(app).evidence).not.toMatch(/routed pods/);
  });
});

describe('security validation', () => {
  it('passes when every check passes, fails with the count otherwise', () => {
    const checks = [{ name: 'no credentials', passed: true, evidence: 'none' }, { name: 'cut off', passed: false, evidence: '1/1 ready' }];
    expect(securityVerdict(outcome({ security: { passed: true, evidence: 'ok', checks: [checks[0]!] } })).passed).toBe(true);
    const v = securityVerdict(outcome({ security: { passed: false, evidence: 'PostgreSQL not cut off', checks } }));
    expect([v.passed, v.measured, v.budget]).toEqual([false, '1/2', '2/2']);
  });
});

// A register target (probes/register.ts): the real checker over a small history, judged by the same verdicts.
describe('data integrity and engine in use of a register target', () => {
  const writes = [
    { key: 'theme', value: 'reg-1', startedAt: 0, endedAt: 10, outcome: 'ok' as const },
    { key: 'theme', value: 'reg-2', startedAt: 20, endedAt: 30, outcome: 'ok' as const },
  ];
  function register(final: string, over: Partial<RegisterOutcome> = {}): RegisterOutcome {
    const reads = [
      { key: 'theme', value: 'reg-1', startedAt: 12, endedAt: 14, source: 'api' as const },
      { key: 'theme', value: final, source: 'direct' as const },
    ];
    const c = checkRegister({ writes, reads, initial: { theme: 'light' } });
    const anomalies = (src: 'api' | 'direct') => reads.filter((r, i) => r.source === src && c.results[i]!.verdict !== 'ok').length;
    const check: RegisterLedgerCheck = {
      ...c,
      headline: registerHeadline(c),
      writes: { attempted: 2, ok: 2, fail: 0, unknown: 0 },
      reads: { api: 1, direct: 1, apiErrors: 0 },
      initialFrom: 'direct',
      perPod: { unavailable: 'names no pod' },
      bySource: { api: { reads: 1, anomalies: anomalies('api') }, direct: { reads: 1, anomalies: anomalies('direct') } },
      unread: [],
    };
    return { check, source: 'sqlite-file', sqliteHow: 'sqlite3 -readonly /data/hyperpage.db in deployment/x', afterRestore: { acknowledged: 2400, pinned: 900 }, ...over };
  }
  // The app names no pod: 900 writes after the restore pinned by a read, split over 3 ready replicas.
  const unnamed = coverage(Array.from({ length: 900 }, () => undefined), 3, 300);
  const landed = { acknowledged: 900, keys: 8, inSqlite: 8, onlyInSqlite: 8, inPostgres: null, postgresState: 'not running (0 ready)', engineHeaders: { none: 900 } };
  const regOutcome = (r: RegisterOutcome, over: Partial<ScenarioOutcome> = {}) => outcome({ register: r, ledger: checkLedger([], []), coverage: unnamed, landed, enginesAfter: [], ...over });

  it('passes when every read is legal, read from the SQLite file, with enough writes over the ready replicas (said so)', () => {
    const v = dataIntegrityVerdict(regOutcome(register('reg-2')));
    expect(v.passed, v.evidence).toBe(true);
    expect(v.measured).toBe('no anomaly');
    expect(v.evidence).toContain('no anomaly: 2 read(s) of 1 key(s) against 2 acknowledged write(s)');
    expect(v.evidence).toContain('(the app names no pod: split evenly over the ready replicas)');
    expect(v.evidence).toContain('coverage after the restore: 900 of the 2400 acknowledged writes were pinned by a read');
  });

  it('fails on a stale final value (a lost update), naming it and the write that overwrote it', () => {
    const v = dataIntegrityVerdict(regOutcome(register('reg-1')));
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('1 stale (lost update)');
    expect(v.evidence).toMatch(/theme: final read "reg-1" \(ok, \+0 ms\.\.\+10 ms\), overwritten by acknowledged "reg-2"/);
    expect(v.evidence).toContain('from the database 1 in 1');
  });

  it('a seeded-table checksum that differs does not fail a register (its writes change the table by design)', () => {
    const v = dataIntegrityVerdict(regOutcome(register('reg-2'), { checksums: { equal: false, mismatched: [], evidence: 'not compared' } }));
    expect(v.passed, v.evidence).toBe(true);
  });

  it('is not measured when the SQLite file could not be read (the app alone is not enough), but an anomaly still fails', () => {
    const apiOnly = { source: 'app-api' as const, directReadError: 'sqlite3 in x exit 127: not found' };
    const v = dataIntegrityVerdict(regOutcome(register('reg-2', apiOnly)));
    expect([v.passed, v.measured]).toEqual([false, 'not measured']);
    expect(v.evidence).toMatch(/^NOT MEASURED: the SQLite file could not be read directly; .*read through the app only \(sqlite3 in x exit 127: not found\)/);
    expect(dataIntegrityVerdict(regOutcome(register('reg-1', apiOnly))).measured).toBe('1 stale (lost update)');
  });

  it('a key never read (neither the file nor the app answered) is not measured, not a "missing" anomaly', () => {
    // The rule counts the unread key as missing; the verdict must not call that a loss.
    const c = checkRegister({ writes: [...writes, { key: 'locale', value: 'reg-3', startedAt: 0, endedAt: 5, outcome: 'ok' }], reads: [{ key: 'theme', value: 'reg-2' }] });
    expect(c.totals.missing).toBe(1);
    const r = register('reg-2', { source: 'app-api', directReadError: 'pod not running' });
    const unread = { ...r, check: { ...r.check, ...c, headline: registerHeadline(c), unread: ['locale'] } };
    const v = dataIntegrityVerdict(regOutcome(unread));
    expect([v.passed, v.measured]).toEqual([false, 'not measured']);
    expect(v.evidence).toContain('1 key(s) never read, not judged: locale');
  });

  it('is not measured with too few writes after the restore checked by a read, however many were acknowledged', () => {
    const thin = coverage(Array.from({ length: 30 }, () => undefined), 3, 300);
    const v = dataIntegrityVerdict(regOutcome(register('reg-2', { afterRestore: { acknowledged: 5000, pinned: 30 } }), { coverage: thin }));
    expect([v.passed, v.measured]).toEqual([false, 'not measured']);
    expect(v.evidence).toContain('NOT MEASURED: too few writes after the restore checked by a read (min 10/pod < 300)');
  });

  it('is not measured when PostgreSQL acknowledged no write: the rollback had nothing it could lose, so "no anomaly" proves nothing', () => {
    const v = dataIntegrityVerdict(regOutcome(register('reg-2'), { okWritesOnPostgres: 0 }));
    expect([v.passed, v.measured, v.notMeasured]).toEqual([false, 'not measured', 'no write was acknowledged while PostgreSQL served, so the rollback had nothing it could lose']);
    expect(v.says).toBe('data integrity not measured: no write was acknowledged while PostgreSQL served, so the rollback had nothing it could lose');
    // An anomaly still fails, whatever PostgreSQL took.
    expect(dataIntegrityVerdict(regOutcome(register('reg-1'), { okWritesOnPostgres: 0 })).measured).toBe('1 stale (lost update)');
    // A mask that says the defect cannot show here agrees with "not measured"; without one it is a mismatch.
    const masked = { expected: 'pass' as const, expectedBecause: 'app-acks-no-write', maskReason: 'nothing acknowledged on PostgreSQL' };
    expect(matches(v.passed, masked, v.measured)).toBe(true);
    expect(matches(v.passed, { expected: 'pass' }, v.measured)).toBe(false);
    expect(matches(false, masked, '1 stale (lost update)')).toBe(false);
  });

  it('engine in use: passes when the keys hold post-restore values in the SQLite file, fails when they are in PostgreSQL', () => {
    const ok = engineInUseVerdict(regOutcome(register('reg-2')));
    expect([ok.passed, ok.measured], ok.evidence).toEqual([true, 'sqlite']);
    expect(ok.evidence).toContain('of 900 writes acknowledged after the restore, over 8 keys: 8/8 keys hold one of them in the SQLite file');
    expect(ok.evidence).toContain('the app names no engine');
    const pg = engineInUseVerdict(regOutcome(register('reg-2'), { landed: { ...landed, inSqlite: 0, onlyInSqlite: 0, inPostgres: 8, postgresState: 'psql in deployment/hyperpage-postgres' } }));
    expect([pg.passed, pg.measured]).toEqual([false, 'postgres']);
    expect(pg.evidence).toContain('8/8 in PostgreSQL');
  });
});
