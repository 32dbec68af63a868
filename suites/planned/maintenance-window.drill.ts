// Decision matrix: maintenance window — medium, planned rollback, < 60 min, full validation.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalVerdicts, scenarioVerdicts, type Verdict } from '../../harness/criteria/emergency.ts';
import { runScenario, type ScenarioOutcome } from '../../harness/drill/run-scenario.ts';
import { Journal } from '../../harness/journal/journal.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();

describe.each(env.variants)('maintenance-window (%s variant): planned rollback', (variant) => {
  let outcome: ScenarioOutcome;
  let verdicts: Map<string, Verdict>;

  beforeAll(async () => {
    const journal = new Journal(path.join(env.runDir, 'journal.jsonl'));
    outcome = await runScenario({ config: env.config, scenario: 'maintenance-window', variant, runDir: env.runDir, progress, journal });
    const list = scenarioVerdicts(outcome);
    journalVerdicts(journal, list);
    journal.write({ type: 'scenario.end', passed: list.every((v) => v.passed), durationMs: outcome.procedure.durationMs });
    verdicts = new Map(list.map((v) => [v.id, v]));
  });

  for (const id of ['planned-rollback', 'data-integrity', 'engine-in-use']) {
    it(`criterion ${id}`, () => {
      const v = verdicts.get(id)!;
      expect(v.passed, `${v.title}: ${v.evidence}`).toBe(true);
    });
  }
});
