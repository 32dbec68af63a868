// A CommandRunner that records every command line and answers from a script: the tests' stand-in
// for execa, so the kind/docker wrapper's command lines and error handling are checked exactly.
import type { CommandRunner, RunOptions, RunResult } from '../runner.ts';

export interface RecordedCommand {
  file: string;
  args: string[];
  opts: RunOptions;
  /** "file arg arg" for readable assertions. */
  line: string;
}

export type Script = (cmd: RecordedCommand) => Partial<RunResult> | Promise<Partial<RunResult>>;

export function recorder(script: Script = () => ({})): { runner: CommandRunner; calls: RecordedCommand[]; lines: () => string[] } {
  const calls: RecordedCommand[] = [];
  const runner: CommandRunner = async (file, args, opts) => {
    const cmd: RecordedCommand = { file, args: [...args], opts, line: [file, ...args].join(' ') };
    calls.push(cmd);
    const r = await script(cmd);
    for (const l of (r.stdout ?? '').split('\n').filter(Boolean)) opts.onLine?.(l, 'stdout');
    for (const l of (r.stderr ?? '').split('\n').filter(Boolean)) opts.onLine?.(l, 'stderr');
    return { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, ...r };
  };
  return { runner, calls, lines: () => calls.map((c) => c.line) };
}

/** docker (with daemon) and kind present, answering like the real CLIs. */
export function healthyTools(cmd: RecordedCommand): Partial<RunResult> | undefined {
  if (cmd.line === 'docker version --format {{.Client.Version}}') return { stdout: '28.2.2\n' };
  if (cmd.line === 'docker info --format {{.ServerVersion}}') return { stdout: '28.2.2\n' };
  if (cmd.line === 'kind version') return { stdout: 'kind v0.29.0 go1.24.2 linux/amd64\n' };
  return undefined;
}
