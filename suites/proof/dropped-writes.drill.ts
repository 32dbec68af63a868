// Mutation: a rollback that silently drops k acknowledged writes must be reported with exactly k
// lost — the ledger counts the truth, whatever the procedure claims.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioVerdicts } from '../../harness/criteria/verdicts.ts';
import { runScenario, type ScenarioOutcome } from '../../harness/drill/run-scenario.ts';
import { TOPOLOGY } from '../../harness/platform/manifests.ts';
import { HARDENED_SQLITE, hardenedEmergency } from '../../harness/procedures/emergency.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();
const K = 7;

describe.skipIf(env.fromCli)(`mutation: the hardened rollback drops ${K} acknowledged writes`, () => {
  let outcome: ScenarioOutcome;
  beforeAll(async () => {
    const broken = hardenedEmergency();
    broken.steps.push({
      name: `MUTATION: delete ${K} acknowledged ledger writes from SQLite`,
      budgetMs: 10_000,
      async run(ctx, signal) {
        const sql = `DELETE FROM users WHERE id IN (SELECT id FROM users WHERE email LIKE 'ledger-%' ORDER BY id LIMIT ${K});`;
        const r = await ctx.platform.exec(TOPOLOGY.namespace, HARDENED_SQLITE, ['sqlite3', '-cmd', '.timeout 5000', TOPOLOGY.sqlitePath, sql], { timeoutMs: 8_000, signal });
        if (r.exitCode !== 0) throw new Error(`sqlite3 exit ${r.exitCode}: ${r.stderr}`);
        return `${K} rows deleted`;
      },
    });
    outcome = await runScenario({ config: env.config, scenario: 'database-corruption', variant: 'hardened', runDir: path.join(env.runDir, 'mutation-drop'), progress, procedure: broken, skipLoad: true });
  });

  it(`reports exactly ${K} lost writes and fails data integrity`, () => {
    const v = scenarioVerdicts(outcome).find((x) => x.id === 'data-integrity')!;
    expect(outcome.procedure.completed).toBe(true);
    expect(v.passed).toBe(false);
    expect(outcome.ledger.lost, v.evidence).toBe(K);
    expect(v.evidence).toContain(`${K} of`);
  });
});
