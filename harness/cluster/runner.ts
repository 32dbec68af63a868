// How the cluster provider runs the `docker` and `kind` CLIs. One seam so tests swap execa for a
// recorder, and so every command's output reaches the journal/log file line by line.
import { execa } from 'execa';

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  /** Written to the command's standard input. */
  input?: string;
  /** Every output line as it arrives (for the journal/log file, not the terminal). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The executable does not exist on PATH. */
  notFound: boolean;
  timedOut: boolean;
}

export type CommandRunner = (file: string, args: readonly string[], opts: RunOptions) => Promise<RunResult>;

/** The real runner: execa, never throwing for a non-zero exit (callers turn results into one-line errors). */
export const execaRunner: CommandRunner = async (file, args, opts) => {
  const tap = (stream: 'stdout' | 'stderr') =>
    function* (line: unknown) {
      opts.onLine?.(String(line), stream);
      yield line;
    };
  const result = await execa(file, [...args], {
    reject: false,
    timeout: opts.timeoutMs,
    cwd: opts.cwd,
    input: opts.input,
    cancelSignal: opts.signal,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    stdout: ['pipe', tap('stdout')],
    stderr: ['pipe', tap('stderr')],
    // Keep kind/docker from asking questions or colouring output.
    env: { NO_COLOR: '1', DOCKER_CLI_HINTS: 'false' },
    forceKillAfterDelay: 5_000,
  });
  const code = (result as { code?: string }).code;
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    notFound: code === 'ENOENT',
    timedOut: result.timedOut,
  };
};

/** Last non-empty line of a command's error output: what the one-line error quotes. */
export function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}
