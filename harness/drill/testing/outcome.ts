// A drilled outcome for unit tests of what judges one (the judge, the criteria): a healthy hardened
// emergency rollback of database-corruption, every criterion met; override what a test breaks.
import type { ScenarioOutcome } from '../../model/outcome.ts';
import type { StepResult } from '../../model/procedure.ts';
import { coverage } from '../../probes/landed-writes.ts';
export const okStep = (procedure: string, stepId: string, step: string, over: Partial<StepResult> = {}): StepResult => ({
  procedure, stepId, step, index: 0, budgetMs: 60_000, startedAt: 0, durationMs: 1_000, outcome: 'ok', message: 'ok', overBudget: false, ...over,
});

export function drilledOutcome(over: Partial<ScenarioOutcome> = {}): ScenarioOutcome {
  const pods = Array.from({ length: 900 }, (_, i) => `pod-${i % 3}`);
  const procedure = { procedure: 'emergency', variant: 'hardened', startedAt: 100_000, durationMs: 4_000, completed: true, steps: [okStep('emergency', 'switch-selector', 'Switch the selector')] };
  const validation = { procedure: 'validation', variant: 'hardened', startedAt: 110_000, durationMs: 2_000, completed: true, steps: [1, 2, 3, 4, 5].map((n) => okStep('validation', `checklist-${n}-item`, `${n}. item ${n}`)) };
  return {
    scenario: 'database-corruption',
    method: 'emergency',
    budgetMs: 300_000,
    errorBudget: 0.01,
    variant: 'hardened',
    journalFile: '/dev/null',
    procedure,
    validation,
    faultEvidence: 'PostgreSQL cannot start: postgres exited 1 (data directory unreadable), 0/1 ready; a Job with the app\'s credentials: login refused (exit 2)',
    timeToRestoreMs: 3_000,
    sqliteReady: 3,
    availability: { total: 500, failed: 20, errorRate: 0.04, downtimeMs: 2_500, unavailableMs: 2_500, longestFailureRun: { count: 20, ms: 2_500 }, engines: { sqlite: 480 }, engineFirstSeen: [], mixedEngineMs: 0, p99LatencyMs: 20, lastAt: 130_000, engineFrom: 'app' },
    ledger: { attempted: 3000, ok: 3000, fail: 0, unknown: 0, lost: 0, recovered: 0, unexpected: 0, duplicated: 0, lostEmails: [], unexpectedEmails: [], duplicatedEmails: [] },
    ledgerSource: 'sqlite-file',
    // An emergency rollback's cost: reads fail while PostgreSQL is down (only the planned rows' criteria judge these).
    impact: { reads: { probes: 420, failed: 20, examples: ['10:00:01.000 HTTP 503'] }, alertsFired: [] },
    coverage: coverage(pods, 3, 300),
    landed: { acknowledged: 900, inSqlite: 900, onlyInSqlite: 900, inPostgres: null, postgresState: 'not running (0 ready)', engineHeaders: { sqlite: 900 } },
    okWritesOnPostgres: 50,
    enginesAfter: ['sqlite'],
    checksums: { equal: true, mismatched: [], evidence: 'seeded tables equal' },
    features: [{ id: 'health', title: 'health', passed: true, evidence: 'HTTP 200' }],
    load: { after: { phase: 'after', requests: 10_000, durationMs: 10_000, rps: 1000, p50: 5, p90: 8, p95: 10, p99: 20, max: 40, errors: 0, timeouts: 0, non2xx: 0, engines: { sqlite: 10_000 }, connections: 10, paths: ['/api/health'], writeRatio: 0.25 } },
    triggers: [{ id: 'health-check-failures', title: 'health', windowMs: 500, firedAt: 99_000, clearedAt: 104_000, activeAtEnd: false, fired: 1, evidence: 'fired' } as ScenarioOutcome['triggers'][number]],
    expectedTriggers: ['health-check-failures'],
    procedureStartedAt: 100_000,
    alerts: { cleared: true, clearedAfterMs: 1_000, deadlineMs: 5_000, evidence: 'all alerts cleared' },
    phaseResults: {},
    causes: { logs: [], healthWhileFaulted: [] },
    stability: {
      soakSec: 30,
      explicit: false,
      overload: [{ from: 118_000, to: 119_000 }],
      report: {
        startedAt: 105_000,
        watchedMs: 31_000,
        polls: 120,
        errors: 0,
        pods: [0, 1, 2].map((i) => ({ pod: `pod-${i}`, firstSeenAt: 105_000, lastSeenAt: 136_000, appeared: false, gone: false, restarts: [], unready: [] })),
        restarts: 0,
        unreadyPeriods: 0,
        unreadyMs: 0,
        churn: 0,
      },
    },
    ...over,
  };
}
