// Starts the real CLI (bin/rollback-drill.js) as a child process, as a user or CI would: for the tests
// and suites that drill through it (interrupts, a scenario from a file, another target).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../kit/repo.ts';

/** A started CLI run: its process, everything it printed so far, and its exit. */
export interface StartedCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `rollback-drill ARGS` with its report under `reportDir` (quiet, CI mode, no stdin). With
 * `ownGroup` it leads a process group of its own, so a test can signal the group as a terminal's
 * Ctrl-C does (every process of the CLI at once, the TypeScript loader's esbuild service included).
 */
export function startCli(args: readonly string[], reportDir: string, opts: { ownGroup?: boolean; env?: Record<string, string> } = {}): StartedCli {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'rollback-drill.js'), ...args, '--report-dir', reportDir], {
    cwd: REPO_ROOT,
    // Not a CLI run of its own: the suites it starts must not see this worker's DRILL_CONFIG (there is none under npm test).
    env: { ...process.env, DRILL_QUIET: '1', CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownGroup ?? false,
  });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, output: () => output, exited };
}
