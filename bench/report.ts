// Bench `report`: how long rendering every report of a big run takes, and how big the files get.
//   npx tsx bench/report.ts [--groups 10] [--minutes 10] [--runs 3] [--json]
// Synthetic pre-release-sized journal: N scenario×variant groups, each with an availability probe
// sampling every 60 ms for M minutes (a JSONL samples file), 8 timed steps, load/ledger summaries,
// six verdicts. Measures writeReports() wall time (journal read → json, md, html, junit, history)
// and the size of each file. Targets: < 2 s per render, report.html < 1 MB (it must open quickly).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Journal } from '../harness/journal/journal.ts';
import { writeReports } from '../harness/report/write.ts';

export interface ReportBench {
  groups: number;
  samples: number;
  journalBytes: number;
  renderMs: number[];
  bytes: { json: number; markdown: number; html: number; junit: number };
  targets: { renderMs: number; htmlBytes: number };
}

const SCENARIOS = ['database-corruption', 'security-incident', 'performance-issues', 'functionality-broken', 'maintenance-window'];

function writeBigJournal(dir: string, groups: number, minutes: number): { file: string; samples: number } {
  const file = path.join(dir, 'journal.jsonl');
  const j = new Journal(file);
  let t = Date.UTC(2026, 0, 1);
  let total = 0;
  j.write({ t, type: 'run.start', runId: 'bench', profile: 'pre-release', platform: 'local', scenarios: SCENARIOS, variants: ['seed', 'hardened'], config: {}, host: { node: process.version, os: process.platform, cpus: 2 } });
  for (let g = 0; g < groups; g++) {
    const scenario = SCENARIOS[g % SCENARIOS.length]!;
    const variant = g % 2 ? 'hardened' : 'seed';
    j.setContext({ scenario, variant });
    const start = t;
    j.write({ t, type: 'scenario.start', fault: scenario, method: 'emergency', budgetMs: 300_000, validation: 'health check' });
    const end = start + minutes * 60_000;
    const faultAt = start + (end - start) / 4;
    const upAt = faultAt + 20_000;
    j.write({ t: faultAt, type: 'fault.inject', fault: scenario, detail: 'bench' });
    j.write({ t: faultAt + 500, type: 'fault.effective', fault: scenario, detail: 'bench' });
    for (let i = 0; i < 8; i++) {
      const s0 = faultAt + 1_000 + i * 3_000;
      j.write({ t: s0, type: 'step.start', procedure: 'emergency', step: `step ${i}`, index: i, budgetMs: 5_000 });
      j.write({ t: s0 + 2_500, type: 'step.end', procedure: 'emergency', step: `step ${i}`, index: i, budgetMs: 5_000, startedAt: s0, durationMs: 2_500, outcome: 'ok', message: 'ok' });
      if (i === 4) j.write({ t: s0 + 1_000, type: 'marker', name: 'selector-switch' });
    }
    const lines: string[] = [];
    for (let x = start, i = 0; x < end; x += 60, i++) {
      const down = x >= faultAt && x < upAt;
      lines.push(JSON.stringify({ t: x, status: down ? 503 : 200, latencyMs: 2 + (i % 13), engine: x < upAt ? 'postgres' : 'sqlite', pod: `p-${i % 3}` }));
    }
    total += lines.length;
    const samplesFile = `availability-${g}.jsonl`;
    writeFileSync(path.join(dir, samplesFile), lines.join('\n') + '\n');
    t = end;
    j.write({ t, type: 'probe.samples', probe: 'availability', file: samplesFile, count: lines.length });
    j.write({ t, type: 'probe.summary', probe: 'availability', summary: { total: lines.length, failed: 333, errorRate: 0.03, downtimeMs: 20_000, timeToRestoreMs: 21_000 } });
    j.write({ t, type: 'probe.summary', probe: 'ledger', summary: { ok: 5000, fail: 3, unknown: 1, lost: 0, recovered: 1, unexpected: 0, duplicated: 0 } });
    j.write({ t, type: 'probe.summary', probe: 'load', summary: { phase: 'after', p50: 3, p90: 6, p95: 8, p99: 15, max: 40, rps: 800, errors: 0, non2xx: 0 } });
    for (const id of ['emergency-rollback', 'planned-rollback', 'data-integrity', 'functionality', 'performance', 'monitoring'])
      j.write({ t, type: 'verdict', id, title: id, passed: true, measured: 1, budget: 2, unit: 'ms', evidence: 'bench' });
    j.write({ t: ++t, type: 'scenario.end', passed: true, durationMs: t - start });
  }
  j.setContext({});
  j.write({ t: ++t, type: 'run.end', status: 'passed', exitCode: 0 });
  return { file, samples: total };
}

export function benchReport(opts: { groups: number; minutes: number; runs: number }): ReportBench {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
  try {
    const { file, samples } = writeBigJournal(dir, opts.groups, opts.minutes);
    const renderMs: number[] = [];
    let paths!: ReturnType<typeof writeReports>['paths'];
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      paths = writeReports(file, path.join(dir, 'out'), { historyFile: path.join(dir, 'history.jsonl') }).paths;
      renderMs.push(performance.now() - t0);
    }
    const size = (f: string) => statSync(f).size;
    return {
      groups: opts.groups,
      samples,
      journalBytes: size(file),
      renderMs,
      bytes: { json: size(paths.json), markdown: size(paths.markdown), html: size(paths.html), junit: size(paths.junit) },
      targets: { renderMs: 2_000, htmlBytes: 1_000_000 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatBench(r: ReportBench): string[] {
  const median = [...r.renderMs].sort((a, b) => a - b)[Math.floor(r.renderMs.length / 2)]!;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  return [
    `report: ${r.groups} scenario×variant groups, ${r.samples} availability samples, journal ${kb(r.journalBytes)}`,
    `  render all reports: ${r.renderMs.map((x) => `${x.toFixed(0)} ms`).join(', ')} (median ${median.toFixed(0)} ms, target < ${r.targets.renderMs} ms) ${median < r.targets.renderMs ? 'OK' : 'OVER'}`,
    `  sizes: report.json ${kb(r.bytes.json)}, report.md ${kb(r.bytes.markdown)}, report.html ${kb(r.bytes.html)} (target < ${kb(r.targets.htmlBytes)}) ${r.bytes.html < r.targets.htmlBytes ? 'OK' : 'OVER'}, junit.xml ${kb(r.bytes.junit)}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { groups: { type: 'string', default: '10' }, minutes: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
  const r = benchReport({ groups: Number(values.groups), minutes: Number(values.minutes), runs: Number(values.runs) });
  console.log(values.json ? JSON.stringify(r) : formatBench(r).join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
