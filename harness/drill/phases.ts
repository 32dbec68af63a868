// The drill's phases, in order, as data: each has an id (journalled as phase.start/phase.end), an
// optional `when` (a row's optional phases, skipped load), and a `run` over the shared DrillState.
// runScenario runs them one after the other and then its finally stage (finally.ts); the outcome is
// built from the state afterwards (outcome.ts). Nothing here decides pass or fail.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { SUCCESS_CRITERIA } from '../criteria/matrix.ts';
import { securityValidation } from '../faults/security-incident.ts';
import { injectAndVerify } from '../faults/types.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { AvailabilityProbe } from '../probes/availability.ts';
import { RouteWatch } from '../probes/route-watch.ts';
import { StabilityWatch } from '../probes/stability.ts';
import { compareReplay, recordBaseline, replay, type DifferentialBaseline } from '../probes/differential.ts';
import { differenceInWords } from '../kit/json-diff.ts';
import { recordFinding } from '../kit/findings.ts';
import { soakOf } from '../model/drill-config.ts';
import { compareChecksums, takeChecksums } from '../probes/checksums.ts';
import { type ChecksumSnapshot } from '../model/measurements.ts';
import { checkFeatures } from '../kit/features.ts';
import { WriteLedger } from '../probes/ledger.ts';
import { runLoad } from '../probes/load.ts';
import { sleep } from '../kit/wait.ts';
import { hardenedDataRecovery, seedDataRecovery } from '../procedures/data-recovery.ts';
import { hardenedValidation, seedValidation } from '../procedures/validation.ts';
import { hasPhase } from '../scenarios/spec.ts';
import { type ScenarioSpec } from '../model/scenario.ts';
import { deployBaseline } from './baseline.ts';
import { waitForTriggers } from './detection.ts';
import { runProcedure } from './procedure.ts';
import { readWhereWritesLanded } from './read-back.ts';
import { openRegisterLedger, registerPreFaultWrites, registerReadBackPhase } from './register-phases.ts';
import { PREFLIGHT_PHASE } from './preflight-phase.ts';
import type { DrillState } from './state.ts';
import { clearFault } from './clear-fault.ts';
import { systemLinesSince, systemLogCursor } from './system-logs.ts';
import { fixedLoadRate } from './load-rate.ts';
import { ScenarioSpecError } from '../scenarios/spec.ts';

export interface Phase {
  id: string;
  /** Absent: always runs. */
  when?: (spec: ScenarioSpec, s: DrillState) => boolean;
  run(s: DrillState): Promise<void>;
  /** A failure here is the platform's or the baseline's, not the rollback's (the CLI exits 3). */
  setup?: string;
}

/** Differences journalled as findings, each (the criterion's evidence counts them all). */
const DIFFERENCE_FINDINGS = 10;

/** The closed-loop capacity bursts' connections: many, so latency alone does not limit them. */
export const CAPACITY_CONNECTIONS = 128;

/**
 * One load phase (reads and unique-key writes, or register writes, every write recorded for the
 * read-back). The baseline and the capacity burst are closed loop (autocannon: the most the service
 * takes); with the fault in place and after the rollback the load comes at a fixed rate (load-rate.ts).
 */
