// The report model: everything a reader or a CI gate needs, derived from a run's journal and
// nothing else. Every renderer (json, md, html, junit) and the history line start from this.
import type { JournalEvent, RunStatus, StepOutcome, StepRecord } from '../model/journal-events.ts';
import type { AvailabilitySummaryRecord, LedgerSummaryRecord, LoadSummaryRecord, ProbeKind, ProbeSummaryOf, SamplesProbe } from '../model/probe-summaries.ts';
import { Redactor } from '../journal/redact.ts';

export const SCHEMA_VERSION = 1 as const;

/** A step that started but has no step.end (the run was interrupted while it ran) is 'interrupted'. */
export type StepReportOutcome = StepOutcome | 'interrupted';
export type GroupStatus = 'passed' | 'failed' | 'aborted' | 'not-evaluated';

/** The step record (journal/events.ts) as a report row. */
export interface StepReport extends Omit<StepRecord, 'outcome'> {
  outcome: StepReportOutcome;
  overBudget: boolean;
}

export interface CriterionReport {
  id: string;
  title: string;
  passed: boolean;
  measured: number | string | null;
  budget: number | string | null;
  unit: string | null;
  evidence: string;
  at: number;
  /** The declared outcome: 'fail' for a known defect of the seed runbook, else 'pass'. */
  expected: 'pass' | 'fail';
  /** The finding that explains an expected failure. */
  expectedBecause: string | null;
  /** What the gate judges: the outcome is the expected one. */
  matches: boolean;
}

/** A validation-checklist item or the data recovery, judged against its expected outcome. */
export interface CheckReport {
  id: string;
  title: string;
  passed: boolean;
  measured: string;
  expected: 'pass' | 'fail';
  expectedBecause: string | null;
  matches: boolean;
  at: number;
  /** The procedure and step this check judges (stepId null: the whole procedure, e.g. the data recovery). */
  procedure: string | null;
  stepId: string | null;
}

/** One verdict or check in the expectations summary, with its measurement. */
export interface ExpectationRow {
  group: string;
  kind: 'criterion' | 'check';
  id: string;
  title: string;
  passed: boolean;
  expected: 'pass' | 'fail';
  /** "537 lost writes, budget 0 lost writes" for a criterion; the outcome and message of a check. */
  measured: string;
  /** The criterion's evidence ('' for a check: its measured line says it all). */
  evidence: string;
  finding: string | null;
  findingTitle: string | null;
}

export interface FindingReport {
  id: string;
  title: string;
  detail: string;
  confirmed: boolean;
  at: number;
  scenario: string | null;
  variant: string | null;
}

export interface FaultReport {
  name: string | null;
  injectedAt: number | null;
  injectDetail: string | null;
  /** true: proven to take effect; false: proven NOT to; null: never verified (or no fault). */
  effective: boolean | null;
  /** When the verification (fault.effective / fault.not-effective) was journalled. */
  verifiedAt: number | null;
  evidence: string | null;
  clearedAt: number | null;
}

/** A typed probe summary: narrowing on `probe` gives its summary's type. */
export type ProbeSummaryReport = { [K in ProbeKind]: { probe: K; at: number; summary: ProbeSummaryOf<K> } }[ProbeKind];

export interface SamplesRef {
  probe: SamplesProbe;
  file: string;
  count: number;
}

export interface TriggerReport {
  trigger: string;
  firedAt: number | null;
  clearedAt: number | null;
  detail: string | null;
}

export interface MarkerReport {
  t: number;
  name: string;
  detail: string | null;
}

export interface PhaseReport {
  phase: string;
  startedAt: number;
  durationMs: number | null;
}

/** The few numbers tracked across runs (history.jsonl) and compared for regressions. */
export interface KeyMetrics {
  timeToRestoreMs: number | null;
  /** Where timeToRestoreMs came from: a probe summary, a criterion verdict, or the procedure's wall time. */
  timeToRestoreSource: 'probe' | 'verdict' | 'procedure' | null;
  downtimeMs: number | null;
  p99AfterMs: number | null;
  lostWrites: number | null;
  score: number | null;
}

