// Mutation: the restored SQLite pods answer every request 600 ms late (ADDED_LATENCY_MS). The
// rollback itself succeeds, so only the load probe can catch it: the performance criterion
// (p99 < 500 ms) must fail with the measured p99 in its message, while the baseline was fast.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { performanceVerdict } from '../../harness/criteria/verdicts.ts';
import { runScenario, type ScenarioOutcome } from '../../harness/drill/run-scenario.ts';
import { TOPOLOGY } from '../../harness/platform/manifests.ts';
import { HARDENED_SQLITE, hardenedEmergency } from '../../harness/procedures/emergency.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();
const ADDED_MS = 600;

describe.skipIf(env.fromCli)(`mutation: the restored app answers ${ADDED_MS} ms late`, () => {
  let outcome: ScenarioOutcome;
  beforeAll(async () => {
    const slowed = hardenedEmergency();
    slowed.steps.push({
      name: `MUTATION: add ${ADDED_MS} ms to every answer of the SQLite pods`,
      budgetMs: 60_000,
      async run(ctx, signal) {
        await ctx.platform.setDeploymentEnv(TOPOLOGY.namespace, HARDENED_SQLITE, { ADDED_LATENCY_MS: String(ADDED_MS) });
        const s = await ctx.platform.waitForReady(TOPOLOGY.namespace, HARDENED_SQLITE, 3, { timeoutMs: 55_000, signal });
        return `rolled: ${s.updatedReplicas}/3 updated, ${s.readyReplicas}/3 ready`;
      },
    });
    outcome = await runScenario({ config: env.config, scenario: 'database-corruption', variant: 'hardened', runDir: path.join(env.runDir, 'mutation-slow'), progress, procedure: slowed });
  });

  it('fails the performance criterion with the measured p99', () => {
    const v = performanceVerdict(outcome);
    expect(outcome.procedure.completed).toBe(true);
    expect(v.passed, v.evidence).toBe(false);
    expect(v.measured as number, v.evidence).toBeGreaterThan(500);
    expect(v.evidence).toContain(`p99 ${String(v.measured)} ms`);
  });

  it('while the same app was fast before the fault (the baseline load)', () => {
    expect(outcome.load.baseline!.p99, `baseline p99 ${outcome.load.baseline!.p99} ms`).toBeLessThan(500);
  });
});
