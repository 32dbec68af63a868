import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../scenarios/registry.ts';
import { FINDINGS } from '../kit/findings.ts';
import { type FindingSpec } from '../model/findings.ts';
import {
  applyExpectations,
  checklistChecks,
  checklistItem,
  confirmedByVerdicts,
  dataRecoveryCheck,
  declaredExpectedFailures,
  expectationFor,
  expectationLine,
  procedureStepChecks,
  stepCheckId,
  verdictMeasurement,
} from './expectations.ts';
import { seedEmergency } from '../procedures/emergency.ts';
import { seedPlanned } from '../procedures/planned.ts';
import type { Verdict } from '../model/verdict.ts';

const verdict = (id: string, passed: boolean, measured: number | null = passed ? 0 : 537): Verdict => ({
  id,
  title: id,
  passed,
  measured,
  budget: 0,
  unit: 'lost writes',
  evidence: `${measured} of 1204 acknowledged writes lost`,
});

const SCENARIOS = (await loadScenarios()).builtin;

describe('declared expected failures (FINDINGS)', () => {
  it('sit next to real findings, only for the seed variant, with known scenarios and unique checks', () => {
    const all = declaredExpectedFailures();
    expect(all.length).toBeGreaterThan(0);
    for (const x of all) {
      expect(x.variant).toBe('seed');
      for (const s of x.scenarios ?? []) expect(SCENARIOS).toContain(s);
      expect(x.check).toMatch(/^(criterion:[a-z-]+|checklist:[1-5]|data-recovery|step:(emergency|planned):[^:]+)$/);
    }
    const keys = all.flatMap((x) => (x.scenarios ?? SCENARIOS).map((s: string) => `${x.check}@${s}`));
    expect(new Set(keys).size, 'a check is explained by one finding per scenario').toBe(keys.length);
    expect(all.find((x) => x.check === 'criterion:data-integrity')?.finding).toBe(FINDINGS.noDataFlow.id);
  });

  it('the hardened variant expects every criterion and check to pass', () => {
    for (const s of SCENARIOS)
      for (const c of ['criterion:data-integrity', 'criterion:security-validation', 'checklist:1', 'checklist:2', 'data-recovery'])
        expect(expectationFor(c, s, 'hardened')).toEqual({ expected: 'pass' });
  });

  it('scopes a declaration to its scenarios', () => {
    expect(expectationFor('criterion:security-validation', 'security-incident', 'seed')).toEqual({ expected: 'fail', expectedBecause: 'runbook-postgres-not-cut-off' });
    expect(expectationFor('criterion:security-validation', 'maintenance-window', 'seed')).toEqual({ expected: 'pass' });
  });
});

describe('a finding that masks another\'s expected failure', () => {
  const runbook = Object.values(FINDINGS) as FindingSpec[];
  const acksNoWrite: FindingSpec = { id: 'app-acks-no-write', title: 'PostgreSQL mode acknowledges no write', masks: [{ finding: 'runbook-no-data-flow', check: 'criterion:data-integrity', variant: 'seed', scenarios: ['database-corruption'], because: 'nothing acknowledged on PostgreSQL' }] };
  it('turns it into an expected pass where it applies, and nowhere else', () => {
    expect(expectationFor('criterion:data-integrity', 'database-corruption', 'seed', runbook)).toEqual({ expected: 'fail', expectedBecause: 'runbook-no-data-flow' });
    // The pass names the finding that masks the failure: the reports show it, a masked pass is never silent.
    expect(expectationFor('criterion:data-integrity', 'database-corruption', 'seed', [...runbook, acksNoWrite])).toEqual({ expected: 'pass', expectedBecause: 'app-acks-no-write', maskReason: 'nothing acknowledged on PostgreSQL' });
    // Another scenario, another check: untouched.
    expect(expectationFor('criterion:data-integrity', 'maintenance-window', 'seed', [...runbook, acksNoWrite])).toEqual(expectationFor('criterion:data-integrity', 'maintenance-window', 'seed', runbook));
    expect(expectationFor('checklist:1', 'database-corruption', 'seed', [...runbook, acksNoWrite])).toEqual(expectationFor('checklist:1', 'database-corruption', 'seed', runbook));
  });
});