export interface GroupReport {
  /** "scenario/variant", or "run" for events outside any scenario. */
  key: string;
  scenario: string | null;
  variant: string | null;
  status: GroupStatus;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  method: string | null;
  validation: string | null;
  budgetMs: number | null;
  fault: FaultReport;
  steps: StepReport[];
  criteria: CriterionReport[];
  /** Validation-checklist items and the data recovery, with their expectations. */
  checks: CheckReport[];
  /** Every criterion and check matched its expected outcome (null: nothing judged). */
  matches: boolean | null;
  findings: FindingReport[];
  probes: ProbeSummaryReport[];
  /** Load phases: before the fault, with the fault in place (performance scenario), after the rollback. */
  latency: { baseline: LoadSummaryRecord | null; faulted?: LoadSummaryRecord | null; after: LoadSummaryRecord | null };
  integrity: LedgerSummaryRecord | null;
  availability: AvailabilitySummaryRecord | null;
  samples: SamplesRef[];
  triggers: TriggerReport[];
  markers: MarkerReport[];
  phases: PhaseReport[];
  metrics: KeyMetrics;
}

export interface Regression {
  group: string;
  metric: 'timeToRestoreMs' | 'downtimeMs' | 'p99AfterMs';
  current: number;
  median: number;
  ratio: number;
  runs: number;
}

export interface RunReport {
  schemaVersion: typeof SCHEMA_VERSION;
  generatedAt: string;
  run: {
    id: string;
    profile: string;
    platform: string;
    platformReason: string | null;
    scenarios: string[];
    variants: string[];
    startedAt: number | null;
    endedAt: number | null;
    durationMs: number | null;
    status: RunStatus;
    exitCode: number | null;
    reason: string | null;
    host: { node: string; os: string; cpus: number } | null;
    /** Scalar settings only: nested values (image maps, env) are never rendered wholesale. */
    config: Record<string, string | number | boolean>;
  };
  verdict: {
    passed: boolean;
    status: RunStatus;
    headline: string;
    /** What the gate judges: every verdict and check has its expected outcome. */
    matchesExpectations: boolean;
    /** failed counts expected failures too; mismatched is what fails the gate. */
    criteria: { total: number; passed: number; failed: number; expectedFailures: number; mismatched: number };
    steps: { total: number; ok: number; failed: number; overBudget: number; notRun: number };
  };
  /** Set when the journal has no run.end: what had been done when the run stopped. */
  interruption: {
    lastEventAt: number | null;
    stepsDone: { group: string; procedure: string; stepId: string; step: string }[];
    inProgress: { group: string; procedure: string; stepId: string; step: string; startedAt: number }[];
  } | null;
  resilienceScore: number | null;
  /** Outcomes against expectations: the seed runbook's defects failing as declared, and every mismatch. */
  expectations: {
    expectedFailures: ExpectationRow[];
    /** Declared to fail, but passed: the runbook was fixed, remove the expectation. */
    unexpectedPasses: ExpectationRow[];
    /** Failed, not declared: a real regression. */
    unexpectedFailures: ExpectationRow[];
  };
  groups: GroupReport[];
  findings: FindingReport[];
  logs: { t: number; level: 'warn' | 'error'; message: string; group: string }[];
  artifacts: { kind: string; path: string; group: string }[];
  /** Inconsistencies the report noticed (e.g. run.end says passed while a criterion failed). */
  warnings: string[];
  /** Filled by compareWithHistory when history is available. */
  history: { compared: number; regressions: Regression[] } | null;
}

export interface BuildOptions {
  generatedAt?: Date;
}

/** The criteria whose measurement is the rollback's duration (criteria/verdicts.ts). */
const ROLLBACK_CRITERIA: ReadonlySet<string> = new Set(['emergency-rollback', 'planned-rollback']);

