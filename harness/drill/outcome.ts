// What a drill measured, built from the phases' state once they have run: availability and time
// to restore, the triggers, the set rule over every write against the SQLite file (or the register
// rule, register-outcome.ts), coverage, where the post-restore writes landed. Journalled as probe
// summaries; criteria judge it (verdicts.ts).
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Variant } from '../model/drill-config.ts';
import { engineHeaderDisagrees } from '../criteria/engine-evidence.ts';
import type { Method, TriggerId } from '../model/scenario.ts';
import { coverage } from '../probes/landed-writes.ts';
import type { Coverage, LedgerCheck, LoadSummary, AlertsCleared, TriggerState, AvailabilitySummary, ChecksumComparison, FeatureCheck, LandedRead, ValueCheck } from '../model/measurements.ts';
import { checkStoredValues, valuesWritten } from '../kit/stored-values.ts';
import { setWorkloadOf } from '../kit/workload.ts';
import { checkLedger } from '../probes/ledger.ts';
import { alertsCleared, evaluateTriggers } from '../probes/triggers.ts';
import { recordFinding } from '../kit/findings.ts';
import type { Detection, ScenarioOutcome, DataOutcome } from '../model/outcome.ts';
import type { ProcedureResult } from '../model/procedure.ts';
import { RegisterLedger } from '../probes/register-ledger.ts';
import { landedAfter } from './read-back.ts';
import { registerData } from './register-outcome.ts';
import type { DrillState } from './state.ts';
import type { SecurityCheck } from '../faults/security-incident.ts';
import { summarize, timeToRestore } from '../probes/availability.ts';
import { distinctAnswers } from '../kit/causes.ts';
import { goodRps } from '../kit/good-rps.ts';
import { rollbackImpact } from './rollback-impact.ts';
import { soakOf } from '../model/drill-config.ts';
import type { StabilityOutcome } from '../model/outcome.ts';

