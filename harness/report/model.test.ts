import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../journal/journal.ts';
import type { JournalEvent } from '../model/journal-events.ts';
import { renderJunit } from './formats/junit.format.ts';
import { buildReport } from './build-report.ts';
import { durationToMs } from './key-metrics.ts';
import { SEED_LOST, writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';

afterEach(cleanTmp);

const build = (kind: Parameters<typeof writeFixtureRun>[1], opts = {}) => buildReport(readJournal(writeFixtureRun(tmpDir(), kind, opts)));

describe('buildReport', () => {
  it('models a passing hardened run: run, scenario, fault, steps, criteria, probes, metrics', () => {
    const r = build('hardened-pass');
    expect(r.schemaVersion).toBe(1);
    expect(r.run).toMatchObject({ profile: 'monthly', platform: 'local', status: 'passed', exitCode: 0 });
    expect(r.run.platformReason).toContain('docker not found');
    expect(r.verdict).toMatchObject({ passed: true, status: 'passed', criteria: { total: 5, passed: 5, failed: 0 } });
    expect(r.interruption).toBeNull();
    const g = r.groups.find((x) => x.key === 'database-corruption/hardened')!;
    expect(g).toMatchObject({ status: 'passed', method: 'emergency', budgetMs: 300_000, validation: 'health check' });
    expect(g.fault).toMatchObject({ name: 'database-corruption', effective: true });
    expect(g.fault.evidence).toContain('503');
    expect(g.steps).toHaveLength(6);
    expect(g.steps.every((s) => s.outcome === 'ok' && !s.overBudget)).toBe(true);
    expect(g.markers.map((m) => m.name)).toEqual(['selector-switch']);
    expect(g.latency.baseline?.['p99']).toBe(14.9);
    expect(g.latency.after?.['p99']).toBe(18.7);
    expect(g.integrity?.['lost']).toBe(0);
    expect(g.triggers).toEqual([expect.objectContaining({ trigger: 'health-check-failures', firedAt: expect.any(Number), clearedAt: expect.any(Number) })]);
    expect(g.metrics).toMatchObject({ timeToRestoreSource: 'probe', p99AfterMs: 18.7, lostWrites: 0 });
    expect(g.metrics.timeToRestoreMs).toBeGreaterThan(0);
    expect(g.metrics.downtimeMs).toBeGreaterThan(0);
    // Run-level events (provision, teardown) are their own group, listed last.
    expect(r.groups.at(-1)!.key).toBe('run');
    expect(r.groups.at(-1)!.phases.map((p) => p.phase)).toEqual(['provision', 'teardown']);
    expect(r.warnings).toEqual([]);
  });

  it('models the seed run that loses 537 writes as failed on data integrity, with the step over budget and the confirmed findings', () => {
    const r = build('seed-lost');
    expect(r.verdict.passed).toBe(false);
    expect(r.run).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(r.verdict.headline).toContain('data-integrity');
    expect(r.verdict.headline).toContain(`measured ${SEED_LOST} writes`);
    const g = r.groups[0]!;
    expect(g.key).toBe('database-corruption/seed');
    expect(g.status).toBe('failed');
    expect(g.criteria.find((c) => c.id === 'data-integrity')).toMatchObject({ passed: false, measured: SEED_LOST, budget: 0, unit: 'writes' });
    expect(g.metrics.lostWrites).toBe(SEED_LOST);
    expect(g.steps.find((s) => s.step.startsWith('Step 4'))).toMatchObject({ overBudget: true, outcome: 'ok' });
    expect(g.steps.find((s) => s.step.startsWith('Step 5b'))).toMatchObject({ outcome: 'failed', overBudget: false });
    expect(r.verdict.steps).toMatchObject({ total: 7, ok: 6, failed: 1, overBudget: 1 });
    expect(r.findings.filter((f) => f.confirmed).map((f) => f.id)).toEqual(['runbook-no-data-flow', 'runbook-cluster-dns']);
    expect(r.findings.find((f) => !f.confirmed)?.id).toBe('runbook-rate-limit-test');
  });

  it('marks a journal without run.end as aborted and says which steps were done and which was running', () => {
    const r = build('aborted');
    expect(r.run).toMatchObject({ status: 'aborted', exitCode: null, endedAt: null, durationMs: null });
    expect(r.run.reason).toContain('without run.end');
    expect(r.verdict.passed).toBe(false);
    expect(r.groups[0]!.status).toBe('aborted');
    expect(r.interruption!.stepsDone.map((s) => s.step)).toEqual(['Freeze writes: scale PostgreSQL app to 0', 'Sync PostgreSQL → SQLite (verified)']);
    expect(r.interruption!.inProgress).toEqual([expect.objectContaining({ step: 'Create SQLite deployment on hyperpage-data-pvc', group: 'database-corruption/hardened' })]);
    const running = r.groups[0]!.steps[2]!;
    expect(running.outcome).toBe('interrupted');
    expect(running.durationMs).toBeGreaterThanOrEqual(1_500);
    expect(r.verdict.headline).toMatch(/^ABORTED: interrupted; 2 of 3 step\(s\) done, stopped during "Create SQLite/);
    expect(r.groups[0]!.metrics.timeToRestoreMs).toBeNull();
  });

  it('treats run.end aborted (SIGINT, exit 130) as interrupted: the step the abort caught is in progress, later ones not run', () => {
    const t = Date.UTC(2026, 1, 1);
    const e = (x: object) => ({ scenario: 'database-corruption', variant: 'seed', ...x }) as JournalEvent;
    const step = (index: number, outcome: string, startedAt: number, durationMs: number) =>
      e({ t: startedAt + durationMs, type: 'step.end', procedure: 'emergency', step: `s${index}`, index, budgetMs: 10_000, startedAt, durationMs, outcome, message: outcome === 'aborted' && !durationMs ? 'not run' : '' });
    const r = buildReport([
      { t, type: 'run.start', runId: 'sigint', profile: 'monthly', platform: 'local', scenarios: ['database-corruption'], variants: ['seed'], config: {}, host: { node: 'v20', os: 'linux', cpus: 2 } },
      e({ t: t + 1, type: 'scenario.start', fault: 'database-corruption', method: 'emergency', budgetMs: 300_000, validation: 'health check' }),
      step(0, 'ok', t + 10, 1_000),
      step(1, 'aborted', t + 1_020, 2_500),
      step(2, 'aborted', t + 3_530, 0),
      { t: t + 3_600, type: 'run.end', status: 'aborted', exitCode: 130, reason: 'SIGINT' },
    ]);
    expect(r.run).toMatchObject({ status: 'aborted', exitCode: 130, reason: 'SIGINT' });
    expect(r.groups[0]!.status).toBe('aborted');
    expect(r.interruption).toMatchObject({ stepsDone: [{ step: 's0' }], inProgress: [{ step: 's1', startedAt: t + 1_020 }] });
    expect(r.verdict.headline).toBe('ABORTED: SIGINT; 1 of 3 step(s) done, stopped during "s1" (database-corruption/seed)');
    const xml = renderJunit(r);
    expect(xml).toMatch(/name="02 s1"[^>]*>\s*<error type="interrupted"/);
    expect(xml).toMatch(/name="03 s2"[^>]*>\s*<skipped message="not run \(aborted\): not run"/);
  });

  it('never carries secrets or nested config (pod env) into the model', () => {
    const secret = 'Sup3r-Secret-Pw';
    const r = build('hardened-pass', { secret });
    const json = JSON.stringify(r);
    expect(json).not.toContain(secret);
    expect(r.run.config).toEqual({ profile: 'monthly', variant: 'hardened', cluster: 'auto', datasetSize: 10_000, timeScale: 60 });
    expect(r.logs[0]!.message).toContain('***');
  });

  it('flags a run.end that claims passed while a criterion failed, and a fault never verified', () => {
    const t = Date.UTC(2026, 1, 1);
    const events: JournalEvent[] = [
      { t, type: 'run.start', runId: 'x', profile: 'monthly', platform: 'local', scenarios: ['s'], variants: ['seed'], config: {}, host: { node: 'v20', os: 'linux', cpus: 2 } },
      { t: t + 1, scenario: 's', variant: 'seed', type: 'fault.inject', fault: 'f', detail: 'd' },
      { t: t + 2, scenario: 's', variant: 'seed', type: 'verdict', id: 'performance', title: 'p99', passed: false, measured: 0.9, budget: 0.5, unit: 's', evidence: 'slow' },
      { t: t + 3, scenario: 's', variant: 'seed', type: 'verdict', id: 'performance', title: 'p99', passed: true, measured: 0.2, budget: 0.5, unit: 's', evidence: 're-run' },
      { t: t + 4, scenario: 's', variant: 'seed', type: 'verdict', id: 'planned-rollback', title: 'planned', passed: false, measured: 31, budget: 30, unit: 'min', evidence: 'slow' },
      { t: t + 5, type: 'run.end', status: 'passed', exitCode: 0 },
    ];
    const r = buildReport(events);
    const g = r.groups[0]!;
    expect(g.criteria).toHaveLength(2); // re-evaluated criterion replaces the earlier verdict
    expect(g.criteria[0]).toMatchObject({ id: 'performance', passed: true });
    expect(g.metrics).toMatchObject({ timeToRestoreMs: 31 * 60_000, timeToRestoreSource: 'verdict' });
    expect(r.warnings).toEqual(['run.end says passed, but 1 verdict(s)/check(s) do not match their expected outcome', 's/seed: fault f injected but never verified']);
  });

  it('falls back to the procedure wall time for time-to-restore and reads scores', () => {
    const t = Date.UTC(2026, 1, 1);
    const e = (x: object) => ({ scenario: 'maintenance-window', variant: 'hardened', ...x }) as JournalEvent;
    const r = buildReport([
      e({ t, type: 'step.end', procedure: 'planned', step: 'a', index: 0, budgetMs: 1000, startedAt: t - 500, durationMs: 500, outcome: 'ok' }),
      e({ t: t + 900, type: 'step.end', procedure: 'planned', step: 'b', index: 1, budgetMs: 1000, startedAt: t + 100, durationMs: 800, outcome: 'ok' }),
      e({ t: t + 901, type: 'probe.summary', probe: 'resilience', summary: { resilienceScore: 87, earned: 87, possible: 100, missed: 'performance (13)' } }),
      { t: t + 902, type: 'run.end', status: 'passed', exitCode: 0 },
    ]);
    expect(r.groups[0]!.metrics).toMatchObject({ timeToRestoreMs: 1_400, timeToRestoreSource: 'procedure', score: 87 });
    expect(r.resilienceScore).toBe(87);
    expect(r.warnings).toContain('journal has no run.start event');
  });

  it('converts measured durations by unit', () => {
    expect(durationToMs(1.5, 's')).toBe(1_500);
    expect(durationToMs(2, 'min')).toBe(120_000);
    expect(durationToMs(250, 'ms')).toBe(250);
    expect(durationToMs(3, 'writes')).toBeNull();
    expect(durationToMs('3/3', 'checks')).toBeNull();
  });
});
