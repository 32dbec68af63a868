// Every process the local platform starts runs in its own process group (detached), carries the
// run's marker in its environment, and is remembered here until its whole group is gone, so a
// stop, a teardown or this process exiting can signal the group and leave nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { done, notYet, poll } from '../wait.ts';
import { pids, statFields } from './proc.ts';

/** Environment variable every process of a run carries: `ROLLBACK_DRILL_RUN=<runId>` (leak checks look for it). */
export const RUN_MARKER_ENV = 'ROLLBACK_DRILL_RUN';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Last line of defence: whatever still runs when this process exits (normally or not) is SIGKILLed. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => killAllGroupsNow());
}

/** SIGKILL every live group at once, synchronously (exit hook, second Ctrl-C). */
export function killAllGroupsNow(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

/**
 * True while a process of the group still runs. Zombies do not count: a group's orphans (tsx's
 * esbuild service, say) are reparented to PID 1 and stay zombies until it reaps them, which some
 * inits do only every second or two; kill(-pgid, 0) would call the group alive all that time.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0 as unknown as NodeJS.Signals)) return false;
  let all: number[];
  try {
    all = pids();
  } catch {
    return true; // no /proc: trust kill(0)
  }
  return all.some((pid) => {
    const f = statFields(pid);
    return f !== undefined && Number(f[4]) === pgid && f[2] !== 'Z' && f[2] !== 'X';
  });
}

export function trackGroup(pgid: number): void {
  installExitHook();
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The command could not be started (not found, not executable). */
  startError?: string;
}

export interface SpawnGroupOptions {
  env: Record<string, string>;
  cwd: string;
  /** File descriptor stdout and stderr are written to (a pod's log file). */
  logFd: number;
  uid?: number;
  gid?: number;
}

export interface GroupProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the group leader exited and the rest of the group is gone (SIGKILLed). */
  readonly exited: Promise<ExitInfo>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Start a command as the leader of a new process group. When the leader exits, the rest of the
 * group is killed, as a container runtime kills a container's processes when its PID 1 exits.
 */
export function spawnGroup(command: string, args: string[], opts: SpawnGroupOptions): GroupProcess {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ['ignore', opts.logFd, opts.logFd],
    uid: opts.uid,
    gid: opts.gid,
  });
  const pid = child.pid;
  const exited = new Promise<ExitInfo>((resolve) => {
    let settled = false;
    const done = (info: ExitInfo) => {
      if (settled) return;
      settled = true;
      if (pid === undefined) resolve(info);
      else void reapGroup(pid).then(() => resolve(info));
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'executable file not found in $PATH' : err.code === 'EACCES' ? 'permission denied' : err.message;
      done({ code: err.code === 'EACCES' ? 126 : 127, signal: null, startError: `exec: "${command}": ${why}` });
    });
  });
  if (pid === undefined) {
    return { pid: -1, child, exited, signal: () => undefined };
  }
  trackGroup(pid);
  return { pid, child, exited, signal: (s) => void signalGroup(pid, s) };
}

/** Forget a group once nothing of it runs (stragglers get SIGKILL until then, 5 s at most: a timeout is an answer). */
async function reapGroup(pgid: number): Promise<void> {
  await poll(() => (signalGroup(pgid, 'SIGKILL') && groupAlive(pgid) ? notYet('alive') : done(true)), {
    describe: `process group ${pgid} gone`,
    timeoutMs: 5_000,
    // Stragglers usually go within milliseconds: look often first, then back off.
    intervalMs: (checks) => (checks <= 10 ? 5 : 50),
  });
  untrackGroup(pgid);
}

/**
 * Stop a group like a kubelet stops a container: `stopSignal` to the whole group, wait up to
 * `graceMs` for the leader to exit, then SIGKILL. Resolves with how the leader ended.
 */
export async function stopGroup(proc: GroupProcess, stopSignal: NodeJS.Signals, graceMs: number): Promise<{ exit: ExitInfo; killed: boolean }> {
  proc.signal(stopSignal);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
  const first = await Promise.race([proc.exited, graceOver]);
  clearTimeout(timer);
  if (first !== 'timeout') return { exit: first, killed: false };
  proc.signal('SIGKILL');
  return { exit: await proc.exited, killed: true };
}
