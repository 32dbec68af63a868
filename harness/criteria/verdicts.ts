// The runbook's success criteria, each a verdict from a measurement: measured value, budget and a
// sentence of evidence. No measurement, no pass.
import type { JournalWriter } from '../model/journal-events.ts';
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { RegisterOutcome } from '../model/outcome.ts';
import { registerAnomalies } from '../kit/register-rule.ts';
import type { Verdict } from '../model/verdict.ts';
import type { ExtraCriterion } from '../model/scenario.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';
export const EMERGENCY_BUDGET_MS = SUCCESS_CRITERIA.emergencyRollbackMs;

export const PLANNED_BUDGET_MS = SUCCESS_CRITERIA.plannedRollbackMs;

/** Planned rollback: start → validation complete (the procedure ends with the engine verified), < 30 min. */
export function plannedVerdict(o: ScenarioOutcome, budgetMs = PLANNED_BUDGET_MS): Verdict {
  const ms = o.procedure.durationMs;
  const failed = o.procedure.steps.filter((s) => s.outcome !== 'ok');
  return {
    id: 'planned-rollback',
    title: 'Planned rollback: start → validation complete',
    passed: o.procedure.completed && ms < budgetMs && o.sqliteReady === 3,
    measured: ms,
    budget: budgetMs,
    unit: 'ms',
    evidence: o.procedure.completed
      ? `all ${o.procedure.steps.length} steps ok in ${(ms / 1000).toFixed(1)} s (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s`
      : `${failed.length} step(s) not ok: ${failed.map((s) => `${s.step} (${s.outcome}: ${s.message})`).join('; ').slice(0, 400)}`,
  };
}

/** The verdicts of a scenario run: the rollback by its method and budget, every other criterion, then the row's own (its spec's `criteria`). */
export function scenarioVerdicts(o: ScenarioOutcome, extra: readonly ExtraCriterion[] = []): Verdict[] {
  const [rollback, ...rest] = emergencyVerdicts(o, o.budgetMs);
  return [
    o.method === 'planned' ? plannedVerdict(o, Math.min(o.budgetMs, PLANNED_BUDGET_MS)) : rollback!,
    ...rest,
    functionalityVerdict(o),
    performanceVerdict(o),
    monitoringVerdict(o),
    ...extra.map((c) => c.judge(o)),
  ];
}

/** Security validation (security-incident): no pod holds PostgreSQL credentials, PostgreSQL cut off. */
export function securityVerdict(o: ScenarioOutcome): Verdict {
  const s = o.security;
  if (!s) {
    return { id: 'security-validation', title: 'Security validation: nothing holds PostgreSQL credentials, PostgreSQL is cut off', passed: false, measured: null, budget: 'all checks', unit: 'checks', evidence: 'the security validation did not run' };
  }
  return {
    id: 'security-validation',
    title: 'Security validation: nothing holds PostgreSQL credentials, PostgreSQL is cut off',
    passed: s.passed,
    measured: `${s.checks.filter((c) => c.passed).length}/${s.checks.length}`,
    budget: `${s.checks.length}/${s.checks.length}`,
    unit: 'checks',
    evidence: s.evidence,
  };
}

/** Monitoring: the expected automatic triggers fired, and all alerts cleared within 10 (scaled) minutes. */
export function monitoringVerdict(o: ScenarioOutcome): Verdict {
  // A trigger detects the fault only when it fires before the rollback starts (firing on the
  // rollback's own downtime detects nothing).
  const missing = o.expectedTriggers.filter((id) => !o.triggers.find((t) => t.id === id && t.firedAt !== undefined && t.firedAt <= o.procedureStartedAt));
  const fired = o.triggers.filter((t) => t.firedAt !== undefined);
  return {
    id: 'monitoring',
    title: 'Monitoring: the expected triggers fired and all alerts cleared within 10 minutes (scaled)',
    passed: o.alerts.cleared && missing.length === 0,
    // Still active at the end is measured too: at least that long, over the deadline.
    measured: o.alerts.clearedAfterMs ?? o.alerts.stillActiveAfterMs ?? null,
    budget: o.alerts.deadlineMs,
    unit: 'ms',
    evidence:
      `${missing.length ? `expected trigger(s) never fired before the rollback started: ${missing.join(', ')}; ` : ''}` +
      `${fired.map((t) => `${t.id} ${t.evidence}`).join('; ') || 'no trigger fired'}; ${o.alerts.evidence}` +
      // postgres-unavailable needs the engine that served: say where it came from when the app does not name it.
      (engineSource(o) ? `; the serving engine (postgres-unavailable) ${engineSource(o)}` : ''),
  };
}

