// The report model: everything a reader or a CI gate needs, derived from a run's journal and
// nothing else. Every renderer (json, md, html, junit) and the history line start from this. Types
// only: build-report.ts builds it.
import type { Causes, FindingKind, Provenance, RunStatus, StepOutcome, StepRecord } from '../model/journal-events.ts';
import type { AvailabilitySummaryRecord, LedgerSummaryRecord, LoadSummaryRecord, ProbeKind, ProbeSummaryOf, SamplesProbe } from '../model/probe-summaries.ts';

export const SCHEMA_VERSION = 1 as const;

/** A step that started but has no step.end (the run was interrupted while it ran) is 'interrupted'. */
export type StepReportOutcome = StepOutcome | 'interrupted';
export type GroupStatus = 'passed' | 'failed' | 'aborted' | 'not-evaluated';

/** The step record (model/journal-events.ts) as a report row. */
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
  /** Why a mask made a pass expected (expectedBecause names the masking finding); null: no mask. */
  maskReason: string | null;
  /** The outcome in words (null: the measured value against the budget says it). */
  says: string | null;
  /** Why nothing could be measured (null: it was). */
  notMeasured: string | null;
  causes: Causes | null;
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
  maskReason: string | null;
  /** The outcome in words (a premise: what breaking it means); null: `measured` says it. */
  says: string | null;
  causes: Causes | null;
  provenance: Provenance | null;
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
  /** The outcome in words (null: `measured` says it). */
  says: string | null;
  causes: Causes | null;
}

export interface FindingReport {
  id: string;
  title: string;
  detail: string;
  confirmed: boolean;
  at: number;
  scenario: string | null;
  variant: string | null;
  kind: FindingKind;
  /** null: measured by the step that journalled it (older journals say nothing else). */
  provenance: Provenance | null;
  causes: Causes | null;
}

/**
 * One finding across the run: the same id journalled by several scenarios is one row, with the
 * scenarios listed and each distinct detail kept once. confirmed: any scenario confirmed it.
 */
export interface FindingGroupRow {
  id: string;
  title: string;
  kind: FindingKind;
  confirmed: boolean;
  /** "scenario / variant" labels, or "run". */
  where: string[];
  /** Distinct details, in the order first seen. */
  details: string[];
  provenance: Provenance | null;
  causes: Causes | null;
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
  latency: { baseline: LoadSummaryRecord | null; faulted?: LoadSummaryRecord | null; after: LoadSummaryRecord | null; capacityBefore?: LoadSummaryRecord | null; capacityAfter?: LoadSummaryRecord | null };
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
    /** The target profile drilled (null: a journal from before the CLI named it, or a suite run). */
    target: { name: string; description: string } | null;
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
  /** The findings grouped by kind (runbook defects, app premises, drill notes), one row per id. */
  findingGroups: Record<FindingKind, FindingGroupRow[]>;
  /** The run's score before any cap, and the cap the failed premises put on it (null: no premise failed). */
  scoreCap: { uncapped: number; cap: number; failedPremises: { id: string; title: string; measured: string }[]; rule: string } | null;
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
