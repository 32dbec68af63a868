// One drill of one scenario × variant on a fresh platform, e2e-framework style: named phases
// sharing one context, everything journalled, artifacts collected before teardown.
//   setup → baseline load → post-migration writes → seeded checksums (PostgreSQL) → probes on →
//   fault (proved effective) → [load with the fault] → procedure → validation → features →
//   load after → seeded checksums (SQLite) → monitoring window → probes off → artifacts.
// Criteria are evaluated from what this returns; nothing here decides pass or fail.
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { DrillConfig, ScenarioName, Variant } from '../config/schema.ts';
import { DECISION_MATRIX, SUCCESS_CRITERIA, type Method } from '../criteria/matrix.ts';
import { engineHeaderDisagrees } from '../criteria/verdicts.ts';
import { FAULTS } from '../faults/index.ts';
import { securityValidation, type SecurityCheck } from '../faults/security-incident.ts';
import { injectAndVerify, type Fault } from '../faults/types.ts';
import { Journal } from '../journal/journal.ts';
import { TOPOLOGY } from '../platform/manifests.ts';
import type { Platform } from '../platform/types.ts';
import { AvailabilityProbe, summarize, timeToRestore, type AvailabilitySummary, type Sample } from '../probes/availability.ts';
import { compareChecksums, takeChecksums, type ChecksumComparison, type ChecksumSnapshot } from '../probes/checksums.ts';
import { checkFeatures, type FeatureCheck } from '../probes/features.ts';
import { coverage, readPostgresKeys, readSqliteKeys, type Coverage, type LandedRead } from '../probes/landed-writes.ts';
import { checkLedger, WriteLedger, type LedgerCheck, type WriteRecord } from '../probes/ledger.ts';
import { runLoad, type LoadSummary } from '../probes/load.ts';
import { alertsCleared, evaluateTriggers, TRIGGERS, type AlertsCleared, type TriggerId, type TriggerState } from '../probes/triggers.ts';
import { recordFinding, type ProcedureContext } from '../procedures/context.ts';
import { sleep } from '../procedures/actions.ts';
import { done, notYet, poll } from '../platform/wait.ts';
import { hardenedEmergency, hardenedSecurityEmergency, HARDENED_SQLITE, seedEmergency } from '../procedures/emergency.ts';
import { hardenedPlanned, seedPlanned } from '../procedures/planned.ts';
import { hardenedValidation, seedValidation } from '../procedures/validation.ts';
import { hardenedDataRecovery, seedDataRecovery } from '../procedures/data-recovery.ts';
import { deployBaseline } from './baseline.ts';
import { openDrillPlatform, resolvePlatformName, type DrillPlatformName } from './open-platform.ts';
import { runProcedure, type Procedure, type ProcedureResult } from './procedure.ts';

