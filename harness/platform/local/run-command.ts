// One command run to completion inside a pod's environment (exec, exec probes): its own process
// group (a `sh -c` leaves no stragglers), stdin fed, stdout/stderr collected, the whole group
// killed on timeout or abort. A missing executable answers like the container runtime does (127,
// image-tools.ts).
import { execa } from 'execa';
import { constants as osConstants } from 'node:os';
import { ociExecFailure } from './image-tools.ts';
import { signalGroup, trackGroup, untrackGroup } from './process-group.ts';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
}

export interface RunCommandOptions {
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  stdin?: string | Uint8Array;
  signal?: AbortSignal;
}

export async function runCommand(command: string[], opts: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = command;
  if (!file) return { exitCode: 127, stdout: '', stderr: 'exec: no command given\n', timedOut: false, aborted: false };
  const sub = execa(file, args, {
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    input: opts.stdin ?? '',
    detached: true,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 512 * 1024 * 1024,
  });
  const pid = sub.pid;
  if (pid !== undefined) trackGroup(pid);
  let timedOut = false;
  let aborted = false;
  const killGroup = () => pid !== undefined && signalGroup(pid, 'SIGKILL');
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, opts.timeoutMs);
  const onAbort = () => {
    aborted = true;
    killGroup();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  try {
    const r = await sub;
    const code = (r.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EACCES') {
      const why = code === 'ENOENT' ? 'executable file not found in $PATH' : 'permission denied';
      return {
        exitCode: code === 'ENOENT' ? 127 : 126,
        stdout: '',
        stderr: ociExecFailure(`exec: "${file}": ${why}`),
        timedOut,
        aborted,
      };
    }
    const exitCode = r.exitCode ?? (r.signal ? 128 + signalNumber(r.signal) : -1);
    return { exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut, aborted };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) {
      killGroup(); // background children of the command
      untrackGroup(pid);
    }
  }
}

function signalNumber(sig: string): number {
  return (osConstants.signals as Record<string, number>)[sig] ?? 0;
}