/** Functionality: every feature check after the rollback passes. */
export function functionalityVerdict(o: ScenarioOutcome): Verdict {
  const failed = o.features.filter((f) => !f.passed);
  return {
    id: 'functionality',
    title: 'Functionality: all core features work after the rollback',
    passed: o.features.length > 0 && failed.length === 0,
    measured: `${o.features.length - failed.length}/${o.features.length}`,
    budget: `${o.features.length}/${o.features.length}`,
    unit: 'checks',
    evidence:
      o.features.length === 0
        ? 'no feature checks ran'
        : failed.length === 0
          ? `all ${o.features.length} feature checks passed (${o.features.map((f) => f.id).join(', ')})`
          : `failed: ${failed.map((f) => `${f.id} (${f.evidence})`).join('; ').slice(0, 500)}`,
  };
}

/**
 * Performance: p99 of the load (reads and writes) after the rollback < 500 ms, and errors + non-2xx
 * within the error budget: a fast error is not a fast answer.
 */
export function performanceVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.p99LatencyMs, errorBudget: number = o.errorBudget): Verdict {
  const a = o.load.after;
  const served = a ? a.requests - a.non2xx : 0;
  // Connection errors and timeouts are not in `requests` (answers only): both count against the budget.
  const bad = a ? a.errors + a.non2xx : 0;
  const attempts = a ? a.requests + a.errors : 0;
  const errorRate = attempts > 0 ? bad / attempts : 0;
  const slow = a !== undefined && a.p99 >= budgetMs;
  const failing = a !== undefined && errorRate > errorBudget;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return {
    id: 'performance',
    title: `Performance: p99 response time after the rollback < ${budgetMs} ms, errors + non-2xx ≤ ${pct(errorBudget)}`,
    passed: a !== undefined && served > 0 && !slow && !failing,
    measured: a ? a.p99 : null,
    budget: budgetMs,
    unit: 'ms',
    evidence: a
      ? `${failing ? `FAILED on errors: ${bad} of ${attempts} requests (${pct(errorRate)}) were errors or non-2xx, budget ${pct(errorBudget)}; ` : ''}` +
        `${slow ? `FAILED on latency: ` : ''}p99 ${a.p99} ms (p50 ${a.p50}, p95 ${a.p95}, max ${a.max}) over ${a.requests} requests in ${(a.durationMs / 1000).toFixed(1)} s, ${a.rps} req/s, ${a.errors} errors, ${a.non2xx} non-2xx (${pct(errorRate)}), ` +
        `${a.writes ? `${a.writes.ok}/${a.writes.attempted} writes acknowledged, ` : 'reads only, '}engines ${JSON.stringify(a.engines)}` +
        (o.load.baseline ? `; baseline before the fault p99 ${o.load.baseline.p99} ms` : '') +
        (o.load.faulted ? `; with the fault in place p99 ${o.load.faulted.p99} ms` : '')
      : 'no load phase ran after the rollback',
  };
}

/** Where the engine of the availability answers came from, when not (only) from the app; undefined for an app that names its engine. */
export function engineSource(o: Pick<ScenarioOutcome, 'availability'>): string | undefined {
  const from = o.availability?.engineFrom;
  return from === 'route' ? "from the Service's routed pods (the app names none)" : from === 'mixed' ? "from the app's answers where it named one, else from the Service's routed pods" : undefined;
}

/** "never (watched 95.2 s after the trigger)", or null when the probe watched nothing after it. */
function neverRestored(o: Pick<ScenarioOutcome, 'availability' | 'procedureStartedAt'>): string | null {
  const watched = (o.availability.lastAt ?? -Infinity) - o.procedureStartedAt;
  return watched > 0 ? `never (watched ${(watched / 1000).toFixed(1)} s after the trigger)` : null;
}

