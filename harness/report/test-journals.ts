// Realistic journals for the report tests, written through the real Journal (and its redactor):
// a passing hardened emergency run, a seed run that loses 537 acknowledged writes (judged without
// expectations, as older journals were), the same seed run judged against its declared expected
// failures (the gate passes), a seed run whose runbook was "fixed" (an expected failure passes),
// and a run interrupted in the middle of a step (no run.end).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '../journal/journal.ts';
import { Redactor } from '../journal/redact.ts';

export type FixtureKind = 'hardened-pass' | 'seed-lost' | 'seed-expected' | 'seed-fixed' | 'aborted';

export interface FixtureOptions {
  runId?: string;
  t0?: number;
  profile?: string;
  /** Multiplies downtime, restore time and p99 after (history regressions). */
  slowdown?: number;
  /** A secret placed in config/log text that must never reach a report. */
  secret?: string;
}

export const FIXTURE_T0 = Date.UTC(2026, 0, 15, 9, 30, 0);
export const SEED_LOST = 537;

interface StepSpec {
  id: string;
  name: string;
  budgetMs: number;
  durationMs: number;
  outcome?: 'ok' | 'failed' | 'skipped';
  message?: string;
}

const HARDENED_STEPS: StepSpec[] = [
  { id: 'freeze-writes', name: 'Freeze writes: scale PostgreSQL app to 0', budgetMs: 30_000, durationMs: 1_200, message: 'hyperpage scaled 3 → 0' },
  { id: 'sync-verified', name: 'Sync PostgreSQL → SQLite (verified)', budgetMs: 60_000, durationMs: 2_400, message: '10,537 rows in 5 tables, checksums equal' },
  { id: 'create-sqlite', name: 'Create SQLite deployment on hyperpage-data-pvc', budgetMs: 30_000, durationMs: 800, message: 'deployment hyperpage-sqlite created' },
  { id: 'scale-sqlite', name: 'Scale SQLite to 3 and wait ready', budgetMs: 60_000, durationMs: 1_900, message: 'ready 3/3' },
  { id: 'switch-selector', name: 'Switch service selector to engine=sqlite', budgetMs: 10_000, durationMs: 150, message: 'selector patched' },
  { id: 'verify-engine', name: 'Engine check through the service', budgetMs: 15_000, durationMs: 400, message: '20/20 responses from sqlite' },
];

const SEED_STEPS: StepSpec[] = [
  { id: 'step-1-create-sqlite', name: 'Step 1: create emergency SQLite deployment', budgetMs: 30_000, durationMs: 900, message: 'claim hyperpage-pvc not found; used hyperpage-data-pvc' },
  { id: 'step-2-scale-pg', name: 'Step 2: scale PostgreSQL app to 0', budgetMs: 30_000, durationMs: 1_100 },
  { id: 'step-3-scale-sqlite', name: 'Step 3: scale SQLite backup to 3', budgetMs: 30_000, durationMs: 600 },
  { id: 'step-4-switch-selector', name: 'Step 4: patch service selector', budgetMs: 10_000, durationMs: 14_500, message: 'selector patched (slow API)' },
  { id: 'step-5-wait-ready', name: 'Step 5: wait 3/3 ready', budgetMs: 100_000, durationMs: 2_100, message: 'ready 3/3 at check 1' },
  {
    id: 'step-5b-health',
    name: 'Step 5b: health endpoint (cluster DNS URL)',
    budgetMs: 10_000,
    durationMs: 30,
    outcome: 'failed',
    message: 'curl http://hyperpage-service.hyperpage.svc.cluster.local/api/health → HTTP 000 (ENOTFOUND); the script continues',
  },
  { id: 'final-status', name: 'Final status (script claims "No data loss occurred")', budgetMs: 1_000, durationMs: 5 },
];