function loadPhase(name: 'baseline' | 'faulted' | 'after' | 'capacityBefore' | 'capacityAfter', when?: Phase['when']): Phase {
  const capacity = name === 'capacityBefore' || name === 'capacityAfter';
  const id = name === 'capacityBefore' ? ('capacity-before' as const) : name === 'capacityAfter' ? ('capacity-after' as const) : (`load-${name}` as const);
  return {
    id,
    when: (spec, s) => !s.o.skipLoad && (when?.(spec, s) ?? true),
    async run(s) {
      const c = s.config;
      const file = path.join(s.o.runDir, `${id}-${s.tag}.jsonl`);
      const register = s.target.workload.model === 'register';
      // A register's initial values are read before its first write, whichever phase makes it.
      if (register) await openRegisterLedger(s);
      const prefix = `${s.loadPrefix}${name}-`;
      const rate = name === 'faulted' || name === 'after' ? fixedLoadRate(c, s.target, s.load.baseline) : undefined;
      // A short burst: enough to see the capacity, not a second load phase.
      const durationSec = capacity ? Math.min(c.loadDurationSec, 5) : c.loadDurationSec;
      // Enough connections that a slower answer does not pass for less capacity (150 ms × 128 connections ≈ 850 req/s).
      const connections = capacity ? CAPACITY_CONNECTIONS : c.loadConnections;
      const how = rate ? `open loop at ${rate.target} req/s (${rate.source})` : `closed loop, ${connections} connections`;
      s.progress(`  load ${durationSec} s, ${how} (${name}, ${Math.round(c.writeRatio * 100)} % writes)`);
      const startedAt = Date.now();
      const r = await runLoad({
        baseUrl: s.serviceUrl,
        durationSec,
        connections,
        phase: name,
        target: s.target,
        samplesFile: file,
        signal: s.signal,
        ...(rate ? { rate } : {}),
        ...(register ? { registerWrites: { ratio: c.writeRatio, prefix, records: s.loadRegisterWrites, keys: s.registerLedger.loadKeys, valueSeed: s.valueSeed } } : { writes: { ratio: c.writeRatio, prefix, records: s.loadWrites, valueSeed: s.valueSeed } }),
      });
      s.journal.write({ type: 'probe.samples', probe: id, file: path.basename(file), count: r.requests });
      s.journal.write({ type: 'probe.summary', probe: 'load', summary: { ...r } });
      const corrected = r.corrected ? `, corrected p99 ${r.corrected.p99} ms, ${r.rate!.achieved}/${r.rate!.target} req/s achieved, ${r.rate!.late} late` : '';
      s.progress(`  ${name}: p50 ${r.p50} ms, p99 ${r.p99} ms${corrected}, ${r.rps} req/s, ${r.errors} errors, ${r.non2xx} non-2xx${r.writes ? `, ${r.writes.ok}/${r.writes.attempted} writes acknowledged` : ''}`);
      s.load[name] = r;
      // The drill's own overload: a readiness flap inside it is measured, not held against stability.
      if (capacity) s.overloadWindows.push({ from: startedAt, to: Date.now() });
    },
  };
}

/**
 * Monitoring runs until 10 (scaled) minutes after the rollback, so "alerts cleared" is judged on
 * samples that reach that far, and at least through the soak (stability), with the ledger writing.
 */
const clearBy = (s: DrillState) => Math.max(s.rollbackEndAt + SUCCESS_CRITERIA.alertsClearedMs / s.config.timeScale + 500, s.rollbackEndAt + soakOf(s.config).sec * 1000);

