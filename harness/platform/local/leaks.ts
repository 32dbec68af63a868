// What a run left behind, read from /proc (Linux): processes whose environment carries the run
// marker (every pod process, exec and the harness child in leak checks), and listening TCP
// sockets owned by such processes or on ports the run recorded. Used by the interrupt test and
// scripts/leak-check.ts.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { done, notYet, poll } from '../wait.ts';
import { RUN_MARKER_ENV } from './process-group.ts';
import { pids, statFields } from './proc.ts';

export interface MarkedProcess {
  pid: number;
  runId: string;
  command: string;
}

/** Live processes whose environment has ROLLBACK_DRILL_RUN starting with `runIdPrefix` (zombies excluded). */
export function markedProcesses(runIdPrefix: string): MarkedProcess[] {
  const out: MarkedProcess[] = [];
  const needle = `${RUN_MARKER_ENV}=${runIdPrefix}`;
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    try {
      const state = statFields(pid)?.[2];
      if (state === undefined || state === 'Z') continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const hit = env.find((e) => e.startsWith(needle));
      if (!hit) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 160);
      out.push({ pid, runId: hit.slice(RUN_MARKER_ENV.length + 1), command });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return out;
}

export interface ListeningSocket {
  port: number;
  inode: number;
}

/** TCP sockets in LISTEN state (IPv4 and IPv6). */
export function listeningSockets(): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      out.push({ port: parseInt(f[1]!.split(':')[1]!, 16), inode: Number(f[9]) });
    }
  }
  return out;
}

/** Socket inode → owning pid, for the given pids (or all readable processes). */
export function socketOwners(only?: number[]): Map<number, number> {
  const owners = new Map<number, number>();
  for (const pid of only ?? pids()) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) owners.set(Number(m[1]), pid);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return owners;
}

export interface LeakReport {
  processes: MarkedProcess[];
  /** Listening ports owned by a marked process, or recorded by the run and still listening with no other known owner. */
  ports: { port: number; pid?: number }[];
}

export function findLeaks(runIdPrefix: string, recordedPorts: Iterable<number> = []): LeakReport {
  const processes = markedProcesses(runIdPrefix);
  const marked = new Set(processes.map((p) => p.pid));
  const sockets = listeningSockets();
  const recorded = new Set(recordedPorts);
  const owners = socketOwners();
  const ports: LeakReport['ports'] = [];
  for (const s of sockets) {
    const pid = owners.get(s.inode);
    if ((pid !== undefined && marked.has(pid)) || (recorded.has(s.port) && pid === undefined)) ports.push({ port: s.port, pid });
  }
  return { processes, ports };
}

/** Environment variable naming the harness process a pod process belongs to: `<pid>:<start time>`. */
export const OWNER_ENV = 'ROLLBACK_DRILL_OWNER';

/** Direct children of a process (field 4 of /proc/<pid>/stat, index 3 here, is the parent). */
export function childPids(parent = process.pid): number[] {
  return pids().filter((pid) => statFields(pid)?.[3] === String(parent));
}

/** This process as an owner token (pid plus start time, so a reused pid is not mistaken for it). */
export function ownerToken(pid = process.pid): string {
  return `${pid}:${statFields(pid)?.[21] ?? '0'}`;
}

/**
 * Process groups of earlier runs whose harness died without a teardown (SIGKILL, OOM): every
 * process with an owner token whose owner is gone gets its group SIGKILLed. Returns the pids found.
 */
export function reapOrphans(): number[] {
  const reaped: number[] = [];
  const live = new Map<string, boolean>();
  for (const pid of pids()) {
    let owner: string | undefined;
    try {
      owner = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((e) => e.startsWith(`${OWNER_ENV}=`))
        ?.slice(OWNER_ENV.length + 1);
    } catch {
      continue;
    }
    if (!owner) continue;
    let alive = live.get(owner);
    if (alive === undefined) {
      const ownerPid = Number(owner.split(':')[0]);
      alive = ownerToken(ownerPid) === owner;
      live.set(owner, alive);
    }
    if (alive) continue;
    const pgid = Number(statFields(pid)?.[4]);
    try {
      if (pgid > 1) process.kill(-pgid, 'SIGKILL');
      else process.kill(pid, 'SIGKILL');
      reaped.push(pid);
    } catch {
      /* already gone */
    }
  }
  return reaped;
}

/** SysV shared memory segments nobody is attached to (a PostgreSQL server that was SIGKILLed leaves one), by shmid. */
export function unattachedShmSegments(): Set<number> {
  const out = new Set<number>();
  let text = '';
  try {
    text = readFileSync('/proc/sysvipc/shm', 'utf8');
  } catch {
    return out;
  }
  const lines = text.trim().split('\n');
  const cols = lines[0]!.trim().split(/\s+/);
  const id = cols.indexOf('shmid');
  const nattch = cols.indexOf('nattch');
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[nattch] === '0') out.add(Number(f[id]));
  }
  return out;
}

/**
 * findLeaks, given up to `settleMs` to come out empty: helpers of an exited harness (its esbuild
 * service, which ends when its stdin closes) may still be on their way out. A real leak stays.
 */
export async function settledLeaks(runIdPrefix: string, recordedPorts: Iterable<number> = [], settleMs = 2000): Promise<LeakReport> {
  const ports = [...recordedPorts];
  // A timeout is the answer here (what is left is the leak), so poll(), not waitFor().
  const r = await poll(
    () => {
      const leaks = findLeaks(runIdPrefix, ports);
      return leaks.processes.length === 0 && leaks.ports.length === 0 ? done(leaks) : notYet(leaks);
    },
    { describe: `run ${runIdPrefix} to leave nothing behind`, timeoutMs: settleMs, intervalMs: 100 },
  );
  return r.done ? r.value : r.state;
}
