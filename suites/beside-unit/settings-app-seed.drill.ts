// The settings app's quarterly rows, seed variant, through the real CLI: the runbook as written on
// an app it does not fit. Its SQLite deployment never becomes ready, so the run is mostly the
// runbook's own waits (step 5a's 10 × 10 s, step 3's sleep 30, step 5's 5 × 10 s health checks).
// It runs beside the unit tests (vitest project "beside-unit"), not in the drill group: every one of
// its criteria fails by the finding its profile declares, none on a latency or rate that another
// process on the machine could push past its budget, so the time it spends waiting is not added to
// `npm test`. The hardened variant, which must pass on latency and coverage, runs alone
// (suites/cli-drills.drill.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { criterion, group, mismatches, runCliDrill, SMALL_DRILL, type CliDrill } from '../cli-drill.ts';
import { drillEnv } from '../drill-env.ts';

const env = drillEnv();

// Skipped under a CLI run (DRILL_CONFIG set): it starts a CLI drill of its own, not part of the user's drill.
// The quarterly profile's two seed rows, each its own CLI run, both at once: each is mostly the
// runbook's waits, so together they take as long as one (the quarterly plan itself: config/plan.test.ts).
const QUARTERLY = [
  ['database-corruption', 'emergency-rollback'],
  ['maintenance-window', 'planned-rollback'],
] as const;

describe.skipIf(env.fromCli)("the settings app, through its profile: the quarterly drill's rows, seed", () => {
  const runs: Record<string, CliDrill> = {};
  beforeAll(async () => {
    await Promise.all(
      QUARTERLY.map(async ([scenario]) => {
        runs[scenario] = await runCliDrill(['--target', 'settings-app', '--profile', 'post-incident', '--scenario', scenario, '--variant', 'seed', ...SMALL_DRILL], `drill-settings-seed-${scenario}-`);
      }),
    );
  });

  it("exit 0: every verdict matches its expectation (the seed runbook's defects on this app declared by its profile)", () => {
    for (const [scenario] of QUARTERLY) {
      const run = runs[scenario]!;
      expect(mismatches(run.report), run.output.slice(-4000)).toEqual([]);
      expect(run.code, run.output.slice(-4000)).toBe(0);
      expect(run.report.run.scenarios).toEqual([scenario]);
    }
  });

  for (const [scenario, rollback] of QUARTERLY) {
    it(`${scenario} seed: the runbook's SQLite deployment does not fit this app, failing as its finding declares`, () => {
      const run = runs[scenario]!;
      const g = group(run.report, `${scenario}/seed`);
      const c = criterion(g, rollback);
      expect(c.passed, c.evidence).toBe(false);
      expect(c.expectedBecause).toBe('settings-app-runbook-env');
      // The profile's declaration is journalled too (declared, never confirmed): the measurement confirms it.
      const f = g.findings.find((x) => x.id === 'settings-app-runbook-env' && x.provenance?.kind !== 'declared');
      expect(f?.confirmed, JSON.stringify(g.findings.filter((x) => x.id === 'settings-app-runbook-env'))).toBe(true);
      expect(run.report.findingGroups.premise.find((x) => x.id === 'settings-app-runbook-env')?.confirmed).toBe(true);
    });
  }

  it('the reports name the target and its finding', () => {
    for (const [scenario] of QUARTERLY) {
      const md = readFileSync(path.join(runs[scenario]!.runDir, 'report.md'), 'utf8');
      expect(md).toContain('settings-app');
      expect(md).toContain('SETTINGS_DB_FILE');
    }
  });
});
