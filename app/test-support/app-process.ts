// Starts the real app server as a child process (tsx), waits for it to listen, stops it by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres.ts';

export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TSX_LOADER = path.resolve(APP_ROOT, '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
export const CLI_BIN = path.join(APP_ROOT, 'bin', 'hyperpage-cli');

export interface AppProcess extends AsyncDisposable {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function runApp(env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(APP_ROOT, 'src', 'main.ts')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return { child, done };
}

export async function startApp(env: Record<string, string>, timeoutMs = 30_000): Promise<AppProcess> {
  const port = await freePort();
  const { child, done } = runApp({ PORT: String(port), HOSTNAME: 'test-pod', ENABLE_GITHUB: 'true', ENABLE_GITLAB: 'true', ENABLE_JIRA: 'false', ENABLE_RATE_LIMITING: 'true', ...env });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const t0 = Date.now();
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}: ${output}`);
    if (Date.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`app did not listen within ${timeoutMs} ms: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const r = await Promise.race([done, new Promise<null>((res) => setTimeout(() => res(null), 15_000))]);
    if (r === null) {
      child.kill('SIGKILL');
      return null;
    }
    return r.code;
  };
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, stop, [Symbol.asyncDispose]: async () => void (await stop()) };
}