export function buildOutcome(s: DrillState): ScenarioOutcome {
  const { journal, samples, spec } = s;
  const availability = summarize(samples);
  const samplesFile = path.join(s.o.runDir, `availability-${s.tag}.jsonl`);
  writeFileSync(samplesFile, samples.map((x) => JSON.stringify(x)).join('\n') + '\n');
  journal.write({ type: 'probe.samples', probe: 'availability', file: path.basename(samplesFile), count: samples.length });
  const ttr = timeToRestore(samples, s.triggerAt, 'sqlite', 5);
  journal.write({ type: 'probe.summary', probe: 'availability', summary: { ...availability, longestFailureRun: availability.longestFailureRun.count, longestFailureRunMs: availability.longestFailureRun.ms, timeToRestoreMs: ttr } });

  const triggers = evaluateTriggers(samples, { timeScale: s.config.timeScale, faultAt: s.faultAt });
  for (const t of triggers) journal.write({ type: 'trigger', trigger: t.id, firedAt: t.firedAt, clearedAt: t.clearedAt, detail: `${t.title}: ${t.evidence}` });
  const alerts = alertsCleared(triggers, samples, s.rollbackEndAt, s.config.timeScale);
  // Which engine serves once restored; if never restored, what served after the procedure ended.
  const from = ttr !== undefined ? s.triggerAt + ttr : s.rollbackEndAt;
  const enginesAfter = samples.filter((x) => x.t >= from && x.status === 200).map((x) => x.engine ?? '?');
  const data = s.ledger instanceof RegisterLedger ? registerData(s, from) : setData(s, from);
  const { landed, coverage: cov } = data;
  // Either model: coverage of the restored engine and where the post-restore writes landed.
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
  const differential = differentialOf(s);
  if (differential && !('error' in differential)) {
    const unknown = differential.differences.filter((d) => !d.known);
    journal.write({
      type: 'probe.summary',
      probe: 'differential',
      summary: {
        requests: differential.requests,
        fields: differential.fields,
        differences: unknown.length,
        knownEngineDifferences: differential.differences.length - unknown.length,
        learnedNoise: differential.learnedNoise.join('; ') || 'none',
        declaredNoise: differential.declaredNoise.join('; ') || 'none',
        pods: differential.pods,
        ...(differential.errors.length ? { errors: differential.errors.join('; ') } : {}),
      },
    });
  }
  const stability = stabilityOf(s);
  if (stability.report) {
    const r = stability.report;
    journal.write({ type: 'probe.summary', probe: 'stability', summary: { soakSec: stability.soakSec, soakExplicit: stability.explicit, watchedMs: r.watchedMs, pods: r.pods.length, restarts: r.restarts, unreadyPeriods: r.unreadyPeriods, unreadyMs: r.unreadyMs, churn: r.churn, polls: r.polls } });
  }
  const capacity = capacityDrop(s.load);
  if (capacity) recordFinding({ journal }, 'capacityDrop', capacity, true);
  const unit = landed.keys === undefined ? '' : ` (keys of ${landed.keys} holding one)`;
  s.progress(
    `  writes after the restore: ${landed.acknowledged} acknowledged, min ${cov.minPerPod}/pod (a ${(cov.detectableLossRate * 100).toFixed(2)} % per-pod loss rate detectable at 95 %); ` +
      `in the SQLite file${unit} ${landed.inSqlite ?? '?'}, in PostgreSQL ${landed.inPostgres ?? `? (${landed.postgresState})`}`,
  );
  const impact = rollbackImpact({
    samples,
    procedureStartedAt: s.triggerAt,
    procedureEndedAt: s.rollbackEndAt,
    freeze: s.ctx.state.freeze,
    switchedAt: s.ctx.state.switchedAt,
    writes: s.ledger instanceof RegisterLedger ? s.ledger.writes.map((w) => ({ t: w.startedAt, outcome: w.outcome })) : (s.ledger?.writes ?? []),
    triggers,
  });
  journal.write({
    type: 'probe.summary',
    probe: 'rollback-impact',
    summary: {
      readsProbed: impact.reads.probes,
      readsFailed: impact.reads.failed,
      ...(impact.freeze ? { freezeTables: impact.freeze.tables, freezeWindowMs: impact.freeze.windowMs ?? 'no switch' } : {}),
      ...(impact.refused ? { writesRefused: impact.refused.writes, writeOutageMs: impact.refused.outageMs ?? 'none acknowledged after' } : {}),
      alertsFired: impact.alertsFired.map((a) => a.id).join(', ') || 'none',
    },
  });
  if (spec.method === 'planned' && spec.fault && impact.freeze) {
    // Not judged by the planned no-impact criteria (they apply with nothing broken): said, with the numbers.
    const switchAt = impact.freeze.switchedAt === undefined ? 'never' : `${((impact.freeze.switchedAt - s.triggerAt) / 1000).toFixed(1)} s`;
    recordFinding(
      { journal },
      'faultOnRollbackPath',
      `${impact.reads.failed} of ${impact.reads.probes} reads failed during the procedure (the fault in place until the switch, ${switchAt} in); writes frozen ${impact.freeze.windowMs ?? '?'} ms, the copy running through the fault; alerts fired meanwhile: ${impact.alertsFired.map((a) => a.id).join(', ') || 'none'}`,
      true,
    );
  }
  s.progress(
    `  the rollback's cost to users: ${impact.reads.failed} of ${impact.reads.probes} reads failed` +
      (impact.freeze ? `, writes frozen ${impact.freeze.windowMs ?? '?'} ms (${impact.refused?.writes ?? 0} refused)` : '') +
      `, alerts fired: ${impact.alertsFired.map((a) => a.id).join(', ') || 'none'}`,
  );
  return {
    stability,
    ...(differential ? { differential } : {}),
    scenario: spec.name,
    method: spec.method,
    budgetMs: spec.budgetMs,
    errorBudget: s.config.errorBudget,
    variant: s.variant,
    journalFile: journal.file,
    procedure: s.procedure,
    validation: s.validation,
    dataRecovery: s.dataRecovery,
    faultEvidence: s.effect.evidence,
    timeToRestoreMs: ttr,
    sqliteReady: s.sqliteReady,
    availability,
    ...data,
    enginesAfter: [...new Set(enginesAfter)],
    checksums: s.checksums,
    features: s.features,
    load: s.load,
    triggers,
    expectedTriggers: [...spec.expectedTriggers],
    procedureStartedAt: s.triggerAt,
    detection: s.detection,
    alerts,
    security: s.security,
    impact,
    phaseResults: { ...s.phaseResults },
    causes: { logs: s.runLogs, healthWhileFaulted: healthWhileFaulted(s) },
  };
}

