// Runs the selected drill suites through vitest's node API; the suites read the resolved
// configuration from DRILL_CONFIG (one JSON document) so flags reach every worker.
import { startVitest } from 'vitest/node';
import type { DrillPlan } from '../config/plan.ts';
import { suiteFile } from '../config/plan.ts';
import type { DrillConfig } from '../config/schema.ts';

export const DRILL_CONFIG_ENV = 'DRILL_CONFIG';

export interface SuiteRun {
  config: DrillConfig;
  plan: DrillPlan;
  platform: 'kind' | 'local' | 'existing';
  reportDir: string;
}

export async function runSuites(run: SuiteRun): Promise<number> {
  process.env[DRILL_CONFIG_ENV] = JSON.stringify(run);
  const vitest = await startVitest('test', run.plan.scenarios.map(suiteFile), { project: ['drill'], watch: false, run: true });
  try {
    const failed = vitest.state.getCountOfFailedTests();
    return failed > 0 ? 1 : 0;
  } finally {
    await vitest.close();
  }
}