export function emergencyVerdicts(o: ScenarioOutcome, budgetMs = EMERGENCY_BUDGET_MS): Verdict[] {
  const ttr = o.timeToRestoreMs;
  const l = o.ledger;
  return [
    {
      id: 'emergency-rollback',
      title: 'Emergency rollback: trigger → healthy on SQLite with 3/3 ready',
      passed: ttr !== undefined && ttr < budgetMs && o.sqliteReady === 3,
      // Never restored while the probe watched is a measured failure; no samples at all is not measured.
      measured: ttr ?? neverRestored(o),
      budget: budgetMs,
      unit: 'ms',
      evidence:
        ttr === undefined
          ? `never restored: no 5 consecutive healthy SQLite answers after the trigger (${o.availability.failed}/${o.availability.total} probes failed); SQLite ready ${o.sqliteReady}/3${engineSource(o) ? `; engine ${engineSource(o)}` : ''}`
          : `restored ${(ttr / 1000).toFixed(1)} s after the trigger (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s${engineSource(o) ? `; engine ${engineSource(o)}` : ''}`,
    },
    dataIntegrityVerdict(o),
    engineInUseVerdict(o),
  ];
}

/** Every kind of anomaly the set rule and the checksums found, named in one line ("none" when clean). */
export function dataAnomalies(o: Pick<ScenarioOutcome, 'ledger' | 'checksums'>): string[] {
  const l = o.ledger;
  return [
    ...(l.lost ? [`${l.lost} lost`] : []),
    ...(l.duplicated ? [`${l.duplicated} duplicated`] : []),
    ...(l.unexpected ? [`${l.unexpected} unexpected`] : []),
    ...(o.checksums.equal ? [] : [`checksums differ${o.checksums.mismatched.length ? ` (${o.checksums.mismatched.join(', ')})` : ''}`]),
  ];
}

/**
 * Data integrity: every acknowledged write (ledger + load) is in the SQLite file the rollback targeted,
 * read directly through the platform, none twice, nothing unwritten; seeded tables equal. Only
 * counts when the restored engine took enough writes per pod to show a small loss rate: below the
 * minimum it is "not measured", never a pass.
 */
export function dataIntegrityVerdict(o: ScenarioOutcome): Verdict {
  if (o.register) return registerIntegrityVerdict(o, o.register);
  const l = o.ledger;
  const c = o.coverage;
  const anomalies = dataAnomalies(o);
  const coverageText = coverageEvidence(c);
  const source = o.ledgerSource === 'sqlite-file' ? 'read from the SQLite file' : `read through the app only (${o.directReadError ?? 'direct read unavailable'})`;
  const api = o.apiLedger ? `; through the app's API: ${o.apiLedger.lost} lost, ${o.apiLedger.duplicated} duplicated, ${o.apiLedger.unexpected} unexpected` : '';
  const detail = `${l.lost} of ${l.ok} acknowledged writes lost, ${l.duplicated} duplicated, ${l.unexpected} unexpected, ${l.recovered}/${l.unknown} unknown writes found (${source})${l.lost ? `; first lost: ${l.lostEmails.slice(0, 3).join(', ')}` : ''}${l.duplicated ? `; first duplicated: ${l.duplicatedEmails.slice(0, 3).join(', ')}` : ''}${api}; ${o.checksums.evidence}; ${coverageText}`;
  const whyNot =
    o.ledgerSource !== 'sqlite-file'
      ? 'the SQLite file could not be read directly'
      : !c.sufficient || l.ok === 0
        ? `too few writes after the restore (min ${c.minPerPod}/pod < ${c.minRequired})`
        : undefined;
  return integrityVerdict('Data integrity: no acknowledged write lost, duplicated or unexpected in the SQLite file, seeded tables equal', anomalies, whyNot, detail);
}

/**
 * Both write models' data integrity: anomalies fail the run whatever the coverage; a clean result
 * counts only when it was measured (`whyNot` says why it was not: read through the app only, too few
 * writes after the restore).
 */
