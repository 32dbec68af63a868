// A harness interrupted by SIGINT/SIGTERM must leave no process and no listening port behind: a
// child harness (fixtures/interrupted-run.ts) applies a topology, gets the signal, and /proc is
// searched for anything carrying its run marker or listening on a port it used.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tsxNodeCommand } from './config.ts';
import { findLeaks, reapOrphans, settledLeaks } from './leaks.ts';
import { RUN_MARKER_ENV } from './process-group.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'interrupted-run.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rollback-drill-interrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RunState {
  runId: string;
  runDir: string;
  phase: string;
  ports: number[];
}

/** Start the child harness, wait for `waitFor` on its stdout, signal it, return its exit and what it recorded. */
async function interrupt(topology: 'fixture' | 'baseline', waitFor: 'applied' | 'ready', signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL') {
  const runId = `itest-${process.pid}-${Date.now().toString(36)}`;
  const state = path.join(tmp, `${runId}.json`);
  const [node, ...nodeArgs] = tsxNodeCommand();
  const child = spawn(node!, [...nodeArgs, CHILD, '--run-id', runId, '--state', state, '--topology', topology], {
    env: { ...process.env, [RUN_MARKER_ENV]: runId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(waitFor)) resolve();
      });
      void exited.then(() => reject(new Error(`child exited before "${waitFor}": ${stderr}`)));
    });
    const before = findLeaks(runId).processes.length;
    child.kill(signal);
    const exit = await exited;
    const recorded = JSON.parse(readFileSync(state, 'utf8')) as RunState;
    return { runId, exit, before, recorded, leaks: signal === 'SIGKILL' ? findLeaks(runId, recorded.ports) : await settledLeaks(runId, recorded.ports), stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('local platform: interrupted runs', () => {
  it('SIGINT after the fixture topology is ready: exit 130, no process, no listening port, no run dir', async () => {
    const r = await interrupt('fixture', 'ready', 'SIGINT');
    expect(r.before).toBeGreaterThanOrEqual(3); // the harness and its two pods were there
    expect(r.exit).toEqual({ code: 130, signal: null });
    expect(r.recorded.ports.length).toBeGreaterThanOrEqual(3);
    expect(r.leaks).toEqual({ processes: [], ports: [] });
    expect(existsSync(r.recorded.runDir)).toBe(false);
    expect(r.stderr).toContain('SIGINT: tearing down');
  });

  it('SIGTERM while PostgreSQL is still initialising (baseline just applied): exit 143, nothing left', async () => {
    const r = await interrupt('baseline', 'applied', 'SIGTERM');
    expect(r.exit).toEqual({ code: 143, signal: null });
    expect(r.leaks).toEqual({ processes: [], ports: [] });
    expect(existsSync(r.recorded.runDir)).toBe(false);
  });

  it('SIGKILL cannot be handled: the next platform start reaps the orphaned pods of the dead harness', async () => {
    const r = await interrupt('fixture', 'ready', 'SIGKILL');
    expect(r.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(r.leaks.processes.length).toBeGreaterThanOrEqual(2); // the two pods, orphaned
    const reaped = reapOrphans();
    expect(reaped.length).toBeGreaterThanOrEqual(2); // the pods (the dead harness' own helpers end by themselves)
    for (let i = 0; i < 50 && findLeaks(r.runId).processes.length > 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect(findLeaks(r.runId, r.recorded.ports)).toEqual({ processes: [], ports: [] });
    rmSync(r.recorded.runDir, { recursive: true, force: true });
  });
});
