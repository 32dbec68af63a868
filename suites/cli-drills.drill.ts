// Every drill `npm test` runs through the real CLI, as a user would, in one file:
//  - the second, independent app (fixtures/settings-app, profile targets/settings-app.ts):
//    `--target settings-app --profile quarterly --variant hardened` (emergency and planned), and its
//    broken build (suites/fixtures/settings-app-mutant.target.ts) caught by data integrity. Nothing
//    here knows the app beyond its profile: engine, writes and restore are judged from outside (the
//    Service's routed pods, the SQLite file read by a data-tool Job, the register rule). Its seed
//    variant runs beside the unit tests (suites/beside-unit/settings-app-seed.drill.ts);
//  - a sixth row of the decision matrix added in one file (suites/fixtures/postgres-stopped.scenario.ts:
//    its own fault, criterion, finding and expected outcome) and nothing else edited: drilled through
//    the CLI (`--scenario-file`), it goes through the plan, the generated suite, the verdicts (with the
//    row's own criterion and expectation) and every report.
// The three run one after another: each judges latency and coverage, and one drill measured while
// another runs on 2 cores misses them (two fresh-clone CI runs failed the quarterly's hardened
// coverage when the other two ran inside its seed waits).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/kit/repo.ts';
import type { RunReport } from '../harness/report/model.ts';
import { criterion, group, mismatches, runCliDrill, SMALL_DRILL, type CliDrill } from './cli-drill.ts';
import { drillEnv } from './drill-env.ts';

const env = drillEnv();
const MUTANT = path.relative(REPO_ROOT, path.join(REPO_ROOT, 'suites', 'fixtures', 'settings-app-mutant.target.ts'));
const FIXTURE = path.join(REPO_ROOT, 'suites', 'fixtures', 'postgres-stopped.scenario.ts');

let started: { quarterly: Promise<CliDrill>; mutant: Promise<CliDrill>; sixth: Promise<CliDrill> } | undefined;

/** The three CLI drills, started once (by whichever describe runs first), one after another; each describe awaits its own. */
function cliDrills(): NonNullable<typeof started> {
  if (started) return started;
  const quarterly = runCliDrill(['--target', 'settings-app', '--profile', 'quarterly', '--variant', 'hardened', ...SMALL_DRILL], 'drill-settings-');
  // Each starts when the one before it has ended, passed or not.
  const after = (before: Promise<unknown>, args: string[], prefix: string) => before.catch(() => undefined).then(() => runCliDrill([...args, ...SMALL_DRILL], prefix));
  const sixth = after(quarterly, ['--profile', 'post-incident', '--scenario-file', path.relative(REPO_ROOT, FIXTURE), '--scenario', 'postgres-stopped', '--variant', 'both'], 'drill-sixth-');
  const mutant = after(sixth, ['--target', MUTANT, '--profile', 'post-incident', '--scenario', 'database-corruption', '--variant', 'hardened'], 'drill-settings-mutant-');
  started = { quarterly, sixth, mutant };
  // Awaited by their describes; a run that fails before its describe awaits it is not an unhandled rejection.
  for (const p of Object.values(started)) p.catch(() => undefined);
  return started;
}

// Skipped under a CLI run (DRILL_CONFIG set): it starts CLI drills of its own, not part of the user's drill.
describe.skipIf(env.fromCli)('the settings app, through its profile: quarterly drill, hardened', () => {
  let run: CliDrill;
  beforeAll(async () => {
    run = await cliDrills().quarterly;
  });

  it('exit 0: every verdict matches its expectation', () => {
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
  }
});

describe.skipIf(env.fromCli)('the settings app\'s broken build (acknowledges 1 in 20 updates on SQLite without writing them)', () => {
  let run: CliDrill;
  beforeAll(async () => {
    run = await cliDrills().mutant;
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

// Skipped under a CLI run (DRILL_CONFIG set): a proof of the harness that starts a CLI drill of its own,
// not part of the user's drill (which runs suites/scenarios.drill.ts only).
describe.skipIf(env.fromCli)('a sixth scenario in one file: plan, suite, verdicts, report', () => {
  let code: number | null;
  let output = '';
  let runDir: string;
  let report: RunReport;

  beforeAll(async () => {
    ({ code, output, runDir, report } = await cliDrills().sixth);
  });

  it('the plan took the scenario from its file, both variants', () => {
    expect(output).toContain('rollback-drill: profile post-incident: postgres-stopped × seed, hardened');
    expect(report.run.scenarios).toEqual(['postgres-stopped']);
    expect(report.groups.map((g) => g.key).filter((k) => k !== 'run').sort()).toEqual(['postgres-stopped/hardened', 'postgres-stopped/seed']);
  });

  it('exit 0: every verdict matches its expectation, the row\'s own one included', () => {
    expect(mismatches(report), output.slice(-3000)).toEqual([]);
    expect(code, output.slice(-3000)).toBe(0);
  });

  it("the row's criterion is judged in both variants: passed on hardened, failed as its finding declares on seed", () => {
    const crit = (variant: string) => report.groups.find((g) => g.key === `postgres-stopped/${variant}`)!.criteria.find((c) => c.id === 'stopped-postgres-writes-kept');
    const hardened = crit('hardened');
    const seed = crit('seed');
    expect(hardened, 'criterion missing on hardened').toBeDefined();
    expect(hardened!.passed, hardened!.evidence).toBe(true);
    expect(hardened!.measured).toBe(0);
    expect(seed!.passed, seed!.evidence).toBe(false);
    expect(seed!.measured as number, seed!.evidence).toBeGreaterThan(0);
    expect(seed!.expected).toBe('fail');
    expect(seed!.expectedBecause).toBe('fixture-stopped-postgres-writes-lost');
    const finding = report.groups.find((g) => g.key === 'postgres-stopped/seed')!.findings.find((f) => f.id === 'fixture-stopped-postgres-writes-lost');
    expect(finding?.confirmed, JSON.stringify(finding)).toBe(true);
  });

  it('the fault was proven on PostgreSQL and cleared afterwards', () => {
    const g = report.groups.find((x) => x.key === 'postgres-stopped/hardened')!;
    expect(JSON.stringify(g.fault)).toMatch(/PostgreSQL stopped: 0\/\d ready; .*refused/);
    const journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"fault.clear","fault":"postgres-stopped"/);
  });

  it('every report names it: markdown, HTML, JUnit', () => {
    const md = readFileSync(path.join(runDir, 'report.md'), 'utf8');
    expect(md).toContain('postgres-stopped');
    expect(md).toContain('stopped-postgres-writes-kept');
    expect(readFileSync(path.join(runDir, 'report.html'), 'utf8')).toContain('postgres-stopped');
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase [^>]*name="[^"]*stopped-postgres-writes-kept/);
  });
});