export function buildReport(events: JournalEvent[], opts: BuildOptions = {}): RunReport {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
  const start = sorted.find((e) => e.type === 'run.start');
  const end = [...sorted].reverse().find((e) => e.type === 'run.end');
  const groups = new Map<string, GroupBuilder>();
  const group = (e: JournalEvent): GroupBuilder => {
    const key = e.scenario ? `${e.scenario}/${e.variant ?? 'default'}` : 'run';
    let g = groups.get(key);
    if (!g) {
      g = new GroupBuilder(key, e.scenario ?? null, e.scenario ? (e.variant ?? 'default') : null);
      groups.set(key, g);
    }
    return g;
  };

  const findings: FindingReport[] = [];
  const logs: RunReport['logs'] = [];
  const artifacts: RunReport['artifacts'] = [];
  let runScore: number | null = null;

  const unknown: string[] = [];
  for (const e of sorted) {
    if (e.type === 'run.start' || e.type === 'run.end') continue;
    if (e.type === 'unknown') {
      // A line that does not match its schema is reported, never read as data.
      unknown.push(`journal line ${e.line}${e.scenario ? ` (${e.scenario}/${e.variant ?? 'default'})` : ''}: ${e.problem}`);
      continue;
    }
    const g = group(e);
    g.add(e);
    if (e.type === 'finding') findings.push(g.findings.at(-1)!);
    if (e.type === 'log' && e.level !== 'info') logs.push({ t: e.t, level: e.level, message: e.message, group: g.key });
    if (e.type === 'artifact') artifacts.push({ kind: e.kind, path: e.path, group: g.key });
  }

  // Interrupted: killed before writing run.end, or stopped (SIGINT) and said so in run.end.
  const aborted = !end || end.status === 'aborted';
  const lastEventAt = sorted.at(-1)?.t ?? null;
  const built = [...groups.values()].map((g) => g.build(aborted, lastEventAt));
  // Scenario groups in the order they ran; the run-level group (if any) last.
  built.sort((a, b) => (a.scenario === null ? 1 : 0) - (b.scenario === null ? 1 : 0) || (a.startedAt ?? 0) - (b.startedAt ?? 0));
  const runGroup = built.find((g) => g.scenario === null);
  if (runGroup) runScore = runGroup.metrics.score;
  const scoredGroups = built.filter((g) => g.scenario !== null && g.metrics.score !== null);
  // Without a run-level score, the weakest scenario's score stands for the run (a chain is as strong as its weakest link).
  const resilienceScore =
    runScore ?? (scoredGroups.length > 0 ? Math.min(...scoredGroups.map((g) => g.metrics.score!)) : null);

  const status: RunStatus = end?.status ?? 'aborted';
  const allCriteria = built.flatMap((g) => g.criteria.map((c) => ({ g, c })));
  const failedCriteria = allCriteria.filter((x) => !x.c.passed);
  const expectations = expectationRows(built, findings);
  const mismatchCount = expectations.unexpectedPasses.length + expectations.unexpectedFailures.length;
  const allSteps = built.flatMap((g) => g.steps);
  const stepCounts = {
    total: allSteps.length,
    ok: allSteps.filter((s) => s.outcome === 'ok').length,
    failed: allSteps.filter((s) => s.outcome === 'failed').length,
    overBudget: allSteps.filter((s) => s.overBudget).length,
    notRun: allSteps.filter((s) => s.outcome === 'skipped' || s.outcome === 'aborted' || s.outcome === 'interrupted').length,
  };

  const warnings: string[] = [];
  if (status === 'passed' && mismatchCount > 0) {
    warnings.push(`run.end says passed, but ${mismatchCount} verdict(s)/check(s) do not match their expected outcome`);
  }
  if (status === 'passed' && allCriteria.length === 0) warnings.push('run.end says passed, but no criterion was evaluated');
  for (const g of built) {
    if (g.fault.effective === false) warnings.push(`${g.key}: fault ${g.fault.name} did not take effect`);
    if (g.fault.injectedAt !== null && g.fault.effective === null) warnings.push(`${g.key}: fault ${g.fault.name} injected but never verified`);
  }
  if (!start) warnings.push('journal has no run.start event');
  for (const u of unknown.slice(0, 10)) warnings.push(`${u}; left out of the report`);
  if (unknown.length > 10) warnings.push(`${unknown.length - 10} more journal line(s) that match no event schema left out of the report`);

  const interruption = aborted
    ? {
        lastEventAt,
        stepsDone: built.flatMap((g) =>
          g.steps.filter((s) => s.outcome === 'ok' || s.outcome === 'failed').map((s) => ({ group: g.key, procedure: s.procedure, stepId: s.stepId, step: s.step })),
        ),
        inProgress: built.flatMap((g) =>
          g.steps
            .filter(wasRunning)
            .map((s) => ({ group: g.key, procedure: s.procedure, stepId: s.stepId, step: s.step, startedAt: s.startedAt })),
        ),
      }
    : null;

  const startedAt = start?.t ?? sorted[0]?.t ?? null;
  const endedAt = end?.t ?? null;
  const report: RunReport = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    run: {
      id: start?.runId ?? 'unknown',
      profile: start?.profile ?? 'unknown',
      platform: start?.platform ?? 'unknown',
      platformReason: start?.platformReason ?? null,
      scenarios: start?.scenarios ?? [],
      variants: start?.variants ?? [],
      startedAt,
      endedAt,
      durationMs: startedAt !== null && endedAt !== null ? endedAt - startedAt : null,
      status,
      exitCode: end?.exitCode ?? null,
      reason: end?.reason ?? (end ? null : 'interrupted: the journal ends without run.end'),
      host: start?.host ?? null,
      config: scalarConfig(start?.config ?? {}),
    },
    verdict: {
      passed: status === 'passed',
      status,
      headline: headline(status, allCriteria.length, failedCriteria, stepCounts, interruption),
      matchesExpectations: mismatchCount === 0,
      criteria: {
        total: allCriteria.length,
        passed: allCriteria.length - failedCriteria.length,
        failed: failedCriteria.length,
        expectedFailures: allCriteria.filter((x) => x.c.expected === 'fail' && x.c.matches).length,
        mismatched: allCriteria.filter((x) => !x.c.matches).length,
      },
      steps: stepCounts,
    },
    interruption,
    resilienceScore,
    expectations,
    groups: built,
    findings,
    logs,
    artifacts,
    warnings,
    history: null,
  };
  // The journal is already redacted; this second pass guards what the report derives from it.
  return new Redactor().value(report);

  function headline(
    s: RunStatus,
    total: number,
    failed: { g: GroupReport; c: CriterionReport }[],
    steps: RunReport['verdict']['steps'],
    intr: RunReport['interruption'],
  ): string {
    const groupsRun = built.filter((g) => g.scenario !== null).length;
    if (s === 'aborted') {
      const done = intr ? intr.stepsDone.length : steps.ok + steps.failed;
      const doing = intr?.inProgress[0];
      return `ABORTED: ${end?.reason ?? 'interrupted'}; ${done} of ${steps.total} step(s) done` + (doing ? `, stopped during "${doing.step}" (${doing.group})` : '');
    }
    if (s === 'error') return `ERROR: ${end?.reason ?? 'infrastructure error'}; ${total - failed.length}/${total} criteria met before it`;
    const first = expectations.unexpectedPasses[0] ?? expectations.unexpectedFailures[0];
    if (first) {
      const what =
        first.passed
          ? `${first.id} (${first.group}) UNEXPECTEDLY PASSED, expected to fail (finding ${first.finding}): measured ${first.measured}; remove the expectation, the runbook was fixed`
          : `${first.id} (${first.group}) failed: measured ${first.measured}`;
      return `${s.toUpperCase()}: ${mismatchCount} verdict(s) do not match their expectations, first ${what}`;
    }
    const expected = expectations.expectedFailures.length;
    const met = `${total - failed.length}/${total} criteria met`;
    const asExpected = expected ? `, ${expected} expected failure(s) of the seed runbook as written` : '';
    if (s === 'passed') return `PASSED: all verdicts match their expectations: ${met}${asExpected} across ${groupsRun} scenario run(s)`;
    return `${s.toUpperCase()}: all verdicts match their expectations (${met}${asExpected}), but the run failed: a drill test failed (see the log)`;
  }
}

