// A sixth row of the decision matrix added in one file (suites/fixtures/postgres-stopped.scenario.ts:
// its own fault, criterion, finding and expected outcome) and nothing else edited: drilled through
// the CLI as a user would (`--scenario-file`), it goes through the plan, the generated suite, the
// verdicts (with the row's own criterion and expectation) and every report.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/kit/repo.ts';
import type { RunReport } from '../../harness/report/model.ts';
import { mismatches, runCliDrill, SMALL_DRILL } from '../cli-drill.ts';
import { drillEnv } from '../drill-env.ts';

const env = drillEnv();
const FIXTURE = path.join(REPO_ROOT, 'suites', 'fixtures', 'postgres-stopped.scenario.ts');

// Skipped under a CLI run (DRILL_CONFIG set): a proof of the harness that starts a CLI drill of its own,
// not part of the user's drill (which runs suites/scenarios.drill.ts only).
describe.skipIf(env.fromCli)('a sixth scenario in one file: plan, suite, verdicts, report', () => {
  let code: number | null;
  let output = '';
  let runDir: string;
  let report: RunReport;

  beforeAll(async () => {
    const args = ['--profile', 'post-incident', '--scenario-file', path.relative(REPO_ROOT, FIXTURE), '--scenario', 'postgres-stopped', '--variant', 'both'];
    ({ code, output, runDir, report } = await runCliDrill([...args, ...SMALL_DRILL], 'drill-sixth-'));
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