/** Below this share of what PostgreSQL took in capacity-before, the restored service's capacity (capacity-after) is a finding. */
export const CAPACITY_FLOOR = 0.5;

/**
 * The capacity finding's detail when the restored service answers 2xx to under half the requests per
 * second PostgreSQL did, closed loop both times with the same connections (failed answers are not capacity).
 */
export function capacityDrop(load: Pick<ScenarioOutcome['load'], 'capacityBefore' | 'capacityAfter'>): string | undefined {
  const { capacityBefore: b, capacityAfter: a } = load;
  if (!b || !a) return undefined;
  const before = goodRps(b);
  const after = goodRps(a);
  if (before <= 0 || after >= CAPACITY_FLOOR * before) return undefined;
  const failed = (s: typeof a) => (s.errors + s.non2xx > 0 ? ` (${s.errors + s.non2xx} of ${s.requests} answers failed, left out)` : '');
  return `closed loop with ${a.connections} connections: ${after} req/s answered 2xx after the rollback${failed(a)} against ${before} req/s before the fault${failed(b)} (${((after / before) * 100).toFixed(0)} %, under ${CAPACITY_FLOOR * 100} %); p99 ${a.p99} ms against ${b.p99} ms`;
}

/** The health check's distinct answers from the fault to the rollback's start: what monitoring had to go on. */
function healthWhileFaulted(s: DrillState) {
  if (s.faultAt === undefined) return [];
  const request = `GET ${s.target.health.path}`;
  const during = s.samples.filter((x) => x.t >= s.faultAt! && x.t < s.triggerAt);
  return distinctAnswers(
    during.map((x) => ({
      request,
      status: x.status,
      body: x.status === 0 ? (x.error ?? 'no answer') : [x.engine ? `engine ${x.engine}` : '', x.route ? `routed to ${x.route}` : ''].filter(Boolean).join(', ') || 'answered',
    })),
  );
}