function fmtRaw(v: number | string | null, unit: string | null): string {
  if (v === null) return 'not measured';
  return unit ? `${v} ${unit}` : String(v);
}

function expectationRows(groups: readonly GroupReport[], findings: readonly FindingReport[]): RunReport['expectations'] {
  const title = (id: string | null) => (id ? (findings.find((f) => f.id === id)?.title ?? null) : null);
  const rows = groups.flatMap((g) => [
    ...g.criteria.map((c) => ({
      row: {
        group: g.key,
        kind: 'criterion' as const,
        id: c.id,
        title: c.title,
        passed: c.passed,
        expected: c.expected,
        measured: `${fmtRaw(c.measured, c.unit)}, budget ${fmtRaw(c.budget, c.unit)}`,
        evidence: c.evidence,
        finding: c.expectedBecause,
        findingTitle: title(c.expectedBecause),
      },
      matches: c.matches,
    })),
    ...g.checks.map((c) => ({
      row: { group: g.key, kind: 'check' as const, id: c.id, title: c.title, passed: c.passed, expected: c.expected, measured: c.measured, evidence: '', finding: c.expectedBecause, findingTitle: title(c.expectedBecause) },
      matches: c.matches,
    })),
  ]);
  return {
    expectedFailures: rows.filter((x) => x.matches && x.row.expected === 'fail').map((x) => x.row),
    unexpectedPasses: rows.filter((x) => !x.matches && x.row.passed).map((x) => x.row),
    unexpectedFailures: rows.filter((x) => !x.matches && !x.row.passed).map((x) => x.row),
  };
}

