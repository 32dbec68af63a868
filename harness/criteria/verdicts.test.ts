// The pass/fail logic of the criteria this issue changed, each in pass/fail pairs on a synthetic
// outcome: data integrity (anomalies named, "not measured" below coverage or without a direct
// read), engine in use (where the writes landed; a header that disagrees fails), performance
// (errors and non-2xx count against a budget, not only p99).
import { describe, expect, it } from 'vitest';
import type { ScenarioOutcome } from '../drill/run-scenario.ts';
import type { LedgerCheck } from '../probes/ledger.ts';
import type { LoadSummary } from '../probes/load.ts';
import { coverage } from '../probes/landed-writes.ts';
import { dataIntegrityVerdict, engineInUseVerdict, performanceVerdict } from './verdicts.ts';

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
