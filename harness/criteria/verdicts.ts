// The runbook's success criteria, each a verdict from a measurement: measured value, budget and a
// sentence of evidence. No measurement, no pass.
import type { EventOf } from '../journal/events.ts';
import type { Journal } from '../journal/journal.ts';
import type { ScenarioOutcome } from '../drill/run-scenario.ts';
import { SUCCESS_CRITERIA } from './matrix.ts';

/** A verdict is exactly what the journal records for it. */
export type Verdict = Omit<EventOf<'verdict'>, 't' | 'type' | 'scenario' | 'variant'>;

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

/** The verdicts of a scenario run: the rollback by its method and budget, then every other criterion. */
export function scenarioVerdicts(o: ScenarioOutcome): Verdict[] {
  const [rollback, ...rest] = emergencyVerdicts(o, o.budgetMs);
  return [
    o.method === 'planned' ? plannedVerdict(o, Math.min(o.budgetMs, PLANNED_BUDGET_MS)) : rollback!,
    ...rest,
    functionalityVerdict(o),
    performanceVerdict(o),
    monitoringVerdict(o),
    ...(o.security ? [securityVerdict(o)] : []),
  ];
}

/** Security validation (security-incident): no pod holds PostgreSQL credentials, PostgreSQL cut off. */
export function securityVerdict(o: ScenarioOutcome): Verdict {
  const s = o.security!;
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
  const missing = o.expectedTriggers.filter((id) => !o.triggers.find((t) => t.id === id && t.firedAt !== undefined));
  const fired = o.triggers.filter((t) => t.firedAt !== undefined);
  return {
    id: 'monitoring',
    title: 'Monitoring: the expected triggers fired and all alerts cleared within 10 minutes (scaled)',
    passed: o.alerts.cleared && missing.length === 0,
    measured: o.alerts.clearedAfterMs ?? null,
    budget: o.alerts.deadlineMs,
    unit: 'ms',
    evidence:
      `${missing.length ? `expected trigger(s) never fired: ${missing.join(', ')}; ` : ''}` +
      `${fired.map((t) => `${t.id} ${t.evidence}`).join('; ') || 'no trigger fired'}; ${o.alerts.evidence}`,
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

/** Performance: p99 of the read mix under load after the rollback < 500 ms. */
export function performanceVerdict(o: ScenarioOutcome, budgetMs: number = SUCCESS_CRITERIA.p99LatencyMs): Verdict {
  const a = o.load.after;
  const served = a ? a.requests - a.non2xx : 0;
  return {
    id: 'performance',
    title: `Performance: p99 response time after the rollback < ${budgetMs} ms`,
    passed: a !== undefined && served > 0 && a.errors === 0 && a.p99 < budgetMs,
    measured: a ? a.p99 : null,
    budget: budgetMs,
    unit: 'ms',
    evidence: a
      ? `p99 ${a.p99} ms (p50 ${a.p50}, p95 ${a.p95}, max ${a.max}) over ${a.requests} requests in ${(a.durationMs / 1000).toFixed(1)} s, ${a.rps} req/s, ${a.errors} errors, ${a.non2xx} non-2xx, engines ${JSON.stringify(a.engines)}` +
        (o.load.baseline ? `; baseline before the fault p99 ${o.load.baseline.p99} ms` : '') +
        (o.load.faulted ? `; with the fault in place p99 ${o.load.faulted.p99} ms` : '')
      : 'no load phase ran after the rollback',
  };
}

export function emergencyVerdicts(o: ScenarioOutcome, budgetMs = EMERGENCY_BUDGET_MS): Verdict[] {
  const ttr = o.timeToRestoreMs;
  const l = o.ledger;
  return [
    {
      id: 'emergency-rollback',
      title: 'Emergency rollback: trigger → healthy on SQLite with 3/3 ready',
      passed: ttr !== undefined && ttr < budgetMs && o.sqliteReady === 3,
      measured: ttr ?? null,
      budget: budgetMs,
      unit: 'ms',
      evidence:
        ttr === undefined
          ? `never restored: no 5 consecutive healthy SQLite answers after the trigger (${o.availability.failed}/${o.availability.total} probes failed); SQLite ready ${o.sqliteReady}/3`
          : `restored ${(ttr / 1000).toFixed(1)} s after the trigger (budget ${budgetMs / 60_000} min), SQLite ready ${o.sqliteReady}/3, downtime ${(o.availability.downtimeMs / 1000).toFixed(1)} s`,
    },
    {
      id: 'data-integrity',
      title: 'Data integrity: no acknowledged write lost, seeded tables equal',
      passed: l.lost === 0 && l.unexpected === 0 && l.duplicated === 0 && l.ok > 0 && o.checksums.equal,
      measured: l.lost,
      budget: 0,
      unit: 'lost writes',
      evidence: `${l.lost} of ${l.ok} acknowledged writes lost, ${l.unexpected} unexpected, ${l.duplicated} duplicated, ${l.recovered}/${l.unknown} unknown writes found${l.lost ? `; first lost: ${l.lostEmails.slice(0, 3).join(', ')}` : ''}; ${o.checksums.evidence}`,
    },
    {
      id: 'engine-in-use',
      title: 'The restored service is served by SQLite',
      passed: o.enginesAfter.length === 1 && o.enginesAfter[0] === 'sqlite',
      measured: o.enginesAfter.join(',') || 'none',
      budget: 'sqlite',
      evidence: `engines answering after restore: ${o.enginesAfter.join(', ') || 'none'} (x-db-engine of every healthy probe)`,
    },
  ];
}

export function journalVerdicts(journal: Journal, verdicts: Verdict[]): void {
  for (const v of verdicts) journal.write({ type: 'verdict', ...v });
}
