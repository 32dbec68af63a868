// The journal's vocabulary: every report is rendered from these events and nothing else. Each
// event type has a zod schema; the TypeScript types writers use are inferred from them, and
// readJournal validates every line against them (a line that fails is kept as an `unknown` event
// carrying the problem, never a crash). The step record is declared once, here.
import { z } from 'zod';
import { SAMPLE_SERIES, type ProbeKind, type ProbeSummaryOf } from './probe-summaries.ts';

export const StepOutcomeSchema = z.enum(['ok', 'failed', 'skipped', 'aborted']);
export type StepOutcome = z.infer<typeof StepOutcomeSchema>;
export const RunStatusSchema = z.enum(['passed', 'failed', 'aborted', 'error']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/**
 * One step of a procedure as it ran: what step.end journals, what runProcedure returns (plus
 * overBudget) and what a report row shows (plus its report outcome).
 */
export const StepRecordSchema = z.object({
  procedure: z.string(),
  /** The step's stable id (what checks and expectations refer to). */
  stepId: z.string(),
  /** Its prose name, free to change. */
  step: z.string(),
  index: z.number().int().nonnegative(),
  budgetMs: z.number(),
  startedAt: z.number(),
  durationMs: z.number(),
  outcome: StepOutcomeSchema,
  message: z.string(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

const expected = z.enum(['pass', 'fail']);
const measure = z.union([z.number(), z.string()]).nullable();
const faultBody = z.object({ fault: z.string(), detail: z.string() });
const phaseBody = z.object({ phase: z.string(), durationMs: z.number().optional() });

/**
 * Why a check, verdict or finding came out as it did, seen from outside: the distinct answers of the
 * requests that failed (status and trimmed, redacted body, with their counts), the telling log lines
 * of the pods involved (errors and SQLSTATEs, de-duplicated, with the file of the full log under the
 * run folder when there is one), and what to fix where the finding says.
 */
export const CausesSchema = z.object({
  answers: z.array(z.object({ request: z.string(), status: z.number(), body: z.string(), count: z.number() })).optional(),
  logs: z.array(z.object({ pod: z.string(), line: z.string(), count: z.number(), file: z.string().optional() })).optional(),
  fix: z.string().optional(),
});
export type Causes = z.infer<typeof CausesSchema>;

/**
 * Where a statement comes from: measured (a request, exec or query of this run produced it; source
 * names it), declared (the target profile or config says so; source names the field) or inferred
 * (derived from other measurements; source says from which).
 */
export const ProvenanceSchema = z.object({ kind: z.enum(['measured', 'declared', 'inferred']), source: z.string() });
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** runbook: a defect of the runbook; premise: something the runbook assumes of the app that it breaks; note: about the drill itself. */
export const FindingKindSchema = z.enum(['runbook', 'premise', 'note']);
export type FindingKind = z.infer<typeof FindingKindSchema>;

/** The body of every event type but probe.summary (see PROBE_SUMMARY_SCHEMAS), by type. */
export const EVENT_SCHEMAS = {
  'run.start': z.object({
    runId: z.string(),
    profile: z.string(),
    platform: z.string(),
    platformReason: z.string().optional(),
    /** The target profile: its name and the description it gives itself (the reports' run line). */
    target: z.object({ name: z.string(), description: z.string() }).optional(),
    scenarios: z.array(z.string()),
    variants: z.array(z.string()),
    config: z.record(z.string(), z.unknown()),
    host: z.object({ node: z.string(), os: z.string(), cpus: z.number() }),
  }),
  'scenario.start': z.object({ fault: z.string(), method: z.string(), budgetMs: z.number(), validation: z.string() }),
  /** matches: every verdict and check of the scenario matched its expected outcome. */
  'scenario.end': z.object({ passed: z.boolean(), durationMs: z.number(), matches: z.boolean().optional() }),
  'phase.start': phaseBody,
  'phase.end': phaseBody,
  'step.start': StepRecordSchema.pick({ procedure: true, stepId: true, step: true, index: true, budgetMs: true }),
  'step.end': StepRecordSchema,
  'fault.inject': faultBody,
  'fault.effective': faultBody,
  'fault.not-effective': faultBody,
  'fault.clear': faultBody,
  marker: z.object({ name: z.string(), detail: z.string().optional() }),
  'probe.samples': z.object({ probe: z.enum(Object.keys(SAMPLE_SERIES) as [keyof typeof SAMPLE_SERIES]), file: z.string(), count: z.number() }),
  verdict: z.object({
    id: z.string(),
    title: z.string(),
    passed: z.boolean(),
    measured: measure,
    budget: measure,
    unit: z.string().optional(),
    evidence: z.string(),
    /** The outcome this variant/scenario is expected to have (absent: pass); 'fail' for a declared seed-runbook defect. */
    expected: expected.optional(),
    /** The finding id that explains an expected failure. */
    expectedBecause: z.string().optional(),
    /** passed === (expected === 'pass'): what the gate judges (absent in older journals: judge `passed`). */
    matches: z.boolean().optional(),
    /** Why a target's finding (expectedBecause) masks a declared expected failure, so a pass is expected. */
    maskReason: z.string().optional(),
    /** The outcome in words, for a headline ("no trigger fired before the rollback started"); absent: measured against budget. */
    says: z.string().optional(),
    /** Set when what the criterion judges could not be measured (passed is then false: it earns no score): why. */
    notMeasured: z.string().optional(),
    causes: CausesSchema.optional(),
  }),
  /**
   * A validation-checklist item, a rollback step or the data recovery, judged against its expected
   * outcome like a verdict. procedure/stepId: the step it judges; a procedure without a stepId
   * judges the whole procedure (the data recovery).
   */
  check: z.object({
    id: z.string(),
    title: z.string(),
    passed: z.boolean(),
    measured: z.string(),
    expected,
    expectedBecause: z.string().optional(),
    matches: z.boolean(),
    procedure: z.string().optional(),
    stepId: z.string().optional(),
    maskReason: z.string().optional(),
    says: z.string().optional(),
    causes: CausesSchema.optional(),
    provenance: ProvenanceSchema.optional(),
  }),
  finding: z.object({
    id: z.string(),
    title: z.string(),
    detail: z.string(),
    confirmed: z.boolean(),
    /** Absent in older journals: the report infers it from the id (runbook-…, premise-… and app-…, else note). */
    kind: FindingKindSchema.optional(),
    provenance: ProvenanceSchema.optional(),
    causes: CausesSchema.optional(),
  }),
  trigger: z.object({ trigger: z.string(), firedAt: z.number().optional(), clearedAt: z.number().optional(), detail: z.string().optional() }),
  artifact: z.object({ kind: z.string(), path: z.string() }),
  /** cause 'setup': the platform or the baseline could not be set up, so nothing was drilled (exit 3). */
  log: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), cause: z.literal('setup').optional() }),
  'run.end': z.object({ status: RunStatusSchema, exitCode: z.number(), reason: z.string().optional() }),
} as const;

export const BaseSchema = z.object({
  /** Wall-clock time, ms since epoch. */
  t: z.number(),
  /** Scenario/variant the event belongs to, when inside one. */
  scenario: z.string().optional(),
  variant: z.string().optional(),
});
type Base = z.infer<typeof BaseSchema>;

export type Bodies = typeof EVENT_SCHEMAS;
export type BodyEvent = { [K in keyof Bodies]: Base & { type: K } & z.infer<Bodies[K]> }[keyof Bodies];
/** One typed summary per probe kind (probe-summaries.ts). */
export type ProbeSummaryEvent = { [K in ProbeKind]: Base & { type: 'probe.summary'; probe: K; summary: ProbeSummaryOf<K> } }[ProbeKind];
/** A journal line that is not a valid event: kept (so nothing is silently dropped), never rendered as data. */
export type UnknownEvent = Base & { type: 'unknown'; line: number; problem: string; raw: Record<string, unknown> };

/** What writers write. */
export type KnownEvent = BodyEvent | ProbeSummaryEvent;
/** What readers read. */
export type JournalEvent = KnownEvent | UnknownEvent;
export type EventType = JournalEvent['type'];
export type EventOf<T extends EventType> = Extract<JournalEvent, { type: T }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type NewEvent = DistributiveOmit<KnownEvent, 't'> & { t?: number };

/** What procedures, faults and probes write to: the journal (journal/journal.ts) as they see it. */
export interface JournalWriter {
  write(event: NewEvent): unknown;
  /** The file the journal appends to (artifacts and tests name it). */
  readonly file: string;
  /** Secrets a step learns (a replaced password) are added here, so no event ever carries them. */
  readonly redactor: { add(secret: string): void };
}
