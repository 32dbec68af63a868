// The journal's vocabulary: every report is rendered from these events and nothing else. Each
// event type has a zod schema; the TypeScript types writers use are inferred from them, and
// readJournal validates every line against them (a line that fails is kept as an `unknown` event
// carrying the problem, never a crash). The step record is declared once, here.
import { z } from 'zod';
import { issueLine } from '../journal/zod-issues.ts';
import { PROBE_SUMMARY_SCHEMAS, SAMPLE_SERIES, type ProbeKind, type ProbeSummaryOf } from './probe-summaries.ts';

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

/** The body of every event type but probe.summary (see PROBE_SUMMARY_SCHEMAS), by type. */
export const EVENT_SCHEMAS = {
  'run.start': z.object({
    runId: z.string(),
    profile: z.string(),
    platform: z.string(),
    platformReason: z.string().optional(),
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
  }),
  finding: z.object({ id: z.string(), title: z.string(), detail: z.string(), confirmed: z.boolean() }),
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

type Bodies = typeof EVENT_SCHEMAS;
type BodyEvent = { [K in keyof Bodies]: Base & { type: K } & z.infer<Bodies[K]> }[keyof Bodies];
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

const ProbeEnvelope = z.object({ probe: z.string(), summary: z.unknown() });

/** A journal line kept as it was, with what is wrong with it. */
export function unknownEvent(obj: Record<string, unknown>, line: number, fallbackT: number, problem: string): UnknownEvent {
  return {
    t: typeof obj['t'] === 'number' ? obj['t'] : fallbackT,
    ...(typeof obj['scenario'] === 'string' ? { scenario: obj['scenario'] } : {}),
    ...(typeof obj['variant'] === 'string' ? { variant: obj['variant'] } : {}),
    type: 'unknown',
    line,
    problem,
    raw: obj,
  };
}

/**
 * Validates one parsed journal line. A line that does not match its type's schema comes back as an
 * `unknown` event naming the type, the field and the problem; `line` is its 1-based line number.
 */
export function parseEvent(raw: unknown, line: number, fallbackT = 0): JournalEvent {
  const obj = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const base = BaseSchema.safeParse(obj);
  const type = typeof obj['type'] === 'string' ? obj['type'] : undefined;
  const unknown = (problem: string) => unknownEvent(obj, line, fallbackT, problem);
  if (type === undefined) return unknown('not an event: no "type"');
  if (!base.success) return unknown(`${type}: ${issueLine(base.error)}`);
  if (type === 'probe.summary') {
    const env = ProbeEnvelope.safeParse(obj);
    if (!env.success) return unknown(`${type}: ${issueLine(env.error)}`);
    const { probe } = env.data;
    if (!Object.hasOwn(PROBE_SUMMARY_SCHEMAS, probe)) return unknown(`${type}: probe "${probe}" is not a declared probe kind (${Object.keys(PROBE_SUMMARY_SCHEMAS).join(', ')})`);
    const summary = PROBE_SUMMARY_SCHEMAS[probe as ProbeKind].safeParse(env.data.summary);
    if (!summary.success) return unknown(`${type} (${probe}): ${issueLine(summary.error, 'summary')}`);
    return { ...base.data, type, probe, summary: summary.data } as ProbeSummaryEvent;
  }
  if (!Object.hasOwn(EVENT_SCHEMAS, type)) return unknown(`"${type}" is not an event type`);
  const body = EVENT_SCHEMAS[type as keyof Bodies].safeParse(obj);
  if (!body.success) return unknown(`${type}: ${issueLine(body.error)}`);
  return { ...base.data, type, ...body.data } as BodyEvent;
}
