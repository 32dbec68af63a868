// One drill file = one scenario of the decision matrix: the drill runs once per variant in
// beforeAll (on the platform the CLI chose), then one `it` per success criterion, per validation
// item and per feature check, each asserting a verdict with the measured value in its message.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../harness/config/schema.ts';
import { journalVerdicts, scenarioVerdicts, type Verdict } from '../harness/criteria/verdicts.ts';
import { DECISION_MATRIX } from '../harness/criteria/matrix.ts';
import { resilienceScore } from '../harness/criteria/score.ts';
import { runScenario, type ScenarioOutcome } from '../harness/drill/run-scenario.ts';
import { Journal } from '../harness/journal/journal.ts';
import { drillEnv, progress } from './drill-env.ts';

export const CRITERIA = ['data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring'] as const;

export interface ScenarioSuiteOptions {
  /** Criteria of this row's validation set beyond the six (e.g. security-validation). */
  criteria?: string[];
  /** Extra assertions on the outcome (e.g. the fault's own evidence). */
  extra?: (get: () => ScenarioOutcome) => void;
}

export function defineScenarioSuite(scenario: ScenarioName, opts: ScenarioSuiteOptions = {}): void {
  const env = drillEnv();
  const row = DECISION_MATRIX[scenario];
  describe.each(env.variants)(`${scenario} (%s variant): ${row.method} rollback < ${row.budgetMs / 60_000} min, ${row.validation}`, (variant) => {
    let outcome: ScenarioOutcome;
    let verdicts: Map<string, Verdict>;

    beforeAll(async () => {
      const journal = new Journal(path.join(env.runDir, 'journal.jsonl'));
      outcome = await runScenario({ config: env.config, scenario, variant, runDir: env.runDir, platform: env.platform, progress, journal, handleSignals: env.fromCli, runIdPrefix: env.runIdPrefix });
      const list = scenarioVerdicts(outcome);
      journalVerdicts(journal, list);
      journal.write({ type: 'probe.summary', probe: 'resilience', summary: { ...resilienceScore(list) } });
      journal.write({ type: 'scenario.end', passed: list.every((v) => v.passed), durationMs: outcome.procedure.durationMs });
      verdicts = new Map(list.map((v) => [v.id, v]));
    });

    for (const id of [row.method === 'planned' ? 'planned-rollback' : 'emergency-rollback', ...CRITERIA, ...(opts.criteria ?? [])]) {
      it(`criterion ${id}`, () => {
        const v = verdicts.get(id);
        if (!v) throw new Error(`criterion ${id} was not measured`);
        expect(v.passed, `${v.title}: measured ${String(v.measured)}${v.unit ? ` ${v.unit}` : ''} (budget ${String(v.budget)}): ${v.evidence}`).toBe(true);
      });
    }

    it('validation checklist: every item passes', () => {
      const bad = outcome.validation.steps.filter((s) => s.outcome !== 'ok');
      expect(bad.map((s) => `${s.step}: ${s.message}`), outcome.validation.steps.map((s) => `${s.outcome} ${s.step}`).join('\n')).toEqual([]);
    });

    if (row.validation === 'full validation') {
      it('data recovery: PostgreSQL → SQLite, verified by counts and checksums', () => {
        const r = outcome.dataRecovery;
        if (!r) throw new Error('data recovery did not run');
        expect(r.completed, r.steps.map((s) => `${s.outcome} ${s.step}: ${s.message}`).join('\n')).toBe(true);
      });
    }

    opts.extra?.(() => outcome);
  });
}
