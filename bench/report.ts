// Bench `report`: how long rendering every report of a big run takes, how much memory it needs, and
// how big the files get.
//   npx tsx bench/report.ts [--groups 10] [--minutes 10] [--load-samples 1000000] [--runs 3] [--json]
// Synthetic pre-release-sized run: N scenario×variant groups, each with an availability probe
// sampling every 60 ms for M minutes, a load-baseline and a load-after samples file in the load
// probe's own line format (together --load-samples lines: a long load phase against fast answers),
// 8 timed steps, summaries and six verdicts. Each render runs writeReports() in a fresh child process,
// which reports its own wall time and peak RSS (getrusage maxrss, VmHWM), so the memory is that of
// rendering alone. Targets: render < 10 s, peak RSS < 512 MB, report.html < 1 MB (it must open quickly).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Journal } from '../harness/journal/journal.ts';
import { writeReports } from '../harness/report/write.ts';

export interface ReportBench {
  groups: number;
  availabilitySamples: number;
  loadSamples: number;
  sampleBytes: number;
  journalBytes: number;
  renders: ChildRender[];
  bytes: { json: number; markdown: number; html: number; junit: number };
  targets: { renderMs: number; peakRssBytes: number; htmlBytes: number };
}

const ChildRender = z.object({
  renderMs: z.number(),
  /** RSS of the child when rendering started (node + tsx + modules): the floor under the peak. */
  startRssBytes: z.number(),
  /** Peak RSS of the child over its whole life (getrusage maxrss). */
  peakRssBytes: z.number(),
  /** VmHWM from /proc/self/status where there is one, else null. */
  vmHwmBytes: z.number().nullable(),
  failures: z.array(z.object({ what: z.string(), message: z.string() })),
});
type ChildRender = z.infer<typeof ChildRender>;

const SCENARIOS = ['database-corruption', 'security-incident', 'performance-issues', 'functionality-broken', 'maintenance-window'];

async function write(out: WriteStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}

async function close(out: WriteStream): Promise<number> {
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}

/** A load phase as harness/probes/load.ts writes it: {"t","latencyMs","status"}, a few ms apart, some fast 503s. */
async function writeLoadFile(file: string, n: number, from: number, durationMs: number, seed: number): Promise<number> {
  const out = createWriteStream(file);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648; // deterministic LCG: same files every run
    const u = x / 2_147_483_648;
    const status = u < 0.03 ? 503 : 200;
    // Mostly 1-10 ms, a long tail to a few hundred ms.
    const latency = status === 503 ? 0.4 + u * 10 : 1 + 4 * u + (u > 0.995 ? 300 * (u - 0.995) * 200 : 0);
    await write(out, `{"t":${from + Math.floor((i / n) * durationMs)},"latencyMs":${latency.toFixed(3)},"status":${status}}\n`);
  }
  return close(out);
}

