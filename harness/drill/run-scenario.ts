// One drill of one scenario × variant on a fresh platform: baseline → probes → fault → procedure
// → recovery measurements, all journalled. Criteria are evaluated from what this returns.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { DrillConfig, ScenarioName, Variant } from '../config/schema.ts';
import { databaseCorruption } from '../faults/database-corruption.ts';
import { injectAndVerify, type Fault } from '../faults/types.ts';
import { Journal } from '../journal/journal.ts';
import { createLocalPlatform } from '../platform/local/index.ts';
import { TOPOLOGY } from '../platform/manifests.ts';
import { AvailabilityProbe, summarize, timeToRestore, type AvailabilitySummary, type Sample } from '../probes/availability.ts';
import { checkLedger, WriteLedger, type LedgerCheck } from '../probes/ledger.ts';
import type { ProcedureContext } from '../procedures/context.ts';
import { hardenedEmergency, seedEmergency } from '../procedures/emergency.ts';
import { hardenedPlanned, seedPlanned } from '../procedures/planned.ts';
import { runProcedure, type Procedure, type ProcedureResult } from './procedure.ts';
import { deployBaseline } from './baseline.ts';

export interface ScenarioOutcome {
  scenario: ScenarioName;
  method: 'emergency' | 'planned';
  budgetMs: number;
  variant: Variant;
  journalFile: string;
  procedure: ProcedureResult;
  faultEvidence: string;
  /** Procedure start (the trigger) → 5 consecutive healthy answers on SQLite, for good. */
  timeToRestoreMs?: number;
  sqliteReady: number;
  availability: AvailabilitySummary;
  ledger: LedgerCheck;
  /** Acknowledged writes made while PostgreSQL served (post-migration writes included). */
  okWritesOnPostgres: number;
  enginesAfter: string[];
}

export interface ScenarioOptions {
  config: DrillConfig;
  scenario: ScenarioName;
  variant: Variant;
  runDir: string;
  progress?: (line: string) => void;
  /** Replace the procedure (mutation tests break it on purpose). */
  procedure?: Procedure<ProcedureContext>;
  journal?: Journal;
}

interface ScenarioDef {
  method: 'emergency' | 'planned';
  budgetMs: number;
  validation: string;
  /** null: nothing is broken (maintenance window). */
  fault: Fault | null;
  procedures: Record<Variant, () => Procedure<ProcedureContext>>;
}

/** The rows of the decision matrix drillable in this build. */
export const SCENARIO_DEFS: Partial<Record<ScenarioName, ScenarioDef>> = {
  'database-corruption': { method: 'emergency', budgetMs: 5 * 60_000, validation: 'health check', fault: databaseCorruption, procedures: { seed: seedEmergency, hardened: hardenedEmergency } },
  'maintenance-window': { method: 'planned', budgetMs: 60 * 60_000, validation: 'full validation', fault: null, procedures: { seed: seedPlanned, hardened: hardenedPlanned } },
};

export async function runScenario(o: ScenarioOptions): Promise<ScenarioOutcome> {
  const progress = o.progress ?? (() => undefined);
  const def = SCENARIO_DEFS[o.scenario];
  if (!def) throw new Error(`scenario ${o.scenario} is not drillable in this build`);
  const fault = def.fault;
  const makeProcedure = def.procedures[o.variant];
  mkdirSync(o.runDir, { recursive: true });
  const journal = o.journal ?? new Journal(path.join(o.runDir, 'journal.jsonl'));
  journal.setContext({ scenario: o.scenario, variant: o.variant });
  journal.write({ type: 'scenario.start', fault: fault?.name ?? 'none', method: def.method, budgetMs: def.budgetMs, validation: def.validation });
  const started = Date.now();

  await using platform = await createLocalPlatform({ progress, images: o.config.images });
  journal.write({ type: 'phase.start', phase: 'setup' });
  await deployBaseline({ platform, journal, image: TOPOLOGY.appImage, datasetSize: o.config.datasetSize, progress });
  const serviceUrl = await platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
  journal.write({ type: 'phase.end', phase: 'setup', durationMs: Date.now() - started });

  await using ledger = new WriteLedger({ baseUrl: serviceUrl, runId: platform.runId, rate: 20 });
  progress(`  ${o.config.postMigrationWrites} post-migration writes on PostgreSQL`);
  for (let i = 0; i < o.config.postMigrationWrites; i++) await ledger.write();
  await using avail = new AvailabilityProbe({ baseUrl: serviceUrl }).start();
  ledger.start();
  await sleep(1_000);

  const ctx: ProcedureContext = {
    platform,
    journal,
    config: o.config,
    runId: platform.runId,
    runDir: o.runDir,
    serviceUrl,
    image: TOPOLOGY.appImage,
    progress,
    scratch: new Map(),
  };
  const effect = fault ? await injectAndVerify(fault, ctx) : { effective: true, evidence: 'no fault: maintenance window' };
  const trigger = Date.now();
  const procedure = await runProcedure(o.procedure ?? makeProcedure(), ctx, { journal, progress });
  // Let the service settle under writes and probes before judging recovery.
  await sleep(3_000);
  await ledger.stop();
  const samples: Sample[] = await avail.stop();
  const sqliteDep = (ctx.scratch.get('sqliteDeployment') as string | undefined) ?? 'hyperpage-sqlite';
  const sqliteReady = (await platform.getDeploymentStatus(TOPOLOGY.namespace, sqliteDep).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
  const found = await ledger.readBack().catch((err: Error) => {
    journal.write({ type: 'log', level: 'error', message: `ledger read-back failed: ${err.message}` });
    return [] as string[];
  });
  const check = checkLedger(ledger.writes, found);
  const availability = summarize(samples);
  const samplesFile = path.join(o.runDir, `availability-${o.scenario}-${o.variant}.jsonl`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(samplesFile, samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  journal.write({ type: 'probe.samples', probe: 'availability', file: path.basename(samplesFile), count: samples.length });
  const ttr = timeToRestore(samples, trigger, 'sqlite', 5);
  journal.write({ type: 'probe.summary', probe: 'availability', summary: { ...availability, longestFailureRun: availability.longestFailureRun.count, longestFailureRunMs: availability.longestFailureRun.ms, timeToRestoreMs: ttr } });
  journal.write({ type: 'probe.summary', probe: 'ledger', summary: { ...check } });
  // Which engine serves once restored; if never restored, what served after the procedure ended.
  const from = ttr !== undefined ? trigger + ttr : procedure.startedAt + procedure.durationMs;
  const after = samples.filter((s) => s.t >= from && s.status === 200).map((s) => s.engine ?? '?');
  if (platform.collectArtifacts) {
    for (const p of await platform.collectArtifacts(path.join(o.runDir, 'artifacts', `${o.scenario}-${o.variant}`))) journal.write({ type: 'artifact', kind: 'platform', path: p });
  }
  return {
    scenario: o.scenario,
    method: def.method,
    budgetMs: def.budgetMs,
    variant: o.variant,
    journalFile: journal.file,
    procedure,
    faultEvidence: effect.evidence,
    timeToRestoreMs: ttr,
    sqliteReady,
    availability,
    ledger: check,
    okWritesOnPostgres: ledger.writes.filter((w) => w.outcome === 'ok' && w.engine === 'postgres').length,
    enginesAfter: [...new Set(after)],
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
