// The suite of one scenario spec: the drill runs once per variant in beforeAll (on the platform the
// CLI chose), then one `it` per success criterion (the runbook's and the row's own), for the
// procedure steps, the validation checklist, the data recovery and the row's assertions, each
// asserting that the outcome MATCHES its expectation (harness/criteria/expectations.ts: the seed
// runbook's known defects are expected failures) with the measured value in its message.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalVerdicts, scenarioVerdicts } from '../harness/criteria/verdicts.ts';
import { type Verdict } from '../harness/model/verdict.ts';
import {
  applyExpectations,
  checklistChecks,
  confirmedByVerdicts,
  dataRecoveryCheck,
  expectationFor,
  expectationLine,
  procedureStepChecks,
  verdictMeasurement,
  type Check,
} from '../harness/criteria/expectations.ts';
import { resilienceScore } from '../harness/criteria/score.ts';
import { runScenario } from '../harness/drill/run-scenario.ts';
import { type ScenarioOutcome } from '../harness/model/outcome.ts';
import { Journal } from '../harness/journal/journal.ts';
import { FINDINGS } from '../harness/kit/findings.ts';
import { type FindingSpec } from '../harness/model/findings.ts';
import type { TargetProfile } from '../harness/model/target-profile.ts';
import { hasPhase } from '../harness/scenarios/spec.ts';
import { type ScenarioSpec } from '../harness/model/scenario.ts';
import { drillEnv, progress } from './drill-env.ts';

export const CRITERIA = ['data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring'] as const;

export function defineScenarioSuite(spec: ScenarioSpec, target: TargetProfile): void {
  const env = drillEnv();
  const scenario = spec.name;
  // The runbook's findings, the row's own and the target's: what explains each expected failure.
  const findings = [...Object.values(FINDINGS), ...(spec.findings ?? []), ...(target.findings as FindingSpec[])];
  describe.each(env.variants)(`${scenario} (%s variant): ${spec.method} rollback < ${spec.budgetMs / 60_000} min, ${spec.validation}`, (variant) => {
    let outcome: ScenarioOutcome;
    let verdicts: Map<string, Verdict>;
    let checklist: Check[];
    let recovery: Check | undefined;
    let stepChecks: Check[];

    beforeAll(async () => {
      const journal = new Journal(path.join(env.runDir, 'journal.jsonl'));
      outcome = await runScenario({ config: env.config, scenario, spec, variant, runDir: env.runDir, platform: env.platform, progress, journal, handleSignals: env.fromCli, runIdPrefix: env.runIdPrefix });
      const list = applyExpectations(scenarioVerdicts(outcome, spec.criteria), scenario, variant, findings);
      journalVerdicts(journal, list);
      for (const f of confirmedByVerdicts(list, findings)) journal.write({ type: 'finding', ...f });
      checklist = checklistChecks(outcome.validation.steps, scenario, variant, findings);
      recovery = outcome.dataRecovery ? dataRecoveryCheck(outcome.dataRecovery, scenario, variant, findings) : undefined;
      stepChecks = procedureStepChecks(outcome.procedure.steps, scenario, variant, findings);
      const checks = [...stepChecks, ...checklist, ...(recovery ? [recovery] : [])];
      for (const c of checks) journal.write({ type: 'check', ...c });
      journal.write({ type: 'probe.summary', probe: 'resilience', summary: { ...resilienceScore(list) } });
      journal.write({
        type: 'scenario.end',
        passed: list.every((v) => v.passed),
        matches: [...list, ...checks].every((x) => x.matches),
        durationMs: outcome.procedure.durationMs,
      });
      verdicts = new Map(list.map((v) => [v.id, v]));
    });

    const expectedTitle = (check: string) => {
      const e = expectationFor(check, scenario, variant, findings);
      return e.expected === 'fail' ? ` (expected to fail: finding ${e.expectedBecause})` : '';
    };

    for (const id of [spec.method === 'planned' ? 'planned-rollback' : 'emergency-rollback', ...CRITERIA, ...(spec.criteria ?? []).map((c) => c.id)]) {
      it(`criterion ${id}${expectedTitle(`criterion:${id}`)}`, async ({ annotate }) => {
        const v = verdicts.get(id);
        if (!v) throw new Error(`criterion ${id} was not measured`);
        const line = `${v.title}: ${expectationLine(v, verdictMeasurement(v))}`;
        expect(v.matches, line).toBe(true);
        if (v.expected === 'fail') await annotate(line);
      });
    }

    it('procedure steps: every failed step is a declared expected failure, and each one failed', async ({ annotate }) => {
      const line = (c: Check) => `${c.title}: ${expectationLine(c, c.measured)}`;
      expect(stepChecks.filter((c) => !c.matches).map(line), stepChecks.map(line).join('\n')).toEqual([]);
      const expected = stepChecks.filter((c) => c.expected === 'fail');
      if (expected.length) await annotate(expected.map(line).join('\n'));
    });

    it('validation checklist: every item matches its expected outcome', async ({ annotate }) => {
      const lines = checklist.map((c) => `${c.matches ? 'matches' : 'MISMATCH'} ${c.title}: ${expectationLine(c, c.measured)}`);
      expect(checklist.filter((c) => !c.matches).map((c) => `${c.title}: ${expectationLine(c, c.measured)}`), lines.join('\n')).toEqual([]);
      const expected = checklist.filter((c) => c.expected === 'fail');
      if (expected.length) await annotate(expected.map((c) => `${c.title}: ${expectationLine(c, c.measured)}`).join('\n'));
    });

    if (hasPhase(spec, 'data-recovery')) {
      it(`data recovery: PostgreSQL → SQLite, verified by counts and checksums${expectedTitle('data-recovery')}`, async ({ annotate }) => {
        if (!recovery) throw new Error('data recovery did not run');
        const line = expectationLine(recovery, recovery.measured);
        expect(recovery.matches, line).toBe(true);
        if (recovery.expected === 'fail') await annotate(line);
      });
    }

    for (const a of spec.assertions ?? []) {
      it(a.title, () => {
        const r = a.check(outcome);
        expect(r.holds, `${a.title}: measured ${r.measured}`).toBe(true);
      });
    }
  });
}
