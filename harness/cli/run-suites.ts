// Runs the selected drill suites through vitest's node API. The suites read the resolved plan
// from DRILL_CONFIG and append to this run's journal; the reports are rendered from it afterwards,
// also when the drill is interrupted (then marked aborted).
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVitest } from 'vitest/node';
import type { DrillPlan } from '../config/plan.ts';
import { SCENARIO_SUITE } from '../config/plan.ts';
import type { DrillConfig } from '../model/drill-config.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { drillExitCode, setupFailures } from './exit-code.ts';
import { createRunDir } from '../report/folder.ts';
import { childPids } from '../platform/local/leaks.ts';
import { renderRunReports } from '../report/write.ts';
import { loadFormats } from '../report/format-registry.ts';
import { ALLURE_RESULTS } from '../report/formats/allure.format.ts';
import { JournalProgress } from './progress.ts';
import { otherRunFiles } from './run-folder.ts';
import { DRILL_CONFIG_ENV } from './drill-config-env.ts';

export { DRILL_CONFIG_ENV } from './drill-config-env.ts';

export interface SuiteRun {
  config: DrillConfig;
  plan: DrillPlan;
  platform: 'kind' | 'local' | 'existing';
  platformReason: string;
  reportDir: string;
  /** The target profile drilled: its name and one-line description, for the reports' run line. */
  target?: { name: string; description: string };
}

/** vitest's workers are node processes; tsx's esbuild service is not, and the reports still need it. */
function isNodeProcess(pid: number): boolean {
  try {
    return path.basename(readlinkSync(`/proc/${pid}/exe`)) === path.basename(process.execPath);
  } catch {
    return true; // no /proc: signal it as before
  }
}

export async function runSuites(run: SuiteRun, out: (line: string) => void): Promise<number> {
  // The report formats are imported before anything runs: after a Ctrl-C the TypeScript loader's
  // esbuild service (in the terminal's process group) is gone, and a format imported then would fail.
  const formats = await loadFormats();
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
    ...(run.target ? { target: run.target } : {}),
    scenarios: run.plan.scenarios,
    variants: run.plan.variants,
    config: { ...run.config },
    host: { node: process.version, os: `${os.platform()} ${os.release()}`, cpus: os.cpus().length },
  });
  process.env[DRILL_CONFIG_ENV] = JSON.stringify({ ...run, runDir });
  // The CLI shows progress from the journal; the workers' detailed lines only with DRILL_VERBOSE=1.
  if (process.env.DRILL_VERBOSE !== '1') process.env.DRILL_QUIET = '1';
  const live = Boolean(process.stdout.isTTY) && !process.env.CI;
  const progress = new JournalProgress(journal.file, { live, write: (t) => process.stdout.write(t) }).start();
  const allureResults = path.join(runDir, ALLURE_RESULTS);
  let interrupted: NodeJS.Signals | undefined;
  let vitest: Awaited<ReturnType<typeof createVitest>> | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = sig;
    out(`rollback-drill: ${sig}: stopping the drill, cleaning up…`);
    // The drill runs in vitest's worker processes: each tears its platform down on the signal
    // (the local platform's signal handler; the kind/existing dispose) and exits.
    for (const pid of childPids().filter(isNodeProcess)) {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
    void vitest?.cancelCurrentRun('keyboard-input');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let exitCode: number;
  let errorReason: string | undefined;
  try {
    vitest = await createVitest('test', {
      project: ['drill'],
      watch: false,
      run: true,
      // Progress comes from the journal; vitest only says which test failed (and feeds Allure).
      reporters: run.config.allure ? ['dot', ['allure-vitest/reporter', { resultsDir: allureResults }]] : ['dot'],
    });
    // vitest's logger exits the process 1 ms after a SIGINT/SIGTERM; the drill must first clean up
    // and write its report, so only our handler stays.
    for (const sig of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(sig)) if (l !== onSignal) process.off(sig, l as () => void);
    // One suite file generates a describe per planned scenario (it reads the plan from DRILL_CONFIG).
    await vitest.start([SCENARIO_SUITE]);
    const events = readJournal(journal.file);
    exitCode = drillExitCode({ interrupted, failedTests: vitest.state.getCountOfFailedTests(), unhandledErrors: vitest.state.getUnhandledErrors().length, events });
    if (exitCode === 3) errorReason = setupFailures(events)[0];
  } finally {
    await vitest?.close();
    progress.stop();
  }
  journal.write(
    interrupted
      ? { type: 'run.end', status: 'aborted', exitCode, reason: interrupted }
      : { type: 'run.end', status: exitCode === 0 ? 'passed' : exitCode === 1 ? 'failed' : 'error', exitCode, ...(errorReason ? { reason: errorReason } : {}) },
  );
  // Rendering never changes the verdicts' exit code: a renderer that fails costs its own file only
  // (report.md keeps at least the verdicts), and is said in one line and journalled.
  const { written, history } = await renderRunReports(journal, runDir, out, { formats, include: run.config.allure ? ['allure'] : [] });
  const verdict: Record<number, string> = { 0: 'every verdict matches its expectation', 1: 'a verdict does NOT match its expectation (an unexpected failure, or an expected failure that passed)', 3: 'the platform or the baseline could not be set up (nothing drilled there; see the report)', 130: 'interrupted', 143: 'interrupted' };
  out(`rollback-drill: ${verdict[exitCode] ?? 'infrastructure error'}`);
  const listed = [journal.file, ...written, ...(history ? [history] : [])];
  for (const p of [...listed, ...otherRunFiles(runDir, listed)]) out(`  ${p}`);
  // Only now: a late signal (a worker's teardown signalling its group) must not kill the CLI half-way
  // through the reports that mark the run aborted; onSignal ignores every signal after the first.
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return exitCode;
}
