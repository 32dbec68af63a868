// Bench `drill`: wall time of a full hardened emergency drill (database-corruption) on the local
// platform, split by phase, with the measured time to restore.
//   npx tsx bench/drill.ts [--dataset-size 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDrillConfig } from '../harness/config/schema.ts';
import { runScenario } from '../harness/drill/run-scenario.ts';
import { readJournal } from '../harness/journal/journal.ts';

const { values } = parseArgs({ options: { 'dataset-size': { type: 'string', default: '10000' } } });
const dir = mkdtempSync(path.join(tmpdir(), 'bench-drill-'));
try {
  const config = parseDrillConfig({ cluster: 'local', datasetSize: Number(values['dataset-size']) });
  const t0 = Date.now();
  const o = await runScenario({ config, scenario: 'database-corruption', variant: 'hardened', runDir: dir });
  const total = Date.now() - t0;
  const events = readJournal(o.journalFile);
  const setup = events.find((e) => e.type === 'phase.end' && e.phase === 'setup');
  const fault = events.find((e) => e.type === 'fault.effective');
  const procStart = events.find((e) => e.type === 'step.start');
  const setupMs = setup && setup.type === 'phase.end' ? (setup.durationMs ?? 0) : 0;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`full hardened emergency drill (database-corruption, ${config.datasetSize} users, local platform): ${s(total)}`);
  console.log(`  set-up (deploy, seed, forward migration)   ${s(setupMs)}`);
  console.log(`  writes + probes + fault until effective    ${s((fault?.t ?? 0) - (setup?.t ?? 0))}`);
  console.log(`  procedure (${o.procedure.steps.length} steps)                      ${s(o.procedure.durationMs)}`);
  console.log(`  settle, read-back, artifacts, teardown      ${s(total - setupMs - ((procStart?.t ?? 0) - (setup?.t ?? 0)) - o.procedure.durationMs)}`);
  console.log(`  time to restore (trigger → 5 healthy SQLite answers): ${o.timeToRestoreMs === undefined ? 'never' : s(o.timeToRestoreMs)}   (target < 10 s locally; runbook < 5 min)`);
  console.log(`  downtime ${s(o.availability.downtimeMs)}, lost writes ${o.ledger.lost} of ${o.ledger.ok}`);
  console.log(`  target: full drill < 60 s: ${total < 60_000 ? 'met' : 'MISSED'} (no load phase in this build yet)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