/** The set rule over every write (ledger + load) against the SQLite file, else the app's read-back. */
function setData(s: DrillState, from: number): DataOutcome {
  const { journal, readBack } = s;
  const ledger = s.writeLedger;
  const allWrites = [...ledger.writes, ...s.loadWrites, ...s.seededWrites];
  const fields = setWorkloadOf(s.target, 'the set read-back').fields;
  // Every found row's stored values against the ones sent: in the file, in PostgreSQL, through the app.
  const withValues = (c: LedgerCheck, r: Pick<LandedRead, 'keys' | 'values'>, form: 'column' | 'api'): LedgerCheck => {
    const values = checkStoredValues(allWrites, r, fields, form);
    return values ? { ...c, values } : c;
  };
  const direct = readBack.sqlite instanceof Error ? undefined : withValues(checkLedger(allWrites, readBack.sqlite.keys), readBack.sqlite, 'column');
  const apiLedger = readBack.api instanceof Error ? undefined : withValues(checkLedger(allWrites, readBack.api.keys), readBack.api, 'api');
  const postgresValues = readBack.postgres === 'not running' || readBack.postgres instanceof Error ? undefined : checkStoredValues(allWrites, readBack.postgres, fields);
  const check = direct ?? apiLedger ?? checkLedger(allWrites, []);
  const postRestore = allWrites.filter((w) => w.outcome === 'ok' && w.t >= from);
  const cov = coverage(postRestore.map((w) => w.pod), s.sqliteReady, s.config.minWritesPerPod);
  journal.write({
    type: 'probe.summary',
    probe: 'ledger',
    summary: {
      ...withoutValues(check),
      source: direct ? 'sqlite-file' : 'app-api',
      ...(apiLedger ? { apiLost: apiLedger.lost, apiDuplicated: apiLedger.duplicated, apiUnexpected: apiLedger.unexpected } : {}),
      ...valueSummary(check.values, apiLedger?.values, postgresValues),
      // Coverage of the restored engine, beside the counts it qualifies.
      minPerPod: cov.minPerPod,
      detectableLoss: cov.detectableLossRate,
    },
  });
  if (Object.keys(fields).length) {
    journal.write({ type: 'probe.summary', probe: 'values', summary: valuesWritten(fields, allWrites, s.valueSeed, [['the SQLite file', direct?.values], ['the app', apiLedger?.values], ['PostgreSQL', postgresValues]]) });
  }
  // Where writes land once the rollback is complete: writes started while the procedure still ran may
  // reach pods it is about to retire (the seed planned rollback's SQLite pods share the live selector
  // with the PostgreSQL ones until its step 4, so a few writes of that window land in PostgreSQL by
  // chance); those are the data-integrity verdict's to count, not the engine's.
  const settledFrom = Math.max(from, s.rollbackEndAt);
  const landed = landedAfter(postRestore.filter((w) => w.t >= settledFrom), readBack);
  return {
    ledger: check,
    ledgerSource: direct ? 'sqlite-file' : 'app-api',
    apiLedger,
    ...(postgresValues ? { postgresValues } : {}),
    directReadError: readBack.sqlite instanceof Error ? readBack.sqlite.message : undefined,
    coverage: cov,
    landed,
    okWritesOnPostgres: allWrites.filter((w) => w.outcome === 'ok' && w.engine === 'postgres').length,
  };
}

const withoutValues = ({ values: _, ...rest }: LedgerCheck) => rest;

/** The value checks in the ledger's summary: rows compared and altered per source. */
function valueSummary(file: ValueCheck | undefined, api: ValueCheck | undefined, postgres: ValueCheck | undefined) {
  const one = (c: ValueCheck | undefined) => (c ? `${c.altered} altered of ${c.rows} rows (${c.fields} fields)` : undefined);
  return {
    ...(file ? { altered: file.altered, valuesCompared: one(file) } : {}),
    ...(api ? { apiAltered: api.altered, apiValuesCompared: one(api) } : {}),
    ...(postgres ? { postgresValuesCompared: one(postgres) } : {}),
  };
}

/** The soak asked for and what the stability watch saw; without a watch, why. */
function stabilityOf(s: DrillState): StabilityOutcome {
  const soak = soakOf(s.config);
  const base = { soakSec: soak.sec, explicit: soak.explicit, overload: s.overloadWindows.filter((w) => w.to >= s.rollbackEndAt) };
  if (s.stability) return { ...base, report: s.stability };
  return { ...base, notWatched: `no deployment ${s.sqliteDeployment} to watch${s.procedure?.completed ? '' : ' (the rollback did not complete)'}` };
}

/** The differential's result; an error when its baseline or replay failed; absent when it never ran (an aborted drill). */
function differentialOf(s: DrillState): ScenarioOutcome['differential'] {
  if (s.diffBaseline instanceof Error) return { error: `the baseline on PostgreSQL could not be recorded: ${s.diffBaseline.message}` };
  if (s.diffBaseline && !s.differential) return { error: 'the requests were not replayed after the rollback' };
  return s.differential instanceof Error ? { error: s.differential.message } : s.differential;
}
