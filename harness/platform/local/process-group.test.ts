// A pod's process group is gone when nothing of it runs: orphans left as zombies (reparented to an
// init that reaps them late, as on this project's machines) must not keep a stopped pod "running".
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive, signalGroup, spawnGroup, stopGroup } from './process-group.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pgroup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

describe('process groups', () => {
  it('a group whose leader exited and whose orphan was killed is not alive, zombie or not', async () => {
    const log = path.join(dir, 'log');
    const fd = openSync(log, 'a');
    // The leader starts a child of its own and exits: the child is orphaned, as tsx's esbuild service is.
    const p = spawnGroup('sh', ['-c', 'sleep 30 & echo $!; sleep 0.2'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: dir, logFd: fd });
    closeSync(fd);
    await new Promise((r) => setTimeout(r, 100));
    const orphan = Number(readFileSync(log, 'utf8').trim());
    expect(stateOf(orphan), 'the orphan runs in the group').toMatch(/^[RS]$/);
    expect(groupAlive(p.pid)).toBe(true);
    const r = await stopGroup(p, 'SIGTERM', 5_000);
    expect(r.killed).toBe(false);
    // The orphan is dead: gone, or a zombie its new parent has not reaped yet (which kill(-pgid, 0) still counts).
    const state = stateOf(orphan);
    expect(state === undefined || state === 'Z', `orphan state ${state}`).toBe(true);
    if (state === 'Z') expect(signalGroup(p.pid, 0 as unknown as NodeJS.Signals)).toBe(true);
    expect(groupAlive(p.pid)).toBe(false);
  });
});