const CONFIG_DROP = /(env|secret|password|token|key|credential|url)/i;
function scalarConfig(config: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(config)) {
    if (CONFIG_DROP.test(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/**
 * A step the interruption caught mid-way: started but never ended, or ended by the abort after it
 * had been running (the runner journals steps it never started as aborted with 0 ms).
 */
export function wasRunning(s: StepReport): boolean {
  return s.outcome === 'interrupted' || (s.outcome === 'aborted' && s.durationMs > 0);
}

/** Converts a measured duration to ms from its unit; null when it is not a duration. */
export function durationToMs(value: number | string | null, unit: string | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  switch ((unit ?? '').toLowerCase()) {
    case 'ms':
      return value;
    case 's':
    case 'sec':
    case 'seconds':
      return value * 1000;
    case 'min':
    case 'minutes':
      return value * 60_000;
    default:
      return null;
  }
}

/** A criterion or check judged again later replaces the earlier one, in its place. */
function upsert<T extends { id: string }>(list: T[], item: T): void {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) list[i] = item;
  else list.push(item);
}

class GroupBuilder {
  readonly steps: StepReport[] = [];
  readonly open = new Map<string, Pick<StepRecord, 'procedure' | 'stepId' | 'step' | 'index' | 'budgetMs' | 'startedAt'>>();
  readonly criteria: CriterionReport[] = [];
  readonly checks: CheckReport[] = [];
  readonly findings: FindingReport[] = [];
  readonly probes: ProbeSummaryReport[] = [];
  readonly samples: SamplesRef[] = [];
  readonly triggers = new Map<string, TriggerReport>();
  readonly markers: MarkerReport[] = [];
  readonly phases: PhaseReport[] = [];
  readonly fault: FaultReport = { name: null, injectedAt: null, injectDetail: null, effective: null, verifiedAt: null, evidence: null, clearedAt: null };
  scenarioStart: { t: number; method: string; budgetMs: number; validation: string; fault: string } | null = null;
  scenarioEnd: { t: number; passed: boolean; durationMs: number } | null = null;
  firstAt: number | null = null;
  lastAt: number | null = null;

  constructor(
    readonly key: string,
    readonly scenario: string | null,
    readonly variant: string | null,
  ) {}

  add(e: JournalEvent): void {
    this.firstAt ??= e.t;
    this.lastAt = e.t;
    switch (e.type) {
      case 'scenario.start':
        this.scenarioStart = { t: e.t, method: e.method, budgetMs: e.budgetMs, validation: e.validation, fault: e.fault };
        if (e.fault && e.fault !== 'none') this.fault.name ??= e.fault;
        break;
      case 'scenario.end':
        this.scenarioEnd = { t: e.t, passed: e.passed, durationMs: e.durationMs };
        break;
      case 'phase.start':
        this.phases.push({ phase: e.phase, startedAt: e.t, durationMs: null });
        break;
      case 'phase.end': {
        const p = [...this.phases].reverse().find((x) => x.phase === e.phase && x.durationMs === null);
        if (p) p.durationMs = e.durationMs ?? e.t - p.startedAt;
        else this.phases.push({ phase: e.phase, startedAt: e.t - (e.durationMs ?? 0), durationMs: e.durationMs ?? 0 });
        break;
      }
      case 'step.start':
        this.open.set(`${e.procedure}#${e.index}`, { procedure: e.procedure, stepId: e.stepId, step: e.step, index: e.index, budgetMs: e.budgetMs, startedAt: e.t });
        break;
      case 'step.end':
        this.open.delete(`${e.procedure}#${e.index}`);
        this.steps.push({
          procedure: e.procedure,
          stepId: e.stepId,
          step: e.step,
          index: e.index,
          budgetMs: e.budgetMs,
          startedAt: e.startedAt,
          durationMs: e.durationMs,
          outcome: e.outcome,
          overBudget: e.outcome !== 'skipped' && e.outcome !== 'aborted' && e.durationMs > e.budgetMs,
          message: e.message,
        });
        break;
      case 'fault.inject':
        this.fault.name = e.fault;
        this.fault.injectedAt = e.t;
        this.fault.injectDetail = e.detail;
        break;
      case 'fault.effective':
      case 'fault.not-effective':
        this.fault.name ??= e.fault;
        this.fault.effective = e.type === 'fault.effective';
        this.fault.verifiedAt = e.t;
        this.fault.evidence = e.detail;
        break;
      case 'fault.clear':
        this.fault.clearedAt = e.t;
        break;
      case 'marker':
        this.markers.push({ t: e.t, name: e.name, detail: e.detail ?? null });
        break;
      case 'probe.summary':
        this.probes.push({ probe: e.probe, at: e.t, summary: e.summary } as ProbeSummaryReport);
        break;
      case 'probe.samples':
        this.samples.push({ probe: e.probe, file: e.file, count: e.count });
        break;
      case 'verdict': {
        const { id, title, passed, measured, budget, evidence } = e;
        // Journals from before expectations: a verdict must simply pass.
        const judged = { expected: e.expected ?? 'pass', expectedBecause: e.expectedBecause ?? null, matches: e.matches ?? passed };
        upsert(this.criteria, { id, title, passed, measured, budget, unit: e.unit ?? null, evidence, at: e.t, ...judged });
        break;
      }
      case 'check': {
        const { id, title, passed, measured, expected, matches } = e;
        upsert(this.checks, { id, title, passed, measured, expected, expectedBecause: e.expectedBecause ?? null, matches, at: e.t, procedure: e.procedure ?? null, stepId: e.stepId ?? null });
        break;
      }
      case 'finding': {
        const f: FindingReport = { id: e.id, title: e.title, detail: e.detail, confirmed: e.confirmed, at: e.t, scenario: this.scenario, variant: this.variant };
        this.findings.push(f);
        break;
      }
      case 'trigger': {
        const prev = this.triggers.get(e.trigger);
        this.triggers.set(e.trigger, {
          trigger: e.trigger,
          firedAt: e.firedAt ?? prev?.firedAt ?? null,
          clearedAt: e.clearedAt ?? prev?.clearedAt ?? null,
          detail: e.detail ?? prev?.detail ?? null,
        });
        break;
      }
      default:
        break;
    }
  }

  build(runAborted: boolean, lastEventAt: number | null): GroupReport {
    const steps = [...this.steps];
    for (const o of this.open.values()) {
      const durationMs = Math.max(0, (lastEventAt ?? o.startedAt) - o.startedAt);
      steps.push({ ...o, durationMs, outcome: 'interrupted', overBudget: durationMs > o.budgetMs, message: 'no step.end: the run stopped during this step' });
    }
    steps.sort((a, b) => a.startedAt - b.startedAt || a.index - b.index);

    const availability = this.last('availability');
    const integrity = this.last('ledger');
    const loadPhase = (phase: string) => this.all('load').findLast((s) => s.phase === phase) ?? null;
    const after = loadPhase('after');

    let status: GroupStatus;
    if (this.scenarioEnd) status = this.scenarioEnd.passed ? 'passed' : 'failed';
    else if (runAborted && this.scenario !== null) status = 'aborted';
    else if (this.criteria.length > 0) status = this.criteria.every((c) => c.passed) ? 'passed' : 'failed';
    else status = 'not-evaluated';

    const startedAt = this.scenarioStart?.t ?? this.firstAt;
    const endedAt = this.scenarioEnd?.t ?? this.lastAt;
    return {
      key: this.key,
      scenario: this.scenario,
      variant: this.variant,
      status,
      startedAt,
      endedAt,
      durationMs: this.scenarioEnd?.durationMs ?? (startedAt !== null && endedAt !== null ? endedAt - startedAt : null),
      method: this.scenarioStart?.method ?? null,
      validation: this.scenarioStart?.validation ?? null,
      budgetMs: this.scenarioStart?.budgetMs ?? null,
      fault: { ...this.fault },
      steps,
      criteria: this.criteria,
      checks: this.checks,
      matches: this.criteria.length + this.checks.length === 0 ? null : [...this.criteria, ...this.checks].every((x) => x.matches),
      findings: this.findings,
      probes: this.probes,
      latency: { baseline: loadPhase('baseline'), faulted: loadPhase('faulted'), after },
      integrity,
      availability,
      samples: this.samples,
      triggers: [...this.triggers.values()],
      markers: this.markers,
      phases: this.phases,
      metrics: this.metrics(steps, availability, integrity, after),
    };
  }

  /** Every summary of one probe kind, in journal order. */
  all<K extends ProbeKind>(kind: K): ProbeSummaryOf<K>[] {
    return this.probes.filter((p): p is Extract<ProbeSummaryReport, { probe: K }> => p.probe === kind).map((p) => p.summary as ProbeSummaryOf<K>);
  }

  last<K extends ProbeKind>(kind: K): ProbeSummaryOf<K> | null {
    return this.all(kind).at(-1) ?? null;
  }

  metrics(steps: StepReport[], availability: AvailabilitySummaryRecord | null, ledger: LedgerSummaryRecord | null, after: LoadSummaryRecord | null): KeyMetrics {
    let timeToRestoreMs: number | null = null;
    let timeToRestoreSource: KeyMetrics['timeToRestoreSource'] = null;
    const fromProbe = availability?.timeToRestoreMs;
    const fromVerdict = this.criteria
      .filter((c) => ROLLBACK_CRITERIA.has(c.id))
      .map((c) => durationToMs(c.measured, c.unit))
      .find((v) => v !== null);
    if (fromProbe !== undefined) [timeToRestoreMs, timeToRestoreSource] = [fromProbe, 'probe'];
    else if (fromVerdict != null) [timeToRestoreMs, timeToRestoreSource] = [fromVerdict, 'verdict'];
    else {
      const ran = steps.filter((s) => s.outcome !== 'skipped' && s.outcome !== 'aborted');
      if (ran.length > 0 && ran.every((s) => s.outcome === 'ok')) {
        const first = Math.min(...ran.map((s) => s.startedAt));
        const lastEnd = Math.max(...ran.map((s) => s.startedAt + s.durationMs));
        [timeToRestoreMs, timeToRestoreSource] = [lastEnd - first, 'procedure'];
      }
    }
    return {
      timeToRestoreMs,
      timeToRestoreSource,
      downtimeMs: availability?.downtimeMs ?? null,
      p99AfterMs: after?.p99 ?? null,
      lostWrites: ledger?.lost ?? null,
      score: this.last('resilience')?.resilienceScore ?? null,
    };
  }
}
