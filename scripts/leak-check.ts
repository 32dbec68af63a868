// Interrupt local-platform runs at random moments and count what they leave behind.
//   npx tsx scripts/leak-check.ts --runs 20 [--topology baseline|fixture] [--max-delay-ms 10000] [--seed N]
// Each run is a child harness (harness/platform/local/fixtures/interrupted-run.ts) applying the
// topology; after a random delay it gets SIGINT or SIGTERM. Afterwards every process carrying a
// marker of these runs (env ROLLBACK_DRILL_RUN) and every listening port they used is counted.
// Exit 0 when nothing is left, 1 when something is, 2 on bad arguments.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../harness/kit/repo.ts';
import { tsxNodeCommand } from '../harness/platform/local/config.ts';
import { settledLeaks, unattachedShmSegments } from '../harness/platform/local/leaks.ts';
import { RUN_MARKER_ENV } from '../harness/platform/local/process-group.ts';

const CHILD = path.join(REPO_ROOT, 'harness', 'platform', 'local', 'fixtures', 'interrupted-run.ts');
const EXIT_TIMEOUT_MS = 40_000;

function usage(message: string): never {
  process.stderr.write(`leak-check: ${message}\nusage: npx tsx scripts/leak-check.ts --runs N [--topology baseline|fixture] [--max-delay-ms MS] [--seed N]\n`);
  process.exit(2);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '20' },
        topology: { type: 'string', default: 'baseline' },
        'max-delay-ms': { type: 'string', default: '10000' },
        seed: { type: 'string' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const runs = Number(values.runs);
  const maxDelayMs = Number(values['max-delay-ms']);
  if (!Number.isInteger(runs) || runs < 1) usage(`--runs must be a whole number >= 1, got "${values.runs}"`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) usage(`--max-delay-ms must be >= 0, got "${values['max-delay-ms']}"`);
  if (values.topology !== 'baseline' && values.topology !== 'fixture') usage(`--topology must be baseline or fixture, got "${values.topology}"`);
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  if (!Number.isInteger(seed)) usage(`--seed must be a whole number, got "${values.seed}"`);
  return { runs, maxDelayMs, topology: values.topology, seed };
}

/** Small seeded PRNG (mulberry32), so a failing sequence can be replayed with --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RunOutcome {
  exit: string;
  phase: string;
  ports: number[];
}

async function oneRun(runId: string, stateFile: string, topology: string, delayMs: number, signal: NodeJS.Signals, fromSpawn: boolean): Promise<RunOutcome> {
  const [node, ...nodeArgs] = tsxNodeCommand();
  const child = spawn(node!, [...nodeArgs, CHILD, '--run-id', runId, '--state', stateFile, '--topology', topology], {
    cwd: REPO_ROOT,
    env: { ...process.env, [RUN_MARKER_ENV]: runId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, sig) => resolve(sig ? `killed by ${sig}` : `exit ${code}`)));
  // The random moment counts from when the platform exists (startup of the harness itself is not
  // interesting); `fromSpawn` runs are interrupted during that startup instead.
  if (!fromSpawn) {
    const created = new Promise<void>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('created')) resolve();
      });
    });
    await Promise.race([created, exited, new Promise((r) => setTimeout(r, 60_000))]);
  } else child.stdout!.resume();
  const early = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(r, delayMs))]);
  if (early) return { exit: `${early} before the signal: ${stderr.trim().split('\n').at(-1) ?? ''}`, phase: 'none', ports: [] };
  const state = readState(stateFile);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  const exit = await exited;
  clearTimeout(timer);
  const after = readState(stateFile);
  return { exit, phase: state?.phase ?? 'starting', ports: after?.ports ?? [] };
}

function readState(file: string): { phase: string; ports: number[]; runDir: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { phase: string; ports: number[]; runDir: string };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const o = options();
  const rand = random(o.seed);
  const prefix = `leakcheck-${process.pid}-`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rollback-drill-leakcheck-'));
  const ports = new Set<number>();
  const runDirs: string[] = [];
  let unexpectedExits = 0;
  const shmBefore = unattachedShmSegments();
  console.log(`leak-check: ${o.runs} runs of the ${o.topology} topology, signal 0–${o.maxDelayMs} ms after the platform started (seed ${o.seed})`);
  try {
    for (let i = 1; i <= o.runs; i++) {
      const runId = `${prefix}${i}`;
      const stateFile = path.join(tmp, `${runId}.json`);
      const delayMs = Math.round(rand() * o.maxDelayMs);
      const signal: NodeJS.Signals = rand() < 0.5 ? 'SIGINT' : 'SIGTERM';
      const fromSpawn = rand() < 0.1;
      const r = await oneRun(runId, stateFile, o.topology, fromSpawn ? Math.round(delayMs / 4) : delayMs, signal, fromSpawn);
      r.ports.forEach((p) => ports.add(p));
      const st = readState(stateFile);
      if (st?.runDir) runDirs.push(st.runDir);
      const expected = r.exit === `exit ${signal === 'SIGINT' ? 130 : 143}` || r.exit === `killed by ${signal}`;
      if (!expected) unexpectedExits++;
      const left = await settledLeaks(runId, r.ports);
      console.log(
        `run ${String(i).padStart(2)}/${o.runs}: ${signal} ${fromSpawn ? `${(delayMs / 4000).toFixed(1)} s after spawn` : `${(delayMs / 1000).toFixed(1)} s after platform start`} ` +
          `(phase ${r.phase}) → ${r.exit}; left: ${left.processes.length} processes, ${left.ports.length} ports`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const leaks = await settledLeaks(prefix, ports);
  const dirs = runDirs.filter((d) => existsSync(d));
  console.log(`leftover processes: ${leaks.processes.length}`);
  for (const p of leaks.processes) console.log(`  pid ${p.pid} (${p.runId}): ${p.command}`);
  console.log(`leftover listening ports: ${leaks.ports.length}${leaks.ports.length ? ` (${leaks.ports.map((p) => p.port).join(', ')})` : ''}`);
  console.log(`leftover run dirs: ${dirs.length}`);
  // Informational: other processes on this machine may create these too, so they do not fail the check.
  const shmNew = [...unattachedShmSegments()].filter((id) => !shmBefore.has(id));
  console.log(`new unattached shared memory segments (informational): ${shmNew.length}`);
  if (unexpectedExits > 0) console.log(`runs that did not exit with 130/143: ${unexpectedExits}`);
  process.exitCode = leaks.processes.length + leaks.ports.length + dirs.length > 0 ? 1 : 0;
}

await main();
