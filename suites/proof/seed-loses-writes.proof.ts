// The proof that the drill catches a broken runbook: the emergency script as written has no
// PostgreSQL → SQLite data flow, so every write acknowledged on PostgreSQL after the forward
// migration is gone after the rollback — and the drill counts exactly those.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioOutcome } from '../../harness/model/outcome.ts';
import dataIntegrity from '../../harness/criteria/data-integrity.criterion.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();

describe.skipIf(env.fromCli)('seed emergency rollback (runbook as written) under database corruption', () => {
  let outcome: ScenarioOutcome;
  beforeAll(async () => {
    outcome = await runScenario({ config: env.config, scenario: 'database-corruption', variant: 'seed', runDir: path.join(env.runDir, 'seed'), progress, skipLoad: true });
  });

  it('fails data integrity with exactly the writes acknowledged on PostgreSQL', () => {
    const v = dataIntegrity.judge(outcome);
    expect(v.passed).toBe(false);
    expect(outcome.okWritesOnPostgres).toBeGreaterThanOrEqual(env.config.postMigrationWrites);
    expect(outcome.ledger.lost, v.evidence).toBe(outcome.okWritesOnPostgres);
  });

  it('and the seeded-table checksums show the users table differs (SQLite reissued the lost rows\' ids to new writes)', () => {
    expect(outcome.checksums.equal, outcome.checksums.evidence).toBe(false);
    expect(outcome.checksums.mismatched.some((m) => m.startsWith('users ')), outcome.checksums.evidence).toBe(true);
    expect(outcome.checksums.mismatched.filter((m) => !m.startsWith('users ')), outcome.checksums.evidence).toEqual([]);
  });

  it('still restores service on SQLite (the outage is fixed, the data is not)', () => {
    expect(outcome.enginesAfter).toEqual(['sqlite']);
    expect(outcome.timeToRestoreMs).toBeDefined();
  });
});