export async function writeBigRun(dir: string, groups: number, minutes: number, loadSamples: number): Promise<{ file: string; availability: number; load: number; sampleBytes: number }> {
  const file = path.join(dir, 'journal.jsonl');
  const j = new Journal(file);
  let t = Date.UTC(2026, 0, 1);
  let availability = 0;
  let load = 0;
  let sampleBytes = 0;
  const perFile = Math.ceil(loadSamples / (groups * 2));
  j.write({ t, type: 'run.start', runId: 'bench', profile: 'pre-release', platform: 'local', scenarios: SCENARIOS, variants: ['seed', 'hardened'], config: {}, host: { node: process.version, os: process.platform, cpus: 2 } });
  for (let g = 0; g < groups; g++) {
    const scenario = SCENARIOS[g % SCENARIOS.length]!;
    const variant = g % 2 ? 'hardened' : 'seed';
    j.setContext({ scenario, variant });
    const start = t;
    j.write({ t, type: 'scenario.start', fault: scenario, method: 'emergency', budgetMs: 300_000, validation: 'health check' });
    const end = start + minutes * 60_000;
    const loadMs = Math.min(60_000, (end - start) / 5);
    const baselineFile = `load-baseline-${g}.jsonl`;
    sampleBytes += await writeLoadFile(path.join(dir, baselineFile), perFile, start + 1_000, loadMs, 2 * g + 1);
    j.write({ t: start + 1_000 + loadMs, type: 'probe.samples', probe: 'load-baseline', file: baselineFile, count: perFile });
    const faultAt = start + (end - start) / 4;
    const upAt = faultAt + 20_000;
    j.write({ t: faultAt, type: 'fault.inject', fault: scenario, detail: 'bench' });
    j.write({ t: faultAt + 500, type: 'fault.effective', fault: scenario, detail: 'bench' });
    for (let i = 0; i < 8; i++) {
      const s0 = faultAt + 1_000 + i * 3_000;
      j.write({ t: s0, type: 'step.start', procedure: 'emergency', stepId: `step-${i}`, step: `step ${i}`, index: i, budgetMs: 5_000 });
      j.write({ t: s0 + 2_500, type: 'step.end', procedure: 'emergency', stepId: `step-${i}`, step: `step ${i}`, index: i, budgetMs: 5_000, startedAt: s0, durationMs: 2_500, outcome: 'ok', message: 'ok' });
      if (i === 4) j.write({ t: s0 + 1_000, type: 'marker', name: 'selector-switch' });
    }
    const afterFile = `load-after-${g}.jsonl`;
    sampleBytes += await writeLoadFile(path.join(dir, afterFile), perFile, upAt + 30_000, loadMs, 2 * g + 2);
    j.write({ t: upAt + 30_000 + loadMs, type: 'probe.samples', probe: 'load-after', file: afterFile, count: perFile });
    load += 2 * perFile;
    const samplesFile = `availability-${g}.jsonl`;
    const av = createWriteStream(path.join(dir, samplesFile));
    let n = 0;
    for (let x = start; x < end; x += 60, n++) {
      const down = x >= faultAt && x < upAt;
      await write(av, `${JSON.stringify({ t: x, status: down ? 503 : 200, latencyMs: 2 + (n % 13), engine: x < upAt ? 'postgres' : 'sqlite', pod: `p-${n % 3}` })}\n`);
    }
    sampleBytes += await close(av);
    availability += n;
    t = end;
    j.write({ t, type: 'probe.samples', probe: 'availability', file: samplesFile, count: n });
    j.write({ t, type: 'probe.summary', probe: 'availability', summary: { total: n, failed: 333, errorRate: 0.03, downtimeMs: 20_000, unavailableMs: 20_000, longestFailureRun: 333, longestFailureRunMs: 20_000, engines: { postgres: n - 333 }, engineFirstSeen: [{ engine: 'postgres', t: start }], mixedEngineMs: 0, p99LatencyMs: 14, timeToRestoreMs: 21_000 } });
    j.write({ t, type: 'probe.summary', probe: 'ledger', summary: { attempted: 5004, ok: 5000, fail: 3, unknown: 1, lost: 0, recovered: 1, unexpected: 0, duplicated: 0, lostEmails: [], unexpectedEmails: [], duplicatedEmails: [], source: 'sqlite-file', minPerPod: 1666, detectableLoss: 0.0018 } });
    j.write({ t, type: 'probe.summary', probe: 'load', summary: { phase: 'after', requests: perFile, durationMs: loadMs, p50: 3, p90: 6, p95: 8, p99: 15, max: 40, rps: 800, errors: 0, timeouts: 0, non2xx: 0, engines: { sqlite: perFile }, connections: 10, paths: ['/api/health'], writeRatio: 0 } });
    for (const id of ['emergency-rollback', 'planned-rollback', 'data-integrity', 'functionality', 'performance', 'monitoring'])
      j.write({ t, type: 'verdict', id, title: id, passed: true, measured: 1, budget: 2, unit: 'ms', evidence: 'bench' });
    j.write({ t: ++t, type: 'scenario.end', passed: true, durationMs: t - start });
  }
  j.setContext({});
  j.write({ t: ++t, type: 'run.end', status: 'passed', exitCode: 0 });
  return { file, availability, load, sampleBytes };
}

