// The suite of one scenario spec, a thin layer over the judge (harness/drill/judge.ts): the drill
// runs once per variant in beforeAll (on the platform the CLI chose) and is judged there, then one
// `it` per named assertion (each criterion, the procedure steps, the validation checklist, the data
// recovery, the row's own assertions), each asserting that the outcome MATCHES its expectation, with
// the measured value in its message.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowSuite, SCENARIO_SUITE } from '../harness/config/plan.ts';
import type { Criterion } from '../harness/criteria/criterion.ts';
import { loadCriteria } from '../harness/criteria/registry.ts';
import { assertionTitles, judgeScenario, type JudgeScope, type Judgement } from '../harness/drill/judge.ts';
import { runScenario } from '../harness/drill/run-scenario.ts';
import type { ScenarioSpec, Method } from '../harness/model/scenario.ts';
import { REPO_ROOT } from '../harness/kit/repo.ts';
import { Journal } from '../harness/journal/journal.ts';
import { loadScenarios, type ScenarioRegistry } from '../harness/scenarios/registry.ts';
import { loadTarget } from '../harness/targets/load.ts';
import type { TargetProfile } from '../harness/model/target-profile.ts';
import { drillEnv, progress, type DrillEnv } from './drill-env.ts';

/** What every drill suite judges with: the scenarios (built-in and the user's files), the target, the runbook's criteria. */
export async function suiteInputs(env: DrillEnv): Promise<{ registry: ScenarioRegistry; target: TargetProfile; criteria: readonly Criterion[] }> {
  const [registry, target, criteria] = await Promise.all([loadScenarios(env.config.scenarioFiles), loadTarget(env.config.target, env.config.appDir), loadCriteria()]);
  return { registry, target, criteria };
}

/** A built-in row with its own suite file (a user's scenario never has one: the generic suite drills it). */
export function hasRowSuite(spec: ScenarioSpec): boolean {
  return existsSync(path.join(REPO_ROOT, rowSuite(spec)));
}

/**
 * A row suite's whole body (suites/<method>/<row>.drill.ts): that row, drilled and judged. Under the
 * CLI it stands aside, skipped: the generic suite drills the CLI's plan (SCENARIO_SUITE).
 */
export async function defineRowSuite(method: Method, name: string): Promise<void> {
  const env = drillEnv();
  const { registry, target, criteria } = await suiteInputs(env);
  const spec = registry.get(name);
  if (spec.method !== method) throw new Error(`${rowSuite({ name, method })}: ${name} is a ${spec.method} row (its suite is ${rowSuite(spec)})`);
  if (env.fromCli) {
    describe.skip(`${name}: the CLI drills its plan with ${SCENARIO_SUITE}`, () => it('drilled there', () => undefined));
    return;
  }
  defineScenarioSuite(spec, target, criteria);
}

export function defineScenarioSuite(spec: ScenarioSpec, target: TargetProfile, criteria: readonly Criterion[]): void {
  const env = drillEnv();
  describe.each(env.variants)(`${spec.name} (%s variant): ${spec.method} rollback < ${spec.budgetMs / 60_000} min, ${spec.validation}`, (variant) => {
    const scope: JudgeScope = { spec, target, variant, criteria };
    let judgement: Judgement;

    beforeAll(async () => {
      const journal = new Journal(path.join(env.runDir, 'journal.jsonl'));
      const outcome = await runScenario({ config: env.config, scenario: spec.name, spec, variant, runDir: env.runDir, platform: env.platform, progress, journal, handleSignals: env.fromCli, runIdPrefix: env.runIdPrefix });
      judgement = judgeScenario(outcome, scope, journal);
    });

    for (const [i, title] of assertionTitles(scope).entries()) {
      it(title, async ({ annotate }) => {
        const a = judgement.assertions[i]!;
        if (a.error) throw new Error(a.error);
        if (a.mismatches) expect(a.mismatches, a.line).toEqual([]);
        else expect(a.matches, a.line).toBe(true);
        if (a.annotate) await annotate(a.annotate);
      });
    }
  });
}