export interface ScenarioOutcome {
  scenario: ScenarioName;
  method: Method;
  budgetMs: number;
  /** Errors + non-2xx share the load after the rollback may have (config errorBudget). */
  errorBudget: number;
  variant: Variant;
  journalFile: string;
  procedure: ProcedureResult;
  /** The runbook's validation checklist, run after the rollback (same variant). */
  validation: ProcedureResult;
  /** Data recovery PostgreSQL → SQLite after the rollback (full-validation rows only). */
  dataRecovery?: ProcedureResult;
  faultEvidence: string;
  /** Procedure start (the trigger) → 5 consecutive healthy answers on SQLite, for good. */
  timeToRestoreMs?: number;
  sqliteReady: number;
  availability: AvailabilitySummary;
  /**
   * The set rule over every write of the run (ledger + the load's writes) against what the SQLite
   * file the rollback targeted holds, read directly through the platform (`source`), or through the
   * app when the file could not be read (then data integrity is not measured).
   */
  ledger: LedgerCheck;
  /** Where `ledger` was read from. */
  ledgerSource: 'sqlite-file' | 'app-api';
  /** The same rule on what the app's own API reads back (a second, user-visible check). */
  apiLedger?: LedgerCheck;
  /** The direct read failed: why (data integrity is then not measured). */
  directReadError?: string;
  /** Acknowledged writes after the restore, per serving pod, and the loss rate that could be detected. */
  coverage: Coverage;
  /** Where the acknowledged writes made after the restore actually landed. */
  landed: Landed;
  /** Acknowledged writes made while PostgreSQL served (post-migration writes included). */
  okWritesOnPostgres: number;
  /** What the app said served it after the restore (x-db-engine of healthy probes): recorded, compared with `landed`. */
  enginesAfter: string[];
  /** Seeded tables: PostgreSQL before the fault vs SQLite after the rollback. */
  checksums: ChecksumComparison;
  /** Feature checks after the rollback (functionality criterion). */
  features: FeatureCheck[];
  load: { baseline?: LoadSummary; faulted?: LoadSummary; after?: LoadSummary };
  /** The runbook's automatic triggers on the availability samples (windows scaled). */
  triggers: TriggerState[];
  /** Triggers this scenario's fault must fire, before the rollback starts. */
  expectedTriggers: TriggerId[];
  /** When the procedure (the rollback) started: expected triggers must have fired before it. */
  procedureStartedAt: number;
  /** The wait for the expected triggers between the fault and the rollback. */
  detection?: { fired: TriggerId[]; missing: TriggerId[]; waitedMs: number };
  alerts: AlertsCleared;
  /** The security validation (security-incident only): credentials held, PostgreSQL cut off. */
  security?: { passed: boolean; evidence: string; checks: SecurityCheck[] };
}

export interface Landed {
  /** Acknowledged writes sent after the restore (or after the procedure, when never restored). */
  acknowledged: number;
  inSqlite: number | null;
  /** null: PostgreSQL not asked (not running) or not readable (see postgresState). */
  inPostgres: number | null;
  /**
   * In the SQLite file and not in PostgreSQL. Nothing copies SQLite → PostgreSQL, so a write found in
   * PostgreSQL was written there by the app; one found in both was copied over by a data recovery.
   */
  onlyInSqlite: number | null;
  postgresState: string;
  sqliteHow?: string;
  /** Engines the app named on those writes' answers (x-db-engine). */
  engineHeaders: Record<string, number>;
}

export interface ScenarioOptions {
  config: DrillConfig;
  scenario: ScenarioName;
  variant: Variant;
  runDir: string;
  /** Chosen by the CLI; default from config.cluster (auto → local). */
  platform?: DrillPlatformName;
  progress?: (line: string) => void;
  /** Replace the procedure (mutation tests break it on purpose). */
  procedure?: Procedure<ProcedureContext>;
  /** Runs after the baseline is up (mutation tests slow the app down here). */
  afterSetup?: (ctx: ProcedureContext) => Promise<void>;
  /** Skip the load phases (proofs that only concern the ledger). */
  skipLoad?: boolean;
  journal?: Journal;
  signal?: AbortSignal;
  /** Clean up on SIGINT/SIGTERM (drills run by the CLI, which forwards its signal to the workers). */
  handleSignals?: boolean;
  /** The CLI run's id (its report folder): the platform's run label starts with it, so what a run created is found by it. */
  runIdPrefix?: string;
}

interface ScenarioDef {
  /** null: nothing is broken (maintenance window). */
  fault: Fault | null;
  procedures: Record<Variant, () => Procedure<ProcedureContext>>;
  /** Automatic triggers the fault must fire (manual-trigger rows expect none). */
  expectedTriggers: TriggerId[];
}

const EMERGENCY = { seed: seedEmergency, hardened: hardenedEmergency };
const PLANNED = { seed: seedPlanned, hardened: hardenedPlanned };

/** Each row of the decision matrix: its fault, procedures and the automatic triggers it must fire. */
export const SCENARIO_DEFS: Record<ScenarioName, ScenarioDef> = {
  'database-corruption': { fault: FAULTS['database-corruption'], procedures: EMERGENCY, expectedTriggers: ['health-check-failures', 'postgres-unavailable'] },
  'security-incident': { fault: FAULTS['security-incident'], procedures: { seed: seedEmergency, hardened: hardenedSecurityEmergency }, expectedTriggers: ['health-check-failures'] },
  // Manual triggers in the runbook ("user impact", "major functionality broken"): none expected.
  'performance-issues': { fault: FAULTS['performance-issues'], procedures: PLANNED, expectedTriggers: [] },
  'functionality-broken': { fault: FAULTS['functionality-broken'], procedures: EMERGENCY, expectedTriggers: [] },
  'maintenance-window': { fault: null, procedures: PLANNED, expectedTriggers: [] },
};

