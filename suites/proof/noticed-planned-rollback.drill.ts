// Mutation: the hardened planned rollback freezes writes the runbook's way, by scaling the PostgreSQL
// app to 0 before the copy, instead of at the database. Every read between that and the switch fails:
// the planned no-impact criteria must say so, each from its own measurement, while the runbook's
// own criteria (time, data, engine) still pass. The healthy order is the maintenance-window suite.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCriteria } from '../../harness/criteria/registry.ts';
import { criterionVerdicts } from '../../harness/drill/judge.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { removeStep, replaceStep } from '../../harness/kit/step-ids.ts';
import type { Verdict } from '../../harness/model/verdict.ts';
import { freezeWritesStep } from '../../harness/procedures/steps.ts';
import { hardenedPlanned } from '../../harness/procedures/planned.ts';
import { loadScenarios } from '../../harness/scenarios/registry.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();

describe.skipIf(env.fromCli)('mutation: the planned rollback stops the PostgreSQL app to freeze writes (the runbook\'s order)', () => {
  let verdicts: Map<string, Verdict>;
  beforeAll(async () => {
    const runbookOrder = removeStep(replaceStep(hardenedPlanned(), 'freeze-writes-at-database', freezeWritesStep()), 'drain-postgres-app');
    const o = await runScenario({ config: env.config, scenario: 'maintenance-window', variant: 'hardened', runDir: path.join(env.runDir, 'mutation-planned-order'), progress, procedure: runbookOrder, skipLoad: true });
    verdicts = new Map(criterionVerdicts(o, (await loadScenarios()).get('maintenance-window'), await loadCriteria()).map((v) => [v.id, v]));
  });

  it('fails planned-failed-reads with the reads that failed between the stop and the switch', () => {
    const v = verdicts.get('planned-failed-reads')!;
    expect(v.passed, v.evidence).toBe(false);
    expect(v.measured as number).toBeGreaterThan(0);
    expect(v.evidence).toMatch(/^\d+ of \d+ reads through the Service failed .*: \d\d:\d\d:\d\d\.\d{3} (HTTP 5\d\d|no answer)/);
  });

  it('fails write-freeze: no freeze was made at the database', () => {
    const v = verdicts.get('write-freeze')!;
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('not measured: the procedure froze no writes at the database');
  });

  it('while the runbook\'s own criteria still pass: the rollback is fast, loses nothing and serves SQLite', () => {
    for (const id of ['planned-rollback', 'data-integrity', 'engine-in-use']) expect(verdicts.get(id)!.passed, `${id}: ${verdicts.get(id)!.evidence}`).toBe(true);
  });
});