function vmHwmBytes(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** In the child: one render, measured from the inside. */
async function renderOnce(journal: string, outDir: string, historyFile: string): Promise<ChildRender> {
  const startRssBytes = process.memoryUsage.rss();
  const t0 = performance.now();
  const { failures } = await writeReports(journal, outDir, { historyFile });
  const renderMs = performance.now() - t0;
  return { renderMs, startRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024, vmHwmBytes: vmHwmBytes(), failures };
}

function renderInChild(journal: string, outDir: string, historyFile: string): ChildRender {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', journal, outDir, historyFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`render child exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return ChildRender.parse(JSON.parse(r.stdout.trim().split('\n').at(-1)!));
}

export async function benchReport(opts: { groups: number; minutes: number; loadSamples: number; runs: number; progress?: (line: string) => void }): Promise<ReportBench> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
  try {
    opts.progress?.(`writing ${opts.groups} groups: ${opts.loadSamples} load samples + availability samples…`);
    const { file, availability, load, sampleBytes } = await writeBigRun(dir, opts.groups, opts.minutes, opts.loadSamples);
    const out = path.join(dir, 'out');
    const renders: ChildRender[] = [];
    for (let i = 0; i < opts.runs; i++) {
      renders.push(renderInChild(file, out, path.join(dir, 'history.jsonl')));
      opts.progress?.(`  render ${i + 1}/${opts.runs}: ${(renders.at(-1)!.renderMs / 1000).toFixed(2)} s`);
    }
    const size = (f: string) => statSync(path.join(out, f)).size;
    return {
      groups: opts.groups,
      availabilitySamples: availability,
      loadSamples: load,
      sampleBytes,
      journalBytes: statSync(file).size,
      renders,
      bytes: { json: size('report.json'), markdown: size('report.md'), html: size('report.html'), junit: size('junit.xml') },
      targets: { renderMs: 10_000, peakRssBytes: 512 * 1024 * 1024, htmlBytes: 1_000_000 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function formatBench(r: ReportBench): string[] {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  const ratio = (x: number, target: number) => `${(x / target).toFixed(2)}× target, ${x < target ? 'OK' : 'OVER'}`;
  const renderMs = median(r.renders.map((x) => x.renderMs));
  const peak = Math.max(...r.renders.map((x) => x.peakRssBytes));
  const failures = r.renders.flatMap((x) => x.failures.map((f) => `${f.what}: ${f.message}`));
  return [
    `report: ${r.groups} scenario×variant groups, ${r.loadSamples.toLocaleString('en')} load + ${r.availabilitySamples.toLocaleString('en')} availability samples (${mb(r.sampleBytes)} of JSONL), journal ${kb(r.journalBytes)}`,
    `  render all reports (child process each): ${r.renders.map((x) => `${(x.renderMs / 1000).toFixed(2)} s`).join(', ')}; median ${(renderMs / 1000).toFixed(2)} s (target < ${r.targets.renderMs / 1000} s: ${ratio(renderMs, r.targets.renderMs)})`,
    `  peak RSS of rendering: ${mb(peak)} (VmHWM ${r.renders.map((x) => (x.vmHwmBytes === null ? 'n/a' : mb(x.vmHwmBytes))).join(', ')}; ${mb(median(r.renders.map((x) => x.startRssBytes)))} before rendering started) (target < ${mb(r.targets.peakRssBytes)}: ${ratio(peak, r.targets.peakRssBytes)})`,
    `  sizes: report.json ${kb(r.bytes.json)}, report.md ${kb(r.bytes.markdown)}, report.html ${kb(r.bytes.html)} (target < ${kb(r.targets.htmlBytes)}: ${ratio(r.bytes.html, r.targets.htmlBytes)}), junit.xml ${kb(r.bytes.junit)}`,
    failures.length ? `  RENDER FAILURES: ${failures.join('; ')}` : '  every report rendered',
  ];
}

const int = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench report: --${name} must be an integer >= ${min} (got ${v})`);
    process.exit(2);
  }
  return n;
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      groups: { type: 'string', default: '10' },
      minutes: { type: 'string', default: '10' },
      'load-samples': { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
    },
  });
  if (values.child) {
    const [journal, outDir, historyFile] = positionals;
    console.log(JSON.stringify(await renderOnce(journal!, outDir!, historyFile!)));
    return;
  }
  const r = await benchReport({
    groups: int('groups', values.groups, 1),
    minutes: int('minutes', values.minutes, 1),
    loadSamples: int('load-samples', values['load-samples'], 0),
    runs: int('runs', values.runs, 1),
    progress: values.json ? undefined : (l) => console.log(l),
  });
  console.log(values.json ? JSON.stringify(r) : formatBench(r).join('\n'));
  const failed = r.renders.some((x) => x.failures.length);
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