export async function runScenario(o: ScenarioOptions): Promise<ScenarioOutcome> {
  const progress = o.progress ?? (() => undefined);
  const def = SCENARIO_DEFS[o.scenario];
  const row = DECISION_MATRIX[o.scenario];
  const fault = def.fault;
  mkdirSync(o.runDir, { recursive: true });
  const journal = o.journal ?? new Journal(path.join(o.runDir, 'journal.jsonl'));
  journal.setContext({ scenario: o.scenario, variant: o.variant });
  journal.write({ type: 'scenario.start', fault: fault?.name ?? 'none', method: row.method, budgetMs: row.budgetMs, validation: row.validation });
  const tag = `${o.scenario}-${o.variant}`;
  // Interrupted (the caller's signal, or SIGINT/SIGTERM of a drill run by the CLI while its
  // platform tears itself down): every phase stops where it is and nothing after it runs, so no
  // verdict is judged on a torn-down platform.
  const interrupt = new AbortController();
  const signal = interrupt.signal;
  const onCallerAbort = () => interrupt.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const onProcessSignal = (sig: NodeJS.Signals) => interrupt.abort(new Error(`interrupted by ${sig}`));
  if (o.handleSignals) for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onProcessSignal);
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    signal.throwIfAborted();
    const t0 = Date.now();
    journal.write({ type: 'phase.start', phase: name });
    progress(`▶ ${name}`);
    try {
      return await fn();
    } finally {
      journal.write({ type: 'phase.end', phase: name, durationMs: Date.now() - t0 });
    }
  };

  // A platform or baseline that cannot be set up is an infrastructure error, not a failed rollback:
  // journalled as such, so the CLI exits 3 rather than 1.
  const setupFailed = (what: string) => (err: unknown): never => {
    // An interrupted set-up is an abort, not a failure to set up.
    if (!signal.aborted) {
      const message = err instanceof Error ? err.message : String(err);
      journal.write({ type: 'log', level: 'error', cause: 'setup', message: `${what} could not be set up: ${message}` });
    }
    throw err;
  };
  await using drill = await phase('provision', () => openDrillPlatform({ config: o.config, platform: o.platform, runDir: o.runDir, runIdPrefix: o.runIdPrefix, progress, handleSignals: o.handleSignals })).catch(
    setupFailed(`the ${resolvePlatformName(o.config, o.platform)} platform`),
  );
  const { platform, image } = drill;
  // The fault once injected (set before inject: a fault half applied is cleared too) and its context.
  let injected: { fault: Fault; ctx: ProcedureContext } | undefined;
  try {
    await phase('setup', () => deployBaseline({ platform, journal, image, datasetSize: o.config.datasetSize, progress, signal })).catch(
      setupFailed('the baseline (PostgreSQL, app 3/3, seeded and migrated data)'),
    );
    const serviceUrl = await platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
    const ctx: ProcedureContext = { platform, journal, config: o.config, runId: platform.runId, runDir: o.runDir, serviceUrl, image, progress, state: {} };
    await o.afterSetup?.(ctx);

    const load: ScenarioOutcome['load'] = {};
    // The load writes too (unique keys, every one recorded): all of them are checked in the database at the end.
    const loadPrefix = `load-${platform.runId}-`;
    const loadWrites: WriteRecord[] = [];
    const loadPhase = async (name: 'baseline' | 'faulted' | 'after') => {
      if (o.skipLoad) return undefined;
      return phase(`load-${name}`, async () => {
        const file = path.join(o.runDir, `load-${name}-${tag}.jsonl`);
        progress(`  autocannon ${o.config.loadDurationSec} s × ${o.config.loadConnections} connections (${name}, ${Math.round(o.config.writeRatio * 100)} % writes)`);
        const s = await runLoad({
          baseUrl: serviceUrl,
          durationSec: o.config.loadDurationSec,
          connections: o.config.loadConnections,
          phase: name,
          samplesFile: file,
          signal,
          writes: { ratio: o.config.writeRatio, prefix: `${loadPrefix}${name}-`, records: loadWrites },
        });
        journal.write({ type: 'probe.samples', probe: `load-${name}`, file: path.basename(file), count: s.requests });
        journal.write({ type: 'probe.summary', probe: 'load', summary: { ...s } });
        progress(`  ${name}: p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.rps} req/s, ${s.errors} errors, ${s.non2xx} non-2xx${s.writes ? `, ${s.writes.ok}/${s.writes.attempted} writes acknowledged` : ''}`);
        return s;
      });
    };
    load.baseline = await loadPhase('baseline');

    await using ledger = new WriteLedger({ baseUrl: serviceUrl, runId: platform.runId, rate: 20 });
    const before = await phase('pre-fault-writes', async () => {
      progress(`  ${o.config.postMigrationWrites} post-migration writes on PostgreSQL`);
      for (let i = 0; i < o.config.postMigrationWrites; i++) await ledger.write();
      // Seeded tables as they stand on PostgreSQL before anything breaks (no writes in flight).
      // A loop, not Math.max(...spread): a million post-migration writes would overflow the call stack.
      const maxUserId = ledger.writes.reduce((m, w) => Math.max(m, w.id ?? 0), o.config.datasetSize);
      return takeChecksums(platform, image, 'postgres', { users: maxUserId }, signal).catch((err: Error) => err);
    });
    if (before instanceof Error) journal.write({ type: 'log', level: 'error', message: `checksum before the fault: ${before.message}` });

    await using avail = new AvailabilityProbe({ baseUrl: serviceUrl }).start();
    ledger.start();
    await sleep(1_000);

    let faultAt: number | undefined;
    const effect = fault
      ? await phase('fault', () => {
          faultAt = Date.now();
          injected = { fault, ctx };
          return injectAndVerify(fault, ctx);
        })
      : { effective: true, evidence: 'no fault: maintenance window' };
    if (o.scenario === 'performance-issues') load.faulted = await loadPhase('faulted');

    // The runbook's automatic triggers are what start an emergency rollback: wait until the ones this
    // fault must fire have fired on the live probe samples (bounded by their scaled windows), so a
    // trigger is credited for detecting the fault, not for the rollback's own downtime.
    const detection = faultAt !== undefined && def.expectedTriggers.length > 0 ? await phase('detection', () => waitForTriggers(avail, def.expectedTriggers, { timeScale: o.config.timeScale, faultAt: faultAt!, signal, progress })) : undefined;
    const triggerAt = Date.now();
    const procedure = await phase('procedure', () => runProcedure(o.procedure ?? def.procedures[o.variant](), ctx, { journal, progress, signal }));
    const rollbackEndAt = procedure.startedAt + procedure.durationMs;
    // Restored (or given up on): write faster, so the restored engine takes enough writes per pod to show a small loss rate.
    ledger.setRate(o.config.postRestoreWriteRate);
    const validation = await phase('validation', () =>
      runProcedure(o.variant === 'seed' ? seedValidation() : hardenedValidation(), ctx, { journal, progress, signal }),
    );
    const dataRecovery =
      row.validation === 'full validation'
        ? await phase('data-recovery', () => runProcedure(o.variant === 'seed' ? seedDataRecovery() : hardenedDataRecovery(), ctx, { journal, progress, signal }))
        : undefined;
    const security = o.scenario === 'security-incident' ? await phase('security-validation', () => securityValidation({ platform, image, signal })) : undefined;
    if (security) {
      journal.write({ type: 'probe.summary', probe: 'security-validation', summary: Object.fromEntries(security.checks.map((c) => [c.name, `${c.passed ? 'ok' : 'FAILED'}: ${c.evidence}`])) });
      progress(`  security validation: ${security.evidence}`);
    }

    const sqliteDep = ctx.state.sqliteDeployment ?? HARDENED_SQLITE;
    const features = await phase('features', () => checkFeatures({ platform, serviceUrl, deployment: sqliteDep, engine: 'sqlite', signal }));
    journal.write({ type: 'probe.summary', probe: 'features', summary: Object.fromEntries(features.map((f) => [f.id, f.passed ? 'ok' : `FAILED: ${f.evidence}`])) });
    for (const f of features) progress(`  ${f.passed ? '✓' : '✗'} ${f.id}: ${f.evidence}`);
    load.after = await loadPhase('after');

    const after = await phase('checksums', async () => {
      if (before instanceof Error) return compareChecksums(undefined, undefined, before.message);
      const snap: ChecksumSnapshot | Error = await takeChecksums(platform, image, 'sqlite', before.maxIds, signal).catch((err: Error) => err);
      return snap instanceof Error ? compareChecksums(before, undefined, snap.message) : compareChecksums(before, snap);
    });
    journal.write({ type: 'probe.summary', probe: 'checksums', summary: { equal: after.equal, mismatched: after.mismatched.join(', ') || 'none', evidence: after.evidence } });

    // Monitoring: the probes run until 10 (scaled) minutes after the rollback, so "all alerts
    // cleared" is judged on measurements that reach that far.
    const clearBy = rollbackEndAt + SUCCESS_CRITERIA.alertsClearedMs / o.config.timeScale + 500;
    if (Date.now() < clearBy) await phase('monitoring', () => sleep(clearBy - Date.now(), signal));
    const samples: Sample[] = await avail.stop();
    await ledger.stop();
    // Let in-flight writes settle before reading everything back.
    await sleep(1_000, signal);

    const sqliteReady = (await platform.getDeploymentStatus(TOPOLOGY.namespace, sqliteDep).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
    const allWrites = [...ledger.writes, ...loadWrites];
    const prefixes = [ledger.prefix, loadPrefix];
    const readBack = await phase('read-back', () => readWhereWritesLanded({ platform, journal, sqliteDep, prefixes, signal, api: () => Promise.all(prefixes.map((p) => ledger.readBack(p))).then((r) => r.flat()) }));
    const direct = readBack.sqlite instanceof Error ? undefined : checkLedger(allWrites, readBack.sqlite.keys);
    const apiLedger = readBack.api instanceof Error ? undefined : checkLedger(allWrites, readBack.api);
    const check = direct ?? apiLedger ?? checkLedger(allWrites, []);
    const availability = summarize(samples);
    const samplesFile = path.join(o.runDir, `availability-${tag}.jsonl`);
    writeFileSync(samplesFile, samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
    journal.write({ type: 'probe.samples', probe: 'availability', file: path.basename(samplesFile), count: samples.length });
    const ttr = timeToRestore(samples, triggerAt, 'sqlite', 5);
    journal.write({ type: 'probe.summary', probe: 'availability', summary: { ...availability, longestFailureRun: availability.longestFailureRun.count, longestFailureRunMs: availability.longestFailureRun.ms, timeToRestoreMs: ttr } });

    const triggers = evaluateTriggers(samples, { timeScale: o.config.timeScale, faultAt });
    for (const t of triggers) journal.write({ type: 'trigger', trigger: t.id, firedAt: t.firedAt, clearedAt: t.clearedAt, detail: `${t.title}: ${t.evidence}` });
    const alerts = alertsCleared(triggers, samples, rollbackEndAt, o.config.timeScale);
    // Which engine serves once restored; if never restored, what served after the procedure ended.
    const from = ttr !== undefined ? triggerAt + ttr : rollbackEndAt;
    const enginesAfter = samples.filter((s) => s.t >= from && s.status === 200).map((s) => s.engine ?? '?');
    const postRestore = allWrites.filter((w) => w.outcome === 'ok' && w.t >= from);
    const cov = coverage(postRestore.map((w) => w.pod), sqliteReady, o.config.minWritesPerPod);
    journal.write({
      type: 'probe.summary',
      probe: 'ledger',
      summary: {
        ...check,
        source: direct ? 'sqlite-file' : 'app-api',
        ...(apiLedger ? { apiLost: apiLedger.lost, apiDuplicated: apiLedger.duplicated, apiUnexpected: apiLedger.unexpected } : {}),
        // Coverage of the restored engine, beside the counts it qualifies.
        minPerPod: cov.minPerPod,
        detectableLoss: cov.detectableLossRate,
      },
    });
    const landed = landedAfter(postRestore, readBack);
    journal.write({ type: 'probe.summary', probe: 'coverage', summary: { ...cov, okByPod: JSON.stringify(cov.okByPod) } });
    journal.write({ type: 'probe.summary', probe: 'landed', summary: { ...landed, engineHeaders: JSON.stringify(landed.engineHeaders) } });
    if (engineHeaderDisagrees({ landed, enginesAfter })) {
      recordFinding(
        { journal },
        'engineHeaderLies',
        `after the restore the app said ${[...new Set(enginesAfter)].join(', ')}, but of ${landed.acknowledged} acknowledged writes ${landed.inSqlite ?? '?'} landed in the SQLite file and ${landed.inPostgres ?? '?'} in PostgreSQL`,
        true,
      );
    }
    progress(
      `  writes after the restore: ${postRestore.length} acknowledged, min ${cov.minPerPod}/pod (a ${(cov.detectableLossRate * 100).toFixed(2)} % per-pod loss rate detectable at 95 %); ` +
        `in the SQLite file ${landed.inSqlite ?? '?'}, in PostgreSQL ${landed.inPostgres ?? `? (${landed.postgresState})`}`,
    );
    return {
      scenario: o.scenario,
      method: row.method,
      budgetMs: row.budgetMs,
      errorBudget: o.config.errorBudget,
      variant: o.variant,
      journalFile: journal.file,
      procedure,
      validation,
      dataRecovery,
      faultEvidence: effect.evidence,
      timeToRestoreMs: ttr,
      sqliteReady,
      availability,
      ledger: check,
      ledgerSource: direct ? 'sqlite-file' : 'app-api',
      apiLedger,
      directReadError: readBack.sqlite instanceof Error ? readBack.sqlite.message : undefined,
      coverage: cov,
      landed,
      okWritesOnPostgres: allWrites.filter((w) => w.outcome === 'ok' && w.engine === 'postgres').length,
      enginesAfter: [...new Set(enginesAfter)],
      checksums: after,
      features,
      load,
      triggers,
      expectedTriggers: def.expectedTriggers,
      procedureStartedAt: triggerAt,
      detection,
      alerts,
      security,
    };
  } finally {
    o.signal?.removeEventListener('abort', onCallerAbort);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onProcessSignal);
    // Artifacts before teardown, whether the drill passed, failed or threw.
    if (platform.collectArtifacts) {
      const paths = await platform.collectArtifacts(path.join(o.runDir, 'artifacts', tag)).catch((err: Error) => {
        journal.write({ type: 'log', level: 'warn', message: `artifacts not collected: ${err.message}` });
        return [] as string[];
      });
      for (const p of paths) journal.write({ type: 'artifact', kind: 'platform', path: p });
    }
    // Then the fault is cleared (chaostoolkit's rollbacks: always run), unless the run was
    // interrupted and its platform is going away; journalled either way.
    if (injected && !signal.aborted) await clearFault(injected.fault, injected.ctx, journal, progress);
  }
}

