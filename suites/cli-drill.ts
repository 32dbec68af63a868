// Runs the real CLI (bin/rollback-drill.js) as a user would, for the suites that drill through it
// (a scenario from a file, another target): waits for it, then reads the report it wrote.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCli } from '../harness/cli/testing/start-cli.ts';
import type { RunReport } from '../harness/report/model.ts';

export interface CliDrill {
  code: number | null;
  /** stdout + stderr, interleaved. */
  output: string;
  /** The run's report folder. */
  runDir: string;
  report: RunReport;
}

/** The small local drill `npm test` runs (the same sizes as suites/drill-env.ts). */
export const SMALL_DRILL = ['--cluster', 'local', '--dataset-size', '2000', '--post-migration-writes', '50', '--load-duration', '1', '--time-scale', '120', '--write-rate', '250', '--soak', '3'];

export async function runCliDrill(args: readonly string[], tmpPrefix: string): Promise<CliDrill> {
  const reportDir = mkdtempSync(path.join(tmpdir(), tmpPrefix));
  const cli = startCli(args, reportDir);
  const code = await cli.exited;
  const output = cli.output();
  const name = readdirSync(reportDir).find((n) => existsSync(path.join(reportDir, n, 'report.json')));
  if (!name) throw new Error(`no report written (exit ${code}):\n${output.slice(-3000)}`);
  const runDir = path.join(reportDir, name);
  return { code, output, runDir, report: JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as RunReport };
}

/** Every criterion or check that does not match its expectation, one line each (empty: the gate passes). */
export function mismatches(report: RunReport): string[] {
  return report.groups.flatMap((g) => [...g.criteria, ...g.checks].filter((c) => !c.matches).map((c) => `${g.key} ${c.id}: ${'evidence' in c ? c.evidence : ''}`));
}

type Group = RunReport['groups'][number];

/** The report's group for a scenario/variant key; throws naming the groups it has. */
export function group(r: RunReport, key: string): Group {
  const g = r.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no ${key} in the report (groups: ${r.groups.map((x) => x.key).join(', ')})`);
  return g;
}

/** One criterion of a group; throws naming the criteria it has. */
export function criterion(g: Group, id: string): Group['criteria'][number] {
  const c = g.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`${g.key}: no criterion ${id} (has ${g.criteria.map((x) => x.id).join(', ')})`);
  return c;
}
