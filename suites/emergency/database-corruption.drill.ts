// Decision matrix: database corruption — critical, emergency rollback, < 5 min, health check.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalVerdicts, scenarioVerdicts, type Verdict } from '../../harness/criteria/emergency.ts';
import { runScenario, type ScenarioOutcome } from '../../harness/drill/run-scenario.ts';
import { Journal } from '../../harness/journal/journal.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();

describe.each(env.variants)('database-corruption (%s variant) on the local platform', (variant) => {
  let outcome: ScenarioOutcome;
  let verdicts: Map<string, Verdict>;

  beforeAll(async () => {
    const journal = new Journal(path.join(env.runDir, 'journal.jsonl'));
    outcome = await runScenario({ config: env.config, scenario: 'database-corruption', variant, runDir: env.runDir, progress, journal });
    const list = scenarioVerdicts(outcome);
    journalVerdicts(journal, list);
    journal.write({ type: 'scenario.end', passed: list.every((v) => v.passed), durationMs: outcome.procedure.durationMs });
    verdicts = new Map(list.map((v) => [v.id, v]));
  });

  it('the fault took effect', () => {
    expect(outcome.faultEvidence).toMatch(/consecutive failed health checks/);
  });

  for (const id of ['emergency-rollback', 'data-integrity', 'engine-in-use']) {
    it(`criterion ${id}`, () => {
      const v = verdicts.get(id)!;
      expect(v.passed, `${v.title}: ${v.evidence}`).toBe(true);
    });
  }
});