const CLEAR_TIMEOUT_MS = 30_000;

async function clearFault(fault: Fault, ctx: ProcedureContext, journal: Journal, progress: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fault.clear(ctx),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CLEAR_TIMEOUT_MS / 1000} s`)), CLEAR_TIMEOUT_MS))),
    ]);
    journal.write({ type: 'fault.clear', fault: fault.name, detail });
    progress(`  fault ${fault.name} cleared: ${detail}`);
  } catch (err) {
    journal.write({ type: 'log', level: 'warn', message: `fault ${fault.name} could not be cleared: ${(err as Error).message}` });
  } finally {
    clearTimeout(timer);
  }
}

interface ReadBack {
  sqlite: LandedRead | Error;
  postgres: LandedRead | Error | 'not running';
  api: string[] | Error;
}

/** The run's keys read from the SQLite file (exec in the serving pods), from PostgreSQL when it runs, and through the app. */
async function readWhereWritesLanded(o: {
  platform: Platform;
  journal: Journal;
  sqliteDep: string;
  prefixes: string[];
  signal?: AbortSignal;
  api: () => Promise<string[]>;
}): Promise<ReadBack> {
  const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
  const sqlite = await readSqliteKeys(o.platform, o.sqliteDep, o.prefixes, { signal: o.signal }).catch(asError);
  const pgReady = (await o.platform.getDeploymentStatus(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
  const postgres = pgReady > 0 ? await readPostgresKeys(o.platform, o.prefixes, { signal: o.signal }).catch(asError) : ('not running' as const);
  const api = await o.api().catch(asError);
  for (const [what, r] of [['the SQLite file', sqlite], ['PostgreSQL', postgres], ['the app API', api]] as const) {
    if (r instanceof Error) o.journal.write({ type: 'log', level: 'error', message: `read-back from ${what} failed: ${r.message}` });
  }
  return { sqlite, postgres, api };
}

/** Of the writes acknowledged after the restore: how many are in the SQLite file, how many in PostgreSQL. */
function landedAfter(postRestore: readonly WriteRecord[], r: ReadBack): Landed {
  const count = (keys: readonly string[], except: readonly string[] = []) => {
    const set = new Set(keys);
    const not = new Set(except);
    return postRestore.filter((w) => set.has(w.email) && !not.has(w.email)).length;
  };
  const pgKeys = r.postgres === 'not running' || r.postgres instanceof Error ? [] : r.postgres.keys;
  const engineHeaders: Record<string, number> = {};
  for (const w of postRestore) engineHeaders[w.engine ?? 'none'] = (engineHeaders[w.engine ?? 'none'] ?? 0) + 1;
  return {
    acknowledged: postRestore.length,
    inSqlite: r.sqlite instanceof Error ? null : count(r.sqlite.keys),
    onlyInSqlite: r.sqlite instanceof Error ? null : count(r.sqlite.keys, pgKeys),
    sqliteHow: r.sqlite instanceof Error ? `not readable: ${r.sqlite.message}` : r.sqlite.how,
    inPostgres: r.postgres === 'not running' || r.postgres instanceof Error ? null : count(r.postgres.keys),
    postgresState: r.postgres === 'not running' ? 'not running (0 ready)' : r.postgres instanceof Error ? `not readable: ${r.postgres.message}` : r.postgres.how,
    engineHeaders,
  };
}

/** Polls the live availability samples until every expected trigger has fired, or its scaled window (+ 5 s) has passed. */
async function waitForTriggers(
  avail: AvailabilityProbe,
  expected: readonly TriggerId[],
  o: { timeScale: number; faultAt: number; signal?: AbortSignal; progress: (line: string) => void },
): Promise<{ fired: TriggerId[]; missing: TriggerId[]; waitedMs: number }> {
  const deadline = o.faultAt + Math.max(...expected.map((id) => TRIGGERS[id].windowMs)) / o.timeScale + 5_000;
  const seen = () => {
    const states = evaluateTriggers(avail.samples, { timeScale: o.timeScale, faultAt: o.faultAt });
    const fired = expected.filter((id) => states.find((s) => s.id === id)?.firedAt !== undefined);
    return { fired, missing: expected.filter((id) => !fired.includes(id)) };
  };
  // A timeout is an answer here (the rollback starts anyway, as a manual trigger), not an error.
  const r = await poll(() => {
    const s = seen();
    return s.missing.length === 0 ? done(s) : notYet(s);
  }, { describe: `triggers ${expected.join(', ')} to fire`, timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 200, signal: o.signal });
  const { fired, missing } = r.done ? r.value : r.state;
  o.progress(missing.length ? `  ✗ trigger(s) not fired after ${((Date.now() - o.faultAt) / 1000).toFixed(1)} s: ${missing.join(', ')}; the rollback starts anyway (manual trigger)` : `  ⚑ trigger(s) fired: ${fired.join(', ')}`);
  return { fired, missing, waitedMs: r.elapsedMs };
}
