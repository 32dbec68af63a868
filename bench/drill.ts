// Bench `drill`: full hardened drills on the local platform, each figure against its target.
//  - The emergency rollback (database-corruption), --runs times: wall time split by phase (the first
//    run), the time to restore of each run and their median (target < 1.5 s), the restore by step.
//  - The planned rollback (maintenance-window) once: failed reads (target 0), the write freeze
//    (target < 1 s), refused writes, alerts fired (target 0).
//  - What the checks of same data, same behaviour and stability cost a drill: the differential's two
//    phases, the stability watch's start and the read-back (which reads every stored value) against
//    their target (≤ 2 s beside the soak, which is run-length by design: --soak, default 10 s, inside
//    the 10-minute alerts window scaled by 60, so it adds nothing here).
//   npx tsx bench/drill.ts [--dataset-size 10000] [--load-duration 10] [--runs 3] [--soak 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCriteria } from '../harness/criteria/registry.ts';
import { criterionVerdicts } from '../harness/drill/judge.ts';
import { parseDrillConfig } from '../harness/config/parse.ts';
import { runScenario } from '../harness/drill/run-scenario.ts';
import { readJournal } from '../harness/journal/journal.ts';
import type { ScenarioOutcome } from '../harness/model/outcome.ts';
import { loadScenarios } from '../harness/scenarios/registry.ts';
import { goodRps } from '../harness/kit/good-rps.ts';
import { PLANNED_NO_IMPACT } from '../harness/criteria/matrix.ts';
import { plannedFailedReadsVerdict } from '../harness/criteria/planned-failed-reads.criterion.ts';
import { plannedNoAlertVerdict } from '../harness/criteria/planned-no-alert.criterion.ts';
import { writeFreezeVerdict } from '../harness/criteria/write-freeze.criterion.ts';