function integrityVerdict(title: string, anomalies: readonly string[], whyNot: string | undefined, detail: string): Verdict {
  const notMeasured = anomalies.length === 0 && whyNot !== undefined;
  return {
    id: 'data-integrity',
    title,
    passed: anomalies.length === 0 && !notMeasured,
    measured: notMeasured ? 'not measured' : anomalies.length ? anomalies.join(', ') : 'no anomaly',
    budget: 'no anomaly',
    evidence: notMeasured ? `NOT MEASURED: ${whyNot}; ${detail}` : detail,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** The counted writes per pod and the loss rate they could show: "p1 400 acknowledged writes per pod, a per-pod loss rate ≥ …". */
function perPodCoverage(c: ScenarioOutcome['coverage'], counted: string): string {
  const pods = Object.entries(c.okByPod).map(([p, n]) => `${p} ${n}`).join(', ') || 'none';
  return `${pods}${counted} per pod${c.podsNamed ? '' : ' (the app names no pod: split evenly over the ready replicas)'}, a per-pod loss rate ≥ ${pct(c.detectableLossRate)} detectable at 95 % (minimum ${c.minRequired}/pod)`;
}

function coverageEvidence(c: ScenarioOutcome['coverage']): string {
  return `coverage after the restore: ${perPodCoverage(c, ' acknowledged writes')}`;
}

/** A register's coverage: the post-restore writes a read pinned (their loss would show), per ready replica when the app names no pod. */
function registerCoverageEvidence(c: ScenarioOutcome['coverage'], r: RegisterOutcome): string {
  return (
    `coverage after the restore: ${r.afterRestore.pinned} of the ${r.afterRestore.acknowledged} acknowledged writes were pinned by a read (its only legal value: their loss would show), ` +
    perPodCoverage(c, '')
  );
}

/**
 * Data integrity of a register target: every value read (the SQLite file's final rows, the app's
 * reads during and after the workload) is one a correct register could hold — the last acknowledged
 * write or a later indeterminate one. Measured only with the file read directly and enough writes
 * after the restore checked by a read (pinned; per ready replica when the app names no pod);
 * anomalies fail whatever the coverage. Seeded-table checksums are not judged: the register's writes change its table.
 */
function registerIntegrityVerdict(o: ScenarioOutcome, r: RegisterOutcome): Verdict {
  const c = o.coverage;
  const k = r.check;
  // A key never read is "missing" to the rule (not reading must not pass), but here it is a read that
  // did not happen (neither the file nor the app answered): not measured, not an anomaly.
  const anomalies = registerAnomalies({ totals: { ...k.totals, missing: k.totals.missing - k.unread.length } });
  const source = r.source === 'sqlite-file' ? `final values read from the SQLite file (${r.sqliteHow ?? 'direct read'})` : `read through the app only (${r.directReadError ?? 'direct read unavailable'})`;
  const read = k.results.length - k.unread.length;
  const first = k.results.slice(0, read).filter((x) => x.verdict !== 'ok').slice(0, 3).map((x) => x.detail);
  const detail =
    `${k.headline}; ${source}; through the app's API ${k.bySource.api.anomalies} anomalies in ${k.bySource.api.reads} reads, from the database ${k.bySource.direct.anomalies} in ${k.bySource.direct.reads}` +
    `; writes ${k.writes.ok}/${k.writes.attempted} acknowledged, ${k.writes.fail} failed, ${k.writes.unknown} unknown; initial values from ${k.initialFrom}` +
    (k.unread.length ? `; ${k.unread.length} key(s) never read, not judged: ${k.unread.join(', ')}` : '') +
    (first.length ? `; first: ${first.join(' | ')}` : '') +
    `; ${registerCoverageEvidence(c, r)}` +
    `; seeded-table checksums not judged (a register's writes change its table)`;
  const whyNot =
    r.source !== 'sqlite-file'
      ? 'the SQLite file could not be read directly'
      : r.afterRestore.acknowledged === 0
        ? 'no write acknowledged after the restore'
        : !c.sufficient
          ? `too few writes after the restore checked by a read (min ${c.minPerPod}/pod < ${c.minRequired})`
          : undefined;
  return integrityVerdict('Data integrity: every value read back (the SQLite file, the app) is one a correct register could hold: the last acknowledged write or a later indeterminate one', anomalies, whyNot, detail);
}

/**
 * Engine in use: decided by where the writes acknowledged after the restore landed (read from the
 * SQLite file and, where it still answers, PostgreSQL), not by what the app says. A header that
 * disagrees with the data fails the criterion too.
 */
export function engineInUseVerdict(o: ScenarioOutcome): Verdict {
  const d = o.landed;
  const landedEngine = landedIn(d);
  const said = o.enginesAfter.filter((e) => e !== '?');
  const headerDisagrees = engineHeaderDisagrees(o);
  const onlySqlite = landedEngine === 'sqlite';
  const headers = said.length ? `the app said ${said.join(', ')} (the engine it named on healthy answers)` : 'the app names no engine';
  return {
    id: 'engine-in-use',
    title: 'The restored service is served by SQLite (where the writes landed)',
    passed: d.acknowledged > 0 && onlySqlite && !headerDisagrees,
    measured: d.acknowledged === 0 ? 'no writes' : landedEngine,
    budget: 'sqlite',
    evidence:
      d.keys !== undefined ? registerLandedEvidence(d, landedEngine, headers, headerDisagrees) :
      `of ${d.acknowledged} writes acknowledged after the restore, started once the rollback was complete: ${d.inSqlite ?? '?'} in the SQLite file (${d.sqliteHow ?? 'not read'}${d.inSqlite && d.onlyInSqlite !== d.inSqlite ? `; ${(d.inSqlite ?? 0) - (d.onlyInSqlite ?? 0)} of them copied there from PostgreSQL` : ''}), ` +
      `${d.inPostgres ?? '?'} in PostgreSQL (${d.postgresState}); ${headers}` +
      (headerDisagrees ? `: DISAGREES with where the writes landed (${landedEngine})` : ''),
  };
}

/** Where a register's post-restore writes landed, in keys (each holds the last value written to it). */
function registerLandedEvidence(d: ScenarioOutcome['landed'], landedEngine: string, headers: string, headerDisagrees: boolean): string {
  const copied = d.inSqlite && d.onlyInSqlite !== d.inSqlite ? `; ${(d.inSqlite ?? 0) - (d.onlyInSqlite ?? 0)} of them hold the same value in PostgreSQL (copied there from PostgreSQL)` : '';
  return (
    `of ${d.acknowledged} writes acknowledged after the restore, over ${d.keys} keys: ${d.inSqlite ?? '?'}/${d.keys} keys hold one of them in the SQLite file (${d.sqliteHow ?? 'not read'}${copied}), ` +
    `${d.inPostgres ?? '?'}/${d.keys} in PostgreSQL (${d.postgresState}); ${headers}` +
    (headerDisagrees ? `: DISAGREES with where the writes landed (${landedEngine})` : '')
  );
}

/** The app named an engine after the restore other than the one its acknowledged writes landed in. */
export function engineHeaderDisagrees(o: Pick<ScenarioOutcome, 'landed' | 'enginesAfter'>): boolean {
  const landed = landedIn(o.landed);
  if (landed === 'neither') return false; // nothing to compare with: the verdict fails on that already
  return o.enginesAfter.filter((e) => e !== '?').some((e) => e !== landed);
}

/**
 * The engine the post-restore writes went to: a write in PostgreSQL was written there by the app
 * (nothing copies SQLite → PostgreSQL); one only in the SQLite file was written to SQLite.
 */
export function landedIn(d: ScenarioOutcome['landed']): 'sqlite' | 'postgres' | 'both' | 'neither' {
  const pg = (d.inPostgres ?? 0) > 0;
  const sqlite = (d.onlyInSqlite ?? d.inSqlite ?? 0) > 0;
  return pg && sqlite ? 'both' : pg ? 'postgres' : sqlite ? 'sqlite' : 'neither';
}

export function journalVerdicts(journal: JournalWriter, verdicts: Verdict[]): void {
  for (const v of verdicts) journal.write({ type: 'verdict', ...v });
}
