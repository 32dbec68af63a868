// The second, independent app (fixtures/settings-app, profile targets/settings-app.ts) drilled as a
// user would drill their own: `--target settings-app --profile quarterly --variant both` through the
// real CLI (emergency and planned, seed and hardened), and its broken build
// (suites/fixtures/settings-app-mutant.target.ts) caught by data integrity. Nothing here knows the
// app beyond its profile: engine, writes and restore are judged from outside (the Service's routed
// pods, the SQLite file read by a data-tool Job, the register rule).
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/kit/repo.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { mismatches, runCliDrill, SMALL_DRILL, type CliDrill } from '../cli-drill.ts';
import { drillEnv } from '../drill-env.ts';

const env = drillEnv();
const MUTANT = path.relative(REPO_ROOT, path.join(REPO_ROOT, 'suites', 'fixtures', 'settings-app-mutant.target.ts'));

type Group = RunReport['groups'][number];
const group = (r: RunReport, key: string): Group => {
  const g = r.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no ${key} in the report (groups: ${r.groups.map((x) => x.key).join(', ')})`);
  return g;
};
const criterion = (g: Group, id: string) => {
  const c = g.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`${g.key}: no criterion ${id} (has ${g.criteria.map((x) => x.id).join(', ')})`);
  return c;
};

// Skipped under a CLI run (DRILL_CONFIG set): it starts CLI drills of its own, not part of the user's drill.
describe.skipIf(env.fromCli)('the settings app, through its profile: quarterly drill, seed and hardened', () => {
  let run: CliDrill;
  beforeAll(async () => {
    run = await runCliDrill(['--target', 'settings-app', '--profile', 'quarterly', '--variant', 'both', ...SMALL_DRILL], 'drill-settings-');
  });

  it('exit 0: every verdict matches its expectation (the seed runbook\'s defects on this app declared by its profile)', () => {
    expect(mismatches(run.report), run.output.slice(-4000)).toEqual([]);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    expect(run.report.run.scenarios).toEqual(['database-corruption', 'maintenance-window']);
  });

  for (const [scenario, rollback] of [['database-corruption', 'emergency-rollback'], ['maintenance-window', 'planned-rollback']] as const) {
    it(`${scenario} hardened: every criterion passes, judged from outside`, () => {
      const g = group(run.report, `${scenario}/hardened`);
      const failed = g.criteria.filter((c) => !c.passed).map((c) => `${c.id}: ${c.evidence}`);
      expect(failed).toEqual([]);
      // Restored on SQLite by where the Service routed (the app names no engine), within the budget.
      const ttr = criterion(g, rollback);
      expect(typeof ttr.measured, ttr.evidence).toBe('number');
      // The register rule measured (not "not measured"): enough checked writes per SQLite pod.
      const integrity = criterion(g, 'data-integrity');
      expect(integrity.evidence, integrity.evidence).toMatch(/no anomaly/);
      expect(integrity.evidence).not.toMatch(/NOT MEASURED/);
      // The engine from the SQLite file itself (a data-tool Job: the app's image has no sqlite3): at
      // least the ledger's 4 keys hold a post-restore write there (the load's keys may end on a write
      // it abandoned), none in PostgreSQL.
      const engine = criterion(g, 'engine-in-use').evidence;
      const inSqlite = /(\d)\/8 keys hold one of them in the SQLite file \(.*Job/.exec(engine);
      expect(Number(inSqlite?.[1] ?? 0), engine).toBeGreaterThanOrEqual(4);
      expect(engine).toMatch(/[0?]\/8 in PostgreSQL/);
    });

    it(`${scenario} seed: the runbook's SQLite deployment does not fit this app, failing as its finding declares`, () => {
      const g = group(run.report, `${scenario}/seed`);
      const c = criterion(g, rollback);
      expect(c.passed, c.evidence).toBe(false);
      expect(c.expectedBecause).toBe('settings-app-runbook-env');
      const f = g.findings.find((x) => x.id === 'settings-app-runbook-env');
      expect(f?.confirmed, JSON.stringify(f)).toBe(true);
    });
  }

  it('the reports name the target and its finding', () => {
    const md = readFileSync(path.join(run.runDir, 'report.md'), 'utf8');
    expect(md).toContain('settings-app');
    expect(md).toContain('SETTINGS_DB_FILE');
  });
});

describe.skipIf(env.fromCli)('the settings app\'s broken build (acknowledges 1 in 20 updates on SQLite without writing them)', () => {
  let run: CliDrill;
  beforeAll(async () => {
    run = await runCliDrill(['--target', MUTANT, '--profile', 'post-incident', '--scenario', 'database-corruption', '--variant', 'hardened', ...SMALL_DRILL], 'drill-settings-mutant-');
  });

  it('data integrity fails on lost updates the register rule caught, measured', () => {
    const c = criterion(group(run.report, 'database-corruption/hardened'), 'data-integrity');
    expect(c.passed, c.evidence).toBe(false);
    expect(c.evidence).toMatch(/\d+ stale \(lost update\)/);
  });

  it('exit 1 (a criterion failed), and nothing else about the rollback is blamed', () => {
    expect(run.code, run.output.slice(-3000)).toBe(1);
    const g = group(run.report, 'database-corruption/hardened');
    expect(g.criteria.filter((c) => !c.passed).map((c) => c.id)).toEqual(['data-integrity']);
  });
});
