// Bench `drill`: wall time of a full hardened emergency drill (database-corruption) on the local
// platform, split by phase (from the journal), with the measured time to restore.
//   npx tsx bench/drill.ts [--dataset-size 10000] [--load-duration 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCriteria } from '../harness/criteria/registry.ts';
import { criterionVerdicts } from '../harness/drill/judge.ts';
import { parseDrillConfig } from '../harness/config/parse.ts';
import { runScenario } from '../harness/drill/run-scenario.ts';
import { readJournal } from '../harness/journal/journal.ts';
import { loadScenarios } from '../harness/scenarios/registry.ts';
import { goodRps } from '../harness/kit/good-rps.ts';

const { values } = parseArgs({ options: { 'dataset-size': { type: 'string', default: '10000' }, 'load-duration': { type: 'string', default: '10' } } });
const dir = mkdtempSync(path.join(tmpdir(), 'bench-drill-'));
try {
  const config = parseDrillConfig({ cluster: 'local', datasetSize: Number(values['dataset-size']), loadDurationSec: Number(values['load-duration']) });
  const t0 = Date.now();
  const o = await runScenario({ config, scenario: 'database-corruption', variant: 'hardened', runDir: dir });
  const total = Date.now() - t0;
  const phases = new Map<string, number>();
  for (const e of readJournal(o.journalFile)) if (e.type === 'phase.end') phases.set(e.phase, (phases.get(e.phase) ?? 0) + (e.durationMs ?? 0));
  const p = (...names: string[]) => names.reduce((sum, n) => sum + (phases.get(n) ?? 0), 0);
  const s = (ms: number) => `${(ms / 1000).toFixed(1).padStart(5)} s`;
  const split: [string, number][] = [
    ['set-up (provision, deploy, seed, forward migration)', p('provision', 'setup')],
    ['writes + seeded checksums + fault until effective', p('pre-fault-writes', 'fault')],
    ['detection (the fault\'s expected triggers fire)', p('detection')],
    [`procedure (${o.procedure.steps.length} steps)`, p('procedure')],
    ['validation (checklist + feature checks + checksums)', p('validation', 'features', 'checksums')],
    [`load (baseline + after, ${config.loadDurationSec} s each, + capacity burst)`, p('load-baseline', 'load-faulted', 'load-after', 'capacity-after')],
    ['monitoring window (alerts cleared)', p('monitoring')],
  ];
  const named = split.reduce((sum, [, ms]) => sum + ms, 0);
  split.push(['read-back (SQLite file, PostgreSQL, app API)', p('read-back')]);
  split.push(['settle, artifacts, teardown', total - named - p('read-back')]);
  console.log(`full hardened emergency drill (database-corruption, ${config.datasetSize} users, local platform): ${s(total).trim()}`);
  for (const [label, ms] of split) console.log(`  ${label.padEnd(56)} ${s(ms)}`);
  console.log(`  time to restore (trigger → 5 healthy SQLite answers): ${o.timeToRestoreMs === undefined ? 'never' : s(o.timeToRestoreMs).trim()}   (target < 10 s locally; runbook < 5 min)`);
  // The restore by step (issue 23 asks for < 1.5 s): where the procedure's time goes.
  for (const st of o.procedure.steps) console.log(`    ${st.step.padEnd(70)} ${s(st.durationMs)}`);
  console.log(`  downtime ${s(o.availability.downtimeMs).trim()}, lost writes ${o.ledger.lost} of ${o.ledger.ok} (read from the ${o.ledgerSource}), p99 before ${o.load.baseline?.p99 ?? '-'} ms → after ${o.load.after?.p99 ?? '-'} ms`);
  const after = o.load.after;
  if (after?.corrected && after.rate)
    console.log(`  load after the rollback, open loop at ${after.rate.target} req/s: ${after.rate.achieved} answered (${((after.rate.achieved / after.rate.target) * 100).toFixed(1)} %, target ≥ 95 %), p99 ${after.p99} ms from the send vs ${after.corrected.p99} ms corrected (gap ×${(after.corrected.p99 / Math.max(after.p99, 0.01)).toFixed(2)}), ${after.rate.late} late; capacity ${o.load.capacityBefore ? goodRps(o.load.capacityBefore) : '-'} → ${o.load.capacityAfter ? goodRps(o.load.capacityAfter) : '-'} req/s answered 2xx, closed loop`);
  console.log(`  writes after the restore: ${o.landed.acknowledged} acknowledged, min ${o.coverage.minPerPod}/pod → a ${(o.coverage.detectableLossRate * 100).toFixed(2)} % per-pod loss rate detectable at 95 % (target ≥ ${o.coverage.minRequired}/pod: ${o.coverage.sufficient ? 'met' : 'MISSED'})`);
  console.log(`  criteria: ${criterionVerdicts(o, (await loadScenarios()).get('database-corruption'), await loadCriteria()).map((v) => `${v.id} ${v.passed ? 'met' : 'FAILED'}`).join(', ')}`);
  console.log(`  target full drill < 60 s with a ${config.loadDurationSec} s load phase: ${total < 60_000 ? 'met' : 'MISSED'} (ratio ${(total / 60_000).toFixed(2)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