const TTR_TARGET_MS = 1_500;
const { values } = parseArgs({ options: { 'dataset-size': { type: 'string', default: '10000' }, 'load-duration': { type: 'string', default: '10' }, runs: { type: 'string', default: '3' }, soak: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench drill: --runs must be a whole number ≥ 1 (got ${JSON.stringify(values.runs)})`);
  process.exit(2);
}
const dir = mkdtempSync(path.join(tmpdir(), 'bench-drill-'));
const config = parseDrillConfig({ cluster: 'local', datasetSize: Number(values['dataset-size']), loadDurationSec: Number(values['load-duration']), soakSec: Number(values.soak) });
const CHECKS_TARGET_MS = 2_000;
const s = (ms: number) => `${(ms / 1000).toFixed(1).padStart(5)} s`;
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function drill(scenario: 'database-corruption' | 'maintenance-window', n: number): Promise<{ o: ScenarioOutcome; totalMs: number }> {
  const t0 = Date.now();
  const o = await runScenario({ config, scenario, variant: 'hardened', runDir: path.join(dir, `${scenario}-${n}`) });
  return { o, totalMs: Date.now() - t0 };
}

/** What each phase is, for the split (a phase without a label here is printed by its id). */
const PHASE_LABELS: Record<string, string> = {
  provision: 'provision (cluster, namespace)',
  setup: 'set-up (deploy, seed, forward migration)',
  preflight: "preflight (the runbook's premises about the app)",
  'pre-fault-writes': 'post-migration writes + seeded checksums',
  'probes-on': 'probes on (availability, ledger, route watch)',
  fault: 'fault, until effective',
  detection: "detection (the fault's expected triggers fire)",
  validation: 'validation (checklist)',
  features: 'feature checks',
  checksums: 'checksums of the seeded tables',
  monitoring: 'monitoring window (alerts cleared)',
  'probes-off': 'probes off, in-flight writes settle',
  'read-back': 'read-back (SQLite file, PostgreSQL, app API)',
  'differential-baseline': "differential: the reads recorded twice on PostgreSQL",
  'differential-replay': 'differential: the reads replayed on SQLite, diffed',
  'stability-watch': 'stability watch started',
};

/** The phases of same data, same behaviour and stability (the read-back reads every stored value too). */
const NEW_CHECKS = ['differential-baseline', 'differential-replay', 'stability-watch'];

/** Every phase the journal shows, in order, with its time; the rest of the wall time is artifacts and teardown. */
function phaseSplit(o: ScenarioOutcome, total: number): void {
  const phases = new Map<string, number>();
  for (const e of readJournal(o.journalFile)) if (e.type === 'phase.end') phases.set(e.phase, (phases.get(e.phase) ?? 0) + (e.durationMs ?? 0));
  const label = (id: string) => {
    if (PHASE_LABELS[id]) return PHASE_LABELS[id];
    if (id === 'procedure') return `procedure (${o.procedure.steps.length} steps)`;
    if (id.startsWith('capacity-')) return `${id} (closed-loop burst)`;
    if (id.startsWith('load-')) return `${id} (${config.loadDurationSec} s load)`;
    return id;
  };
  let named = 0;
  for (const [id, ms] of phases) {
    named += ms;
    console.log(`  ${label(id).padEnd(56)} ${s(ms)}`);
  }
  console.log(`  ${'reports, artifacts, teardown (the rest)'.padEnd(56)} ${s(total - named)}`);
  const checks = NEW_CHECKS.reduce((n, id) => n + (phases.get(id) ?? 0), 0);
  console.log(
    `  same data, same behaviour, still standing: ${NEW_CHECKS.map((id) => `${id} ${s(phases.get(id) ?? 0).trim()}`).join(' + ')} = ${s(checks).trim()} ` +
      `(target ≤ ${CHECKS_TARGET_MS / 1000} s beside the soak: ${met(checks <= CHECKS_TARGET_MS)}, ratio ${(checks / CHECKS_TARGET_MS).toFixed(2)}); the read-back with every stored value ${s(phases.get('read-back') ?? 0).trim()}; ` +
      `values compared: ${o.ledger.values ? `${o.ledger.values.rows} rows, ${o.ledger.values.altered} altered` : 'none'}; soak ${o.stability.soakSec} s, watched ${s(o.stability.report?.watchedMs ?? 0).trim()}`,
  );
}

const steps = (o: ScenarioOutcome) => o.procedure.steps.map((st) => `    ${st.step.padEnd(74)} ${s(st.durationMs)}`).join('\n');

try {
  const ttrs: number[] = [];
  for (let n = 1; n <= runs; n++) {
    const { o, totalMs } = await drill('database-corruption', n);
    if (o.timeToRestoreMs !== undefined) ttrs.push(o.timeToRestoreMs);
    if (n === 1) {
      console.log(`full hardened emergency drill (database-corruption, ${config.datasetSize} users, local platform): ${s(totalMs).trim()}`);
      phaseSplit(o, totalMs);
      const after = o.load.after;
      console.log(`  downtime ${s(o.availability.downtimeMs).trim()}, lost writes ${o.ledger.lost} of ${o.ledger.ok} (read from the ${o.ledgerSource}), p99 before ${o.load.baseline?.p99 ?? '-'} ms → after ${o.load.after?.p99 ?? '-'} ms`);
      if (after?.corrected && after.rate)
        console.log(`  load after the rollback, open loop at ${after.rate.target} req/s: ${after.rate.achieved} answered (${((after.rate.achieved / after.rate.target) * 100).toFixed(1)} %, target ≥ 95 %), p99 ${after.p99} ms from the send vs ${after.corrected.p99} ms corrected (gap ×${(after.corrected.p99 / Math.max(after.p99, 0.01)).toFixed(2)}), ${after.rate.late} late; capacity ${o.load.capacityBefore ? goodRps(o.load.capacityBefore) : '-'} → ${o.load.capacityAfter ? goodRps(o.load.capacityAfter) : '-'} req/s answered 2xx, closed loop`);
      console.log(`  writes after the restore: ${o.landed.acknowledged} acknowledged, min ${o.coverage.minPerPod}/pod → a ${(o.coverage.detectableLossRate * 100).toFixed(2)} % per-pod loss rate detectable at 95 % (target ≥ ${o.coverage.minRequired}/pod: ${met(o.coverage.sufficient)})`);
      console.log(`  criteria: ${criterionVerdicts(o, (await loadScenarios()).get('database-corruption'), await loadCriteria()).map((v) => `${v.id} ${v.passed ? 'met' : 'FAILED'}`).join(', ')}`);
      console.log(`  target full drill < 60 s with a ${config.loadDurationSec} s load phase: ${met(totalMs < 60_000)} (ratio ${(totalMs / 60_000).toFixed(2)})`);
    }
    console.log(`  run ${n}: time to restore (trigger → 5 healthy SQLite answers) ${o.timeToRestoreMs === undefined ? 'never' : s(o.timeToRestoreMs).trim()}; the restore by step:\n${steps(o)}`);
  }
  const m = ttrs.length === runs ? median(ttrs) : undefined;
  console.log(
    `  time to restore, median of ${runs}: ${m === undefined ? `not measured (${runs - ttrs.length} run(s) never restored)` : `${(m / 1000).toFixed(2)} s`} ` +
      `(runs ${ttrs.map((t) => (t / 1000).toFixed(2)).join(', ')} s; target < ${TTR_TARGET_MS / 1000} s: ${met(m !== undefined && m < TTR_TARGET_MS)}${m === undefined ? '' : `, ratio ${(m / TTR_TARGET_MS).toFixed(2)}`}; runbook < 5 min)`,
  );

  const { o, totalMs } = await drill('maintenance-window', 1);
  console.log(`\nhardened planned drill (maintenance-window, ${config.datasetSize} users): ${s(totalMs).trim()}, procedure ${s(o.procedure.durationMs).trim()} (budget 30 min):\n${steps(o)}`);
  // The criteria's own verdicts: the figure, its target and whether it is met, judged as the drill judges them.
  for (const [label, v] of [
    ['planned failed reads', plannedFailedReadsVerdict(o)],
    ['write freeze', writeFreezeVerdict(o)],
    ['alerts fired during the planned rollback', plannedNoAlertVerdict(o)],
  ] as const) {
    const ratio = label === 'write freeze' && typeof v.measured === 'number' ? `, ratio ${(v.measured / PLANNED_NO_IMPACT.writeFreezeMs).toFixed(2)}` : '';
    console.log(`  ${label}: ${v.measured} ${v.unit} (target ${label === 'write freeze' ? '< ' : ''}${v.budget} ${v.unit}: ${met(v.passed)}${ratio}) — ${v.evidence}`);
  }
  console.log(`  writes lost: ${o.ledger.lost}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