describe('applyExpectations', () => {
  it('an expected failure that failed matches; one that passed does not (strict)', () => {
    const [failed] = applyExpectations([verdict('data-integrity', false)], 'database-corruption', 'seed');
    expect(failed).toMatchObject({ passed: false, expected: 'fail', expectedBecause: 'runbook-no-data-flow', matches: true });
    const [fixed] = applyExpectations([verdict('data-integrity', true)], 'database-corruption', 'seed');
    expect(fixed).toMatchObject({ passed: true, expected: 'fail', matches: false });
    expect(expectationLine(fixed!, verdictMeasurement(fixed!))).toMatch(/^UNEXPECTEDLY PASSED .*runbook-no-data-flow.*measured 0 lost writes.*remove the expectation/);
  });

  it('a failure nobody declared does not match; a pass expected to pass does', () => {
    const [hardened, perf] = applyExpectations([verdict('data-integrity', false, 3), verdict('performance', true)], 'database-corruption', 'hardened');
    expect(hardened).toMatchObject({ expected: 'pass', matches: false });
    expect(hardened).not.toHaveProperty('expectedBecause');
    expect(expectationLine(hardened!, verdictMeasurement(hardened!))).toBe('FAILED: measured 3 lost writes (budget 0 lost writes): 3 of 1204 acknowledged writes lost');
    expect(perf).toMatchObject({ expected: 'pass', matches: true });
  });

  it('an expected failure that measured nothing has not shown the defect: no match', () => {
    const [v] = applyExpectations([verdict('data-integrity', false, null)], 'maintenance-window', 'seed');
    expect(v).toMatchObject({ expected: 'fail', matches: false });
    expect(expectationLine(v!, verdictMeasurement(v!))).toMatch(/but nothing was measured: measured nothing/);
    const coverage: Verdict = { ...verdict('data-integrity', false), measured: 'not measured', unit: 'anomalies', evidence: 'NOT MEASURED: too few writes after the restore' };
    expect(applyExpectations([coverage], 'maintenance-window', 'seed')[0]).toMatchObject({ expected: 'fail', matches: false });
  });

  it('says the measured value for an expected failure, and confirms its finding with it', () => {
    const list = applyExpectations([verdict('data-integrity', false), verdict('performance', true)], 'performance-issues', 'seed');
    expect(expectationLine(list[0]!, verdictMeasurement(list[0]!))).toBe(
      'expected failure (finding runbook-no-data-flow): measured 537 lost writes (budget 0 lost writes): 537 of 1204 acknowledged writes lost',
    );
    expect(confirmedByVerdicts(list)).toEqual([
      { id: 'runbook-no-data-flow', title: FINDINGS.noDataFlow.title, detail: expect.stringContaining('data-integrity failed as expected: measured 537 lost writes'), confirmed: true },
    ]);
  });

  it('judges against the table it is given (a finding declared only for one scenario)', () => {
    const table: FindingSpec[] = [{ id: 'x', title: 'X', expectedFailures: [{ check: 'criterion:performance', variant: 'seed', scenarios: ['performance-issues'] }] }];
    expect(applyExpectations([verdict('performance', false, 900)], 'performance-issues', 'seed', table)[0]).toMatchObject({ expectedBecause: 'x', matches: true });
    expect(applyExpectations([verdict('performance', false, 900)], 'database-corruption', 'seed', table)[0]).toMatchObject({ expected: 'pass', matches: false });
  });
});

