// Mutations of the hardened emergency rollback, each caught by its own criterion from a measurement:
//  - the procedure silently deletes K acknowledged writes → data integrity reports exactly K lost;
//  - the restored SQLite pods answer every request 600 ms late (ADDED_LATENCY_MS) → performance
//    fails with the measured p99, while the same app was fast before the fault.
// One drill carries both (the defects are independent), and the other criteria still pass.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCriteria } from '../../harness/criteria/registry.ts';
import { criterionVerdicts } from '../../harness/drill/judge.ts';
import type { Verdict } from '../../harness/model/verdict.ts';
import type { ScenarioOutcome } from '../../harness/model/outcome.ts';
import { TOPOLOGY } from '../../harness/kit/topology.ts';
import { insertAfter } from '../../harness/kit/step-ids.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { HARDENED_SQLITE, hardenedEmergency } from '../../harness/procedures/emergency.ts';
import { loadScenarios } from '../../harness/scenarios/registry.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();
const K = 7;
const ADDED_MS = 600;

describe.skipIf(env.fromCli)(`mutation: the rollback drops ${K} acknowledged writes and leaves the app ${ADDED_MS} ms slow`, () => {
  let outcome: ScenarioOutcome;
  let verdicts: Map<string, Verdict>;
  beforeAll(async () => {
    // Appended after the last step: the rollback itself is done when the defects strike.
    const broken = insertAfter(
      hardenedEmergency(),
      'verify-engine',
      {
        id: 'mutation-delete-acknowledged-writes',
        name: `MUTATION: delete ${K} acknowledged ledger writes from SQLite`,
        budgetMs: 10_000,
        async run(ctx, signal) {
          const sql = `DELETE FROM users WHERE id IN (SELECT id FROM users WHERE email LIKE 'ledger-%' ORDER BY id LIMIT ${K});`;
          const r = await ctx.platform.exec(TOPOLOGY.namespace, HARDENED_SQLITE, ['sqlite3', '-cmd', '.timeout 5000', TOPOLOGY.sqlitePath, sql], { timeoutMs: 8_000, signal });
          if (r.exitCode !== 0) throw new Error(`sqlite3 exit ${r.exitCode}: ${r.stderr}`);
          return `${K} rows deleted`;
        },
      },
      {
        id: 'mutation-slow-sqlite-pods',
        name: `MUTATION: add ${ADDED_MS} ms to every answer of the SQLite pods`,
        budgetMs: 60_000,
        async run(ctx, signal) {
          await ctx.platform.setDeploymentEnv(TOPOLOGY.namespace, HARDENED_SQLITE, { ADDED_LATENCY_MS: String(ADDED_MS) });
          const s = await ctx.platform.waitForReady(TOPOLOGY.namespace, HARDENED_SQLITE, 3, { timeoutMs: 55_000, signal });
          return `rolled: ${s.updatedReplicas}/3 updated, ${s.readyReplicas}/3 ready`;
        },
      },
    );
    outcome = await runScenario({ config: env.config, scenario: 'database-corruption', variant: 'hardened', runDir: path.join(env.runDir, 'mutation-broken'), progress, procedure: broken });
    verdicts = new Map(criterionVerdicts(outcome, (await loadScenarios()).get('database-corruption'), await loadCriteria()).map((v) => [v.id, v]));
  });

  it(`reports exactly ${K} lost writes and fails data integrity`, () => {
    const v = verdicts.get('data-integrity')!;
    expect(outcome.procedure.completed).toBe(true);
    expect(v.passed).toBe(false);
    expect(outcome.ledger.lost, v.evidence).toBe(K);
    expect(v.evidence).toContain(`${K} of`);
  });

  it('fails the performance criterion with the measured p99, while the baseline was fast', () => {
    const v = verdicts.get('performance')!;
    expect(v.passed, v.evidence).toBe(false);
    expect(v.measured as number, v.evidence).toBeGreaterThan(500);
    expect(v.evidence).toContain(`p99 ${String(v.measured)} ms`);
    expect(outcome.load.baseline!.p99, `baseline p99 ${outcome.load.baseline!.p99} ms`).toBeLessThan(500);
  });

  it('while the rollback itself is judged on its own: restored on SQLite', () => {
    expect(verdicts.get('emergency-rollback')!.passed, verdicts.get('emergency-rollback')!.evidence).toBe(true);
    expect(verdicts.get('engine-in-use')!.passed, verdicts.get('engine-in-use')!.evidence).toBe(true);
  });
});
