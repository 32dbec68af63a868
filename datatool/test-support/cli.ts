// Runs the real drill-data bin (a child process, as the harness and the image run it).
import { spawn } from 'node:child_process';
import path from 'node:path';

export const DRILL_DATA = path.resolve(import.meta.dirname, '..', '..', 'bin', 'drill-data');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function drillData(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(DRILL_DATA, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last stdout line, parsed (the --json result). */
export function jsonLine(r: CliRun): unknown {
  const line = r.stdout.trim().split('\n').pop();
  if (!line) throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(line);
}