export const PHASES: readonly Phase[] = [
  {
    id: 'setup',
    setup: 'the baseline (PostgreSQL, app 3/3, seeded and migrated data)',
    async run(s) {
      const baseline = await deployBaseline({ platform: s.platform, journal: s.journal, target: s.target, image: s.image, datasetSize: s.config.datasetSize, valueSeed: s.valueSeed, seedPrefix: s.seedPrefix, progress: s.progress, signal: s.signal });
      s.seededWrites.push(...baseline.seeded);
      s.serviceUrl = await s.platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
      s.ctx = {
        platform: s.platform,
        journal: s.journal,
        config: s.config,
        runId: s.platform.runId,
        runDir: s.o.runDir,
        serviceUrl: s.serviceUrl,
        image: s.image,
        target: s.target,
        progress: s.progress,
        state: {},
        defer: (what, run) => s.defer(what, run),
        undoOnFailure: (what, run) => {
          s.undoOnFailure.push({ what, run });
          s.defer(what, run);
        },
      };
      await s.o.afterSetup?.(s.ctx);
    },
  },
  // The runbook's premises about the app, measured before any drill traffic (preflight-phase.ts).
  PREFLIGHT_PHASE,
  loadPhase('baseline'),
  // The most the PostgreSQL service takes (closed loop, many connections): capacity-after is compared with it.
  loadPhase('capacityBefore'),
  {
    id: 'pre-fault-writes',
    async run(s) {
      if (s.target.workload.model === 'register') return registerPreFaultWrites(s);
      const ledger = (s.ledger = s.use('write ledger', new WriteLedger({ baseUrl: s.serviceUrl, target: s.target, runId: s.platform.runId, rate: 20, valueSeed: s.valueSeed })));
      s.progress(`  ${s.config.postMigrationWrites} post-migration writes on PostgreSQL`);
      for (let i = 0; i < s.config.postMigrationWrites; i++) await ledger.write();
      // Seeded tables as they stand on PostgreSQL before anything breaks (no writes in flight).
      // A loop, not Math.max(...spread): a million post-migration writes would overflow the call stack.
      const maxUserId = ledger.writes.reduce((m, w) => Math.max(m, w.id ?? 0), s.config.datasetSize);
      s.before = await takeChecksums({ platform: s.platform, target: s.target }, 'postgres', maxUserId, s.signal).catch((err: Error) => err);
      if (s.before instanceof Error) s.journal.write({ type: 'log', level: 'error', message: `checksum before the fault: ${s.before.message}` });
    },
  },
  {
    // What the service answers on PostgreSQL, twice (noise learned), before anything breaks: the differential's baseline.
    id: 'differential-baseline',
    async run(s) {
      s.diffBaseline = await recordBaseline(s.serviceUrl, s.target, s.signal).catch((err: Error) => err);
      if (s.diffBaseline instanceof Error) s.journal.write({ type: 'log', level: 'error', message: `differential: the baseline could not be recorded: ${s.diffBaseline.message}` });
      else s.progress(`  differential: ${s.diffBaseline.first.length} requests recorded twice on PostgreSQL`);
    },
  },
  {
    id: 'probes-on',
    async run(s) {
      // The system's logs from here on are the run's causes (a failed verdict or check shows their telling lines).
      s.logCursor = await systemLogCursor(s);
      // Where the Service routes, first: each sample gets its route as it comes in (the detection phase
      // judges postgres-unavailable on live samples, for an app that names no engine too).
      const route = (s.route = s.use('route watch', await new RouteWatch({ platform: s.platform, namespace: TOPOLOGY.namespace, service: TOPOLOGY.appService, app: s.target.app }).start()));
      s.avail = s.use('availability probe', new AvailabilityProbe({ baseUrl: s.serviceUrl, target: s.target, onSample: (x) => void (x.route = route.engineAt(x.t)) }).start());
      s.ledger!.start();
      await sleep(1_000, s.signal);
    },
  },
  {
    id: 'fault',
    when: (spec) => spec.fault !== null,
    async run(s) {
      const fault = s.spec.fault!;
      s.faultAt = Date.now();
      const ctx = s.ctx;
      // Cleared in the finally stage, unless the run was interrupted and its platform is going away.
      s.defer(`fault ${fault.name}`, () => (s.signal.aborted ? Promise.resolve() : clearFault(fault, ctx, s.journal, s.progress)));
      s.effect = await injectAndVerify(fault, s.ctx);
    },
  },
  loadPhase('faulted', (spec) => hasPhase(spec, 'load-faulted')),
  {
    // The runbook's automatic triggers are what start an emergency rollback: wait for this row's.
    id: 'detection',
    when: (spec, s) => s.faultAt !== undefined && spec.expectedTriggers.length > 0,
    async run(s) {
      s.detection = await waitForTriggers(s.avail!, s.spec.expectedTriggers, { timeScale: s.config.timeScale, faultAt: s.faultAt!, signal: s.signal, progress: s.progress });
    },
  },
  {
    id: 'procedure',
    async run(s) {
      s.triggerAt = Date.now();
      s.procedure = await runProcedure(s.o.procedure ?? s.spec.procedures[s.variant](), s.ctx, { journal: s.journal, progress: s.progress, signal: s.signal });
      // Halfway is worse than not at all: what the procedure changed on the way (a write freeze) is undone now.
      if (!s.procedure.completed && !s.signal.aborted) await s.undoFailedProcedure();
      // Restored (or given up on): write faster, so the restored engine takes enough writes per pod to show a small loss rate.
      s.ledger!.setRate(s.config.postRestoreWriteRate);
    },
  },
  {
    // "Monitor application stability": the restored deployment's pods, from the switch to the end of the run.
    // Also after a procedure that did not complete: pods it left never Ready are an unstable service, measured.
    id: 'stability-watch',
    async run(s) {
      const dep = await s.platform.getDeployment(TOPOLOGY.namespace, s.sqliteDeployment).catch(() => undefined);
      const selector = dep?.spec?.selector?.matchLabels;
      if (!selector) return void s.journal.write({ type: 'log', level: 'warn', message: `stability: no deployment ${s.sqliteDeployment} with a selector to watch` });
      s.stabilityWatch = s.use('stability watch', new StabilityWatch({ platform: s.platform, namespace: TOPOLOGY.namespace, selector }).start());
      const soak = soakOf(s.config);
      s.progress(`  watching the serving pods (${s.sqliteDeployment}) for restarts and readiness flaps, soak ${soak.sec} s${soak.explicit ? ' (--soak)' : ''}`);
    },
  },
  {
    id: 'validation',
    async run(s) {
      s.validation = await runProcedure(s.variant === 'seed' ? seedValidation() : hardenedValidation(), s.ctx, { journal: s.journal, progress: s.progress, signal: s.signal });
    },
  },
  {
    id: 'data-recovery',
    when: (spec) => hasPhase(spec, 'data-recovery'),
    async run(s) {
      s.dataRecovery = await runProcedure(s.variant === 'seed' ? seedDataRecovery() : hardenedDataRecovery(), s.ctx, { journal: s.journal, progress: s.progress, signal: s.signal });
    },
  },
  {
    id: 'security-validation',
    when: (spec) => hasPhase(spec, 'security-validation'),
    async run(s) {
      const security = (s.security = await securityValidation({ platform: s.platform, image: s.image, signal: s.signal }));
      s.journal.write({ type: 'probe.summary', probe: 'security-validation', summary: Object.fromEntries(security.checks.map((c) => [c.name, `${c.passed ? 'ok' : 'FAILED'}: ${c.evidence}`])) });
      s.progress(`  security validation: ${security.evidence}`);
    },
  },
  {
    id: 'features',
    async run(s) {
      const features = (s.features = await checkFeatures({ platform: s.platform, target: s.target, serviceUrl: s.serviceUrl, deployment: s.sqliteDeployment, engine: 'sqlite', signal: s.signal }));
      s.journal.write({ type: 'probe.summary', probe: 'features', summary: Object.fromEntries(features.map((f) => [f.id, f.passed ? 'ok' : `FAILED: ${f.evidence}`])) });
      for (const f of features) s.progress(`  ${f.passed ? '✓' : '✗'} ${f.id}: ${f.evidence}`);
    },
  },
  {
    // The same requests after the rollback, diffed against PostgreSQL's answers (functionality judges the differences).
    id: 'differential-replay',
    when: (_, s) => s.diffBaseline !== undefined && !(s.diffBaseline instanceof Error),
    async run(s) {
      const b = s.diffBaseline as DifferentialBaseline;
      const r = (s.differential = compareReplay(b, await replay(s.serviceUrl, s.target, s.signal), s.target));
      const unknown = r.differences.filter((d) => !d.known);
      s.progress(`  differential: ${r.requests} requests, ${r.fields} fields compared; ${unknown.length} difference(s)${r.differences.length > unknown.length ? `, ${r.differences.length - unknown.length} known engine difference(s)` : ''}`);
      for (const d of unknown.slice(0, DIFFERENCE_FINDINGS)) recordFinding(s, 'behaviourChanged', differenceInWords(d), true);
    },
  },
  loadPhase('after'),
  // The most the restored service takes (closed loop), against the baseline's: a capacity finding.
  loadPhase('capacityAfter'),
  {
    id: 'checksums',
    async run(s) {
      const before = s.before;
      if (before instanceof Error) s.checksums = compareChecksums(undefined, undefined, before.message);
      else {
        const snap: ChecksumSnapshot | Error = await takeChecksums({ platform: s.platform, target: s.target }, 'sqlite', before.maxIds, s.signal).catch((err: Error) => err);
        s.checksums = snap instanceof Error ? compareChecksums(before, undefined, snap.message) : compareChecksums(before, snap);
      }
      const c = s.checksums;
      s.journal.write({ type: 'probe.summary', probe: 'checksums', summary: { equal: c.equal, mismatched: c.mismatched.join(', ') || 'none', evidence: c.evidence } });
    },
  },
  {
    id: 'monitoring',
    when: (_, s) => Date.now() < clearBy(s),
    async run(s) {
      const left = clearBy(s) - Date.now();
      if (left > 10_000) s.progress(`  monitoring the restored service for ${Math.round(left / 1000)} s more (alerts cleared, soak)`);
      await sleep(left, s.signal);
    },
  },
  {
    id: 'probes-off',
    async run(s) {
      if (s.stabilityWatch) s.stability = await s.stabilityWatch.stop();
      s.samples = await s.avail!.stop();
      await s.ledger!.stop();
      if (s.route) {
        // Again with the whole timeline: a change seen by a poll after a sample answered is applied too.
        await s.route.stop();
        s.route.annotate(s.samples);
        const file = path.join(s.o.runDir, `route-${s.tag}.json`);
        writeFileSync(file, JSON.stringify(s.route.timeline) + '\n');
        s.journal.write({ type: 'artifact', kind: 'route-timeline', path: file });
        s.journal.write({ type: 'probe.summary', probe: 'route', summary: { ...s.route.summary(s.triggerAt) } });
      }
      // Let in-flight writes settle before reading everything back.
      await sleep(1_000, s.signal);
      if (s.logCursor) s.runLogs = await systemLinesSince(s, s.logCursor, undefined, 8);
    },
  },
  {
    id: 'read-back',
    async run(s) {
      s.sqliteReady = (await s.platform.getDeploymentStatus(TOPOLOGY.namespace, s.sqliteDeployment).catch(() => ({ readyReplicas: 0 }))).readyReplicas;
      const w = s.target.workload;
      if (w.model === 'register') return registerReadBackPhase(s);
      const ledger = s.writeLedger;
      // The pre-migration rows with generated values too, where a baseline job seeded them.
      const prefixes = [ledger.prefix, s.loadPrefix, ...(s.seededWrites.length ? [s.seedPrefix] : [])];
      s.readBack = await readWhereWritesLanded({
        platform: s.platform,
        journal: s.journal,
        sqliteDep: s.sqliteDeployment,
        prefixes,
        keys: w.readBack,
        fields: w.fields,
        signal: s.signal,
        api: async () => {
          const pages = await Promise.all(prefixes.map((p) => ledger.readBackRows(p)));
          return { keys: pages.flatMap((p) => p.keys), ...(pages.every((p) => p.values) ? { values: pages.flatMap((p) => p.values!) } : {}) };
        },
      });
    },
  },
];

/**
 * The drill's phases with the scenario's own (ScenarioSpec.ownPhases) each inserted right after the
 * built-in phase it names; its result goes to the outcome's phaseResults. A misnamed anchor or a
 * clashing id is the scenario file's error, said in one line.
 */
export function withOwnPhases(phases: readonly Phase[], spec: ScenarioSpec): Phase[] {
  const out = [...phases];
  for (const own of spec.ownPhases ?? []) {
    if (out.some((p) => p.id === own.id)) throw new ScenarioSpecError(`scenario ${spec.name}: phase "${own.id}" is defined twice`);
    const at = out.findIndex((p) => p.id === own.after);
    if (at === -1) throw new ScenarioSpecError(`scenario ${spec.name}: phase "${own.id}" runs after "${own.after}", which is not a phase (${out.map((p) => p.id).join(', ')})`);
    out.splice(at + 1, 0, {
      id: own.id,
      async run(s) {
        s.phaseResults[own.id] = await own.run({ ctx: s.ctx, spec: s.spec, variant: s.variant, journal: s.journal, progress: s.progress, signal: s.signal, triggerAt: s.triggerAt, defer: (what, run) => s.defer(what, run) });
      },
    });
  }
  return out;
}