export function writeFixtureRun(dir: string, kind: FixtureKind, opts: FixtureOptions = {}): string {
  const t0 = opts.t0 ?? FIXTURE_T0;
  const slow = opts.slowdown ?? 1;
  const runId = opts.runId ?? `${kind}-${t0}`;
  const profile = opts.profile ?? 'monthly';
  const seed = kind === 'seed-lost' || kind === 'seed-expected' || kind === 'seed-fixed';
  // Journalled with expected/expectedBecause/matches, as the suites write them.
  const judged = kind === 'seed-expected' || kind === 'seed-fixed';
  const variant = seed ? 'seed' : 'hardened';
  const scenario = 'database-corruption';
  const redactor = new Redactor();
  if (opts.secret) redactor.add(opts.secret);
  const file = path.join(dir, 'journal.jsonl');
  const j = new Journal(file, redactor);
  let t = t0;
  const at = (dt: number) => (t += dt);

  j.write({
    t,
    type: 'run.start',
    runId,
    profile,
    platform: 'local',
    platformReason: 'docker not found on PATH; running pods as local processes',
    scenarios: [scenario],
    variants: [variant],
    config: {
      profile,
      variant,
      cluster: 'auto',
      datasetSize: 10_000,
      timeScale: 60,
      databaseUrl: `postgresql://hyperpage:${opts.secret ?? 'pw'}@127.0.0.1:5432/hyperpage`,
      images: { 'hyperpage:v0.1.0': { command: ['node', 'app/src/main.ts'], env: { POSTGRES_PASSWORD: opts.secret ?? 'pw' } } },
    },
    host: { node: 'v20.20.0', os: 'linux', cpus: 2 },
  });
  j.write({ t: at(10), type: 'phase.start', phase: 'provision' });
  j.write({ t: at(3_000), type: 'phase.end', phase: 'provision', durationMs: 3_000 });
  j.setContext({ scenario, variant });
  j.write({ t: at(5), type: 'scenario.start', fault: 'database-corruption', method: 'emergency', budgetMs: 300_000, validation: 'health check' });
  j.write({ t: at(5), type: 'phase.start', phase: 'baseline load' });
  j.write({
    t: at(5_000),
    type: 'probe.summary',
    probe: 'load',
    summary: loadSummary('baseline', { p50: 3.1, p90: 6.2, p95: 8.4, p99: 14.9, max: 41, rps: 812.4, requests: 4062 }),
  });
  j.write({ t: at(1), type: 'phase.end', phase: 'baseline load', durationMs: 5_001 });
  if (opts.secret) j.write({ t: at(1), type: 'log', level: 'warn', message: `pg connect retry with password ${opts.secret}` });

  // The availability probe runs from here to the end of the procedure.
  const probeStart = at(200);
  const faultAt = at(300);
  j.write({ t: faultAt, type: 'fault.inject', fault: 'database-corruption', detail: 'PG_VERSION overwritten, postgres restarted' });
  j.write({ t: at(700), type: 'fault.effective', fault: 'database-corruption', detail: '3 consecutive health checks answered 503 within 0.7 s' });
  j.write({ t: at(50), type: 'trigger', trigger: 'health-check-failures', firedAt: t, detail: '3 consecutive failed health checks' });

  const steps = seed ? SEED_STEPS : HARDENED_STEPS;
  const procedure = 'emergency';
  const downFrom = faultAt + 100; // the fault bites right after injection
  let switchAt = 0;
  const lastStep = kind === 'aborted' ? 2 : steps.length;
  for (const [index, s] of steps.entries()) {
    if (index > lastStep) break;
    const startedAt = at(20);
    j.write({ t: startedAt, type: 'step.start', procedure, stepId: s.id, step: s.name, index, budgetMs: s.budgetMs });
    if (kind === 'aborted' && index === lastStep) {
      at(1_500);
      j.write({ t, type: 'log', level: 'info', message: 'sqlite pods starting' });
      break;
    }
    const durationMs = Math.round(s.durationMs * slow);
    if (s.id === 'switch-selector' || s.id === 'step-4-switch-selector') {
      switchAt = startedAt + Math.round(durationMs / 2);
      j.write({ t: switchAt, type: 'marker', name: 'selector-switch', detail: '{"app":"hyperpage","component":"app","engine":"sqlite"}' });
    }
    at(durationMs);
    j.write({
      t,
      type: 'step.end',
      procedure,
      stepId: s.id,
      step: s.name,
      index,
      budgetMs: s.budgetMs,
      startedAt,
      durationMs,
      outcome: s.outcome ?? 'ok',
      message: s.message ?? '',
    });
  }
  const probeEnd = at(1_000);

  const samplesFile = 'availability-database-corruption-' + variant + '.jsonl';
  const restoredAt = switchAt ? switchAt + Math.round(300 * slow) : Infinity;
  const samples = availabilitySamples(probeStart, probeEnd, downFrom, restoredAt);
  writeFileSync(path.join(dir, samplesFile), samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  j.write({ t: at(5), type: 'probe.samples', probe: 'availability', file: samplesFile, count: samples.length });
  if (kind === 'aborted') return file; // SIGINT: no summaries, no verdicts, no run.end.

  const failed = samples.filter((s) => s.status !== 200);
  const downtimeMs = restoredAt - downFrom;
  j.write({
    t: at(5),
    type: 'probe.summary',
    probe: 'availability',
    summary: {
      total: samples.length,
      failed: failed.length,
      errorRate: failed.length / samples.length,
      downtimeMs,
      downtimeStart: downFrom,
      downtimeEnd: restoredAt,
      unavailableMs: downtimeMs,
      longestFailureRun: failed.length,
      longestFailureRunMs: downtimeMs,
      engines: { postgres: samples.length - failed.length - (samples.filter((s) => s.engine === 'sqlite').length), sqlite: samples.filter((s) => s.engine === 'sqlite').length },
      engineFirstSeen: [
        { engine: 'postgres', t: probeStart },
        { engine: 'sqlite', t: restoredAt },
      ],
      mixedEngineMs: 0,
      p99LatencyMs: 41,
      timeToRestoreMs: restoredAt - faultAt,
    },
  });
  j.write({ t: at(10), type: 'trigger', trigger: 'health-check-failures', clearedAt: restoredAt });
  const lost = kind === 'seed-lost' || kind === 'seed-expected' ? SEED_LOST : 0;
  j.write({
    t: at(1_500),
    type: 'probe.summary',
    probe: 'ledger',
    summary: {
      attempted: 1_237 + lost,
      ok: 1_204 + lost,
      fail: 31,
      unknown: 2,
      lost,
      recovered: 1,
      unexpected: 0,
      duplicated: 0,
      altered: 0,
      lostEmails: lost ? ['ledger-r-17@drill.local'] : [],
      unexpectedEmails: [],
      duplicatedEmails: [],
      source: 'sqlite-file',
      minPerPod: 401,
      detectableLoss: 0.0074,
    },
  });
  const p99 = 18.7 * slow;
  j.write({
    t: at(5_000),
    type: 'probe.summary',
    probe: 'load',
    // After the rollback the load comes at a fixed rate (half the baseline's), its p99 also counted from when each request was due.
    summary: {
      ...loadSummary('after', { p50: 2.9, p90: 5.8, p95: 7.7, p99, max: 55, rps: 405.9, requests: 2030 }),
      generator: 'open-loop',
      corrected: { p50: 3.0, p90: 6.1, p95: 8.2, p99: p99 + 4.6, max: 61 },
      rate: { target: 406, source: "the baseline's 812.4 req/s × 0.5 (--load-rate-share)", sent: 406, achieved: 405.9, late: 12, lateShare: 0.0059 },
    },
  });
  j.write({ t: at(300), type: 'probe.summary', probe: 'features', summary: { health: 'ok', 'tool-github': 'ok', 'tool-gitlab': 'ok' } });

  const restoreMs = restoredAt - faultAt;
  const verdicts = [
    { id: 'emergency-rollback', title: 'Emergency rollback < 5 min', passed: true, measured: restoreMs, budget: 300_000, unit: 'ms', evidence: `service healthy on sqlite 3/3 after ${restoreMs} ms` },
    {
      id: 'data-integrity',
      title: 'No data loss during rollback',
      passed: lost === 0,
      measured: lost,
      budget: 0,
      unit: 'writes',
      evidence: lost ? `${lost} acknowledged writes missing after rollback (ledger); e.g. ledger-r-17@drill.local` : 'all 1204 acknowledged writes readable; checksums equal',
    },
    { id: 'functionality', title: 'All core features working', passed: true, measured: '7/7', budget: '7/7', unit: 'checks', evidence: 'health, tools, rate limits, SELECT 1, users count' },
    { id: 'performance', title: 'Response time < 500 ms (p99)', passed: p99 < 500, measured: p99, budget: 500, unit: 'ms', evidence: `p99 ${p99} ms over 4225 requests` },
    { id: 'monitoring', title: 'All alerts cleared within 10 min', passed: true, measured: 1_700, budget: 600_000, unit: 'ms', evidence: 'health-check-failures cleared 1.7 s after firing' },
  ];
  for (const v of verdicts) {
    const expectFail = judged && v.id === 'data-integrity';
    const expectation = judged ? { expected: expectFail ? ('fail' as const) : ('pass' as const), ...(expectFail ? { expectedBecause: 'runbook-no-data-flow' } : {}), matches: v.passed !== expectFail } : {};
    j.write({ t: at(2), type: 'verdict', ...v, ...expectation });
  }
  if (judged) {
    const step5b = SEED_STEPS.find((x) => x.id === 'step-5b-health')!;
    // As criteria/expectations.ts writes them: each check names the procedure and step it judges.
    j.write({ t: at(2), type: 'check', id: 'step:emergency:step-5b-health', title: step5b.name, passed: false, measured: `failed: ${step5b.message}`, expected: 'fail', expectedBecause: 'runbook-cluster-dns', matches: true, procedure, stepId: step5b.id });
    j.write({
      t: at(2),
      type: 'check',
      id: 'checklist:1',
      title: '1. Application health (curl cluster DNS)',
      passed: false,
      measured: 'failed: curl http://hyperpage-service.hyperpage.svc.cluster.local/api/health → HTTP 000',
      expected: 'fail',
      expectedBecause: 'runbook-cluster-dns',
      matches: true,
      procedure: 'validation',
      stepId: 'checklist-1-health',
    });
    j.write({ t: at(2), type: 'check', id: 'checklist:final-line', title: 'Final line', passed: true, measured: 'ok: printed unconditionally', expected: 'pass', matches: true, procedure: 'validation', stepId: 'final-line' });
  }
  if (seed) {
    j.write({ t: at(2), type: 'finding', id: 'runbook-no-data-flow', title: 'No data flows PostgreSQL → SQLite', detail: `${lost} writes lost; the script printed "No data loss occurred"`, confirmed: true });
    j.write({ t: at(2), type: 'finding', id: 'runbook-cluster-dns', title: 'Health checks use cluster DNS <unreachable> & "quoted"', detail: 'ENOTFOUND hyperpage-service.hyperpage.svc.cluster.local', confirmed: true });
  }
  j.write({ t: at(2), type: 'finding', id: 'runbook-rate-limit-test', title: '/api/rate-limit/test is not a platform', detail: 'not exercised by this scenario', confirmed: false });
  const passed = verdicts.every((v) => v.passed);
  // The gate: every verdict matches its expectation (without expectations: every verdict passed).
  const gate = judged ? kind === 'seed-expected' : passed;
  j.write({ t: at(2), type: 'scenario.end', passed, ...(judged ? { matches: gate } : {}), durationMs: t - (t0 + 3_015) });
  j.setContext({});
  j.write({ t: at(800), type: 'phase.start', phase: 'teardown' });
  j.write({ t: at(1_200), type: 'phase.end', phase: 'teardown', durationMs: 1_200 });
  j.write({ t: at(5), type: 'run.end', status: gate ? 'passed' : 'failed', exitCode: gate ? 0 : 1 });
  return file;
}

/** A load phase summary as probes/load.ts writes it (reads only, no errors). */
function loadSummary(phase: string, m: { p50: number; p90: number; p95: number; p99: number; max: number; rps: number; requests: number }) {
  return { phase, ...m, durationMs: Math.round((m.requests / m.rps) * 1000), errors: 0, timeouts: 0, non2xx: 0, engines: { [phase === 'after' ? 'sqlite' : 'postgres']: m.requests }, connections: 10, paths: ['/api/health', '/api/tools/enabled'], writeRatio: 0 };
}

function availabilitySamples(from: number, to: number, downFrom: number, upFrom: number) {
  const out: { t: number; status: number; latencyMs: number; engine: string | null; pod: string | null; error?: string }[] = [];
  let i = 0;
  for (let t = from; t < to; t += 50 + ((i * 37) % 50), i++) {
    const down = t >= downFrom && t < upFrom;
    const engine = t >= upFrom ? 'sqlite' : 'postgres';
    if (down)
      out.push(i % 3 ? { t, status: 503, latencyMs: 2 + (i % 7), engine, pod: 'hyperpage-0', error: 'database unhealthy' } : { t, status: 0, latencyMs: 1_000, engine: null, pod: null, error: 'timeout' });
    else out.push({ t, status: 200, latencyMs: 2 + (i % 11) + (i % 29 === 0 ? 40 : 0), engine, pod: `hyperpage-${engine === 'sqlite' ? 'sqlite-' : ''}${i % 3}` });
  }
  return out;
}