describe('procedure steps', () => {
  const step = (id: string, name: string, outcome: string, message = '') => ({ procedure: 'emergency', stepId: id, step: name, outcome, message });

  it('judges failed steps and declared ones; an ok step nobody declared is no check', () => {
    const checks = procedureStepChecks(
      [
        step('step-4-switch-selector', 'Step 4: update service selector', 'ok'),
        step('step-5b-health', 'Step 5b: health endpoint (cluster DNS URL)', 'failed', 'HTTP 000'),
        step('step-5a-wait-ready', 'Step 5a: wait for 3 ready pods', 'failed', 'not 3/3'),
      ],
      'database-corruption',
      'seed',
    );
    expect(checks.map((c) => [c.id, c.expected, c.expectedBecause, c.matches])).toEqual([
      ['step:emergency:step-5b-health', 'fail', 'runbook-cluster-dns', true],
      ['step:emergency:step-5a-wait-ready', 'pass', undefined, false],
    ]);
  });

  it('the check id follows the step id, not its prose; a record without an id falls back to the label', () => {
    expect(stepCheckId('emergency', 'Step 5b renamed: anything', 'step-5b-health')).toBe('step:emergency:step-5b-health');
    expect(stepCheckId('emergency', 'Step 5b: health endpoint')).toBe('step:emergency:Step 5b');
  });

  it('a declared step that passed or did not run does not match', () => {
    expect(procedureStepChecks([step('step-5b-health', 'Step 5b: health endpoint', 'ok')], 'security-incident', 'seed')[0]).toMatchObject({ passed: true, matches: false });
    expect(procedureStepChecks([step('step-5b-health', 'Step 5b: health endpoint', 'skipped')], 'security-incident', 'seed')[0]).toMatchObject({ measured: 'not measured: skipped', matches: false });
  });

  it('every declared step names a step of the seed procedures as they are', () => {
    const steps = [seedEmergency(), seedPlanned()].flatMap((p) => p.steps.map((s) => stepCheckId(p.name, s.name, s.id)));
    for (const x of declaredExpectedFailures().filter((d) => d.check.startsWith('step:'))) expect(steps).toContain(x.check);
  });
});

describe('checklist and data recovery', () => {
  const seedSteps = [
    { stepId: 'checklist-1-health', step: '1. Application health (curl cluster DNS)', outcome: 'failed', message: 'HTTP 000' },
    { stepId: 'checklist-2-database', step: '2. Database connectivity (kubectl exec deployment/hyperpage -- sqlite3 … COUNT(*))', outcome: 'failed', message: 'no pod' },
    { stepId: 'final-line', step: 'Final line ("Rollback validation completed")', outcome: 'ok', message: 'printed unconditionally' },
  ];

  it('numbered items are checklist:N with their declared expectation; other steps must pass', () => {
    const checks = checklistChecks(seedSteps, 'database-corruption', 'seed');
    expect(checks.map((c) => [c.id, c.expected, c.expectedBecause, c.matches])).toEqual([
      ['checklist:1', 'fail', 'runbook-cluster-dns', true],
      ['checklist:2', 'fail', 'runbook-exec-scaled-deployment', true],
      ['checklist:final-line', 'pass', undefined, true],
    ]);
    expect(checks[0]!.measured).toBe('failed: HTTP 000');
  });

  it('the item number comes from the step id; a record without an id falls back to the prose', () => {
    expect(checklistItem('Renamed health item', 'checklist-1-health')).toBe(1);
    expect(checklistItem('2. Database connectivity')).toBe(2);
    expect(checklistItem('Final line', 'final-line')).toBeUndefined();
  });

  it('a seed checklist item that passes is an unexpected pass; a failed hardened item a mismatch', () => {
    expect(checklistChecks([{ step: '1. Application health', outcome: 'ok' }], 'database-corruption', 'seed')[0]).toMatchObject({ passed: true, matches: false });
    expect(checklistChecks([{ step: '1. Application health', outcome: 'failed', message: '503' }], 'database-corruption', 'hardened')[0]).toMatchObject({ expected: 'pass', matches: false });
  });

  it('data recovery: the seed copy is expected to fail, the hardened one to complete', () => {
    const failed = { completed: false, steps: [{ step: 'Recovery pod as written', outcome: 'failed', message: 'nothing reaches SQLite' }] };
    expect(dataRecoveryCheck(failed, 'maintenance-window', 'seed')).toMatchObject({ id: 'data-recovery', expected: 'fail', expectedBecause: 'runbook-recovery-to-tmp', matches: true, measured: 'failed Recovery pod as written: nothing reaches SQLite' });
    expect(dataRecoveryCheck(failed, 'maintenance-window', 'hardened')).toMatchObject({ expected: 'pass', matches: false });
  });
});
