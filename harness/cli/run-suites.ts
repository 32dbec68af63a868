// Runs the selected drill suites through vitest's node API. The suites read the resolved plan
// from DRILL_CONFIG and append to this run's journal; the reports are rendered from it afterwards,
// also when the drill is interrupted (then marked aborted).
import os from 'node:os';
import path from 'node:path';
import { startVitest } from 'vitest/node';
import type { DrillPlan } from '../config/plan.ts';
import { suiteFile } from '../config/plan.ts';
import type { DrillConfig } from '../config/schema.ts';
import { Journal } from '../journal/journal.ts';
import { createRunDir } from '../report/folder.ts';
import { writeReports } from '../report/write.ts';

export const DRILL_CONFIG_ENV = 'DRILL_CONFIG';

export interface SuiteRun {
  config: DrillConfig;
  plan: DrillPlan;
  platform: 'kind' | 'local' | 'existing';
  platformReason: string;
  reportDir: string;
}

export async function runSuites(run: SuiteRun, out: (line: string) => void): Promise<number> {
  const startedAt = new Date();
  const runDir = createRunDir(run.reportDir, startedAt, run.config.profile);
  const journal = new Journal(path.join(runDir, 'journal.jsonl'));
  const runId = path.basename(runDir);
  journal.write({
    type: 'run.start',
    runId,
    profile: run.config.profile,
    platform: run.platform,
    platformReason: run.platformReason,
    scenarios: run.plan.scenarios,
    variants: run.plan.variants,
    config: { ...run.config },
    host: { node: process.version, os: `${os.platform()} ${os.release()}`, cpus: os.cpus().length },
  });
  process.env[DRILL_CONFIG_ENV] = JSON.stringify({ ...run, runDir });
  let interrupted: NodeJS.Signals | undefined;
  let vitest: Awaited<ReturnType<typeof startVitest>> | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = sig;
    out(`rollback-drill: ${sig}: stopping the drill, cleaning up…`);
    void vitest?.cancelCurrentRun('keyboard-input');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let exitCode: number;
  try {
    vitest = await startVitest('test', run.plan.scenarios.map(suiteFile), { project: ['drill'], watch: false, run: true });
    const failed = vitest.state.getCountOfFailedTests();
    const errors = vitest.state.getUnhandledErrors().length;
    exitCode = interrupted ? 130 : failed > 0 ? 1 : errors > 0 ? 3 : 0;
  } finally {
    await vitest?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  journal.write(
    interrupted
      ? { type: 'run.end', status: 'aborted', exitCode, reason: interrupted }
      : { type: 'run.end', status: exitCode === 0 ? 'passed' : exitCode === 1 ? 'failed' : 'error', exitCode },
  );
  const { paths } = writeReports(journal.file, runDir);
  out(`rollback-drill: ${exitCode === 0 ? 'all criteria met' : exitCode === 1 ? 'a criterion FAILED' : exitCode === 130 ? 'interrupted' : 'infrastructure error'}`);
  for (const p of [paths.markdown, paths.html, paths.json, paths.junit, paths.history].filter(Boolean)) out(`  ${p}`);
  return exitCode;
}
