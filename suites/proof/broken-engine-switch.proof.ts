// Mutation: the "SQLite" pods ignore the engine switch and keep serving PostgreSQL (the real
// app's failure mode behind a green health check). The drill must fail the engine check — with
// what actually served in the message — even though every health check answers 200.
import path from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import engineInUse from '../../harness/criteria/engine-in-use.criterion.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { sqliteDeployment } from '../../harness/procedures/actions.ts';
import { ENGINE_SELECTOR, HARDENED_SQLITE, verifyEngineStep } from '../../harness/procedures/emergency.ts';
import { replaceStep } from '../../harness/kit/step-ids.ts';
import type { ScenarioOutcome } from '../../harness/model/outcome.ts';
import { TOPOLOGY } from '../../harness/kit/topology.ts';
import { hardenedPlanned } from '../../harness/procedures/planned.ts';
import { drillEnv, progress } from '../drill-env.ts';
import reference from '../../targets/reference.ts';

const env = drillEnv();

/** The hardened SQLite deployment with its engine switch broken: DB_ENGINE stays postgres. */
function brokenSwitch(image: string): V1Deployment {
  const dep = sqliteDeployment({ name: HARDENED_SQLITE, image, target: reference, replicas: 1, labels: { ...ENGINE_SELECTOR.sqlite }, readiness: { initialDelaySeconds: 1, periodSeconds: 1 } });
  const c = dep.spec!.template.spec!.containers[0]!;
  c.env = c.env!.map((e) => (e.name === 'DB_ENGINE' ? { name: 'DB_ENGINE', value: 'postgres' } : e));
  c.env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } });
  return dep;
}

describe.skipIf(env.fromCli)('mutation: the SQLite deployment keeps serving PostgreSQL', () => {
  let outcome: ScenarioOutcome;
  beforeAll(async () => {
    const mutated = replaceStep(hardenedPlanned(), 'prepare-sqlite', {
      id: 'mutation-prepare-sqlite-broken-switch',
      name: 'MUTATION: prepare the "SQLite" deployment with the engine switch broken',
      budgetMs: 60_000,
      async run(ctx, signal) {
        await ctx.platform.apply(brokenSwitch(ctx.image));
        ctx.state.sqliteDeployment = HARDENED_SQLITE;
        await ctx.platform.waitForReady(TOPOLOGY.namespace, HARDENED_SQLITE, 1, { timeoutMs: 55_000, signal });
        return 'ready 1/1 (health checks green)';
      },
    });
    // The verification cannot succeed here: give it 5 s instead of 30 to say so.
    const proc = replaceStep(mutated, 'verify-engine', verifyEngineStep(5_000));
    outcome = await runScenario({ config: env.config, scenario: 'maintenance-window', variant: 'hardened', runDir: path.join(env.runDir, 'mutation-engine'), progress, procedure: proc, skipLoad: true });
  });

  it('fails the engine check, naming the engine that really served', () => {
    const v = engineInUse.judge(outcome);
    expect(v.passed).toBe(false);
    expect(v.measured).toBe('postgres');
  });

  it('while the health check itself answered 200 healthy (what the runbook would have called a pass)', () => {
    const verify = outcome.procedure.steps.find((s) => s.stepId === 'verify-engine')!;
    expect(verify.outcome).toBe('failed');
    expect(verify.message).toMatch(/HTTP 200 engine=postgres healthy/);
  });
});
