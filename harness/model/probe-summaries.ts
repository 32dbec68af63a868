// What each probe journals as its summary (`probe.summary` events), one zod schema per probe kind.
// The types writers use are inferred from these schemas, and the journal is validated against them
// when read back, so the report reads fields it knows instead of guessing key names. Objects are
// loose: a key a probe adds later is kept (and rendered generically) until it is declared here.
import { z } from 'zod';
import { SyncResultSchema } from './app-cli-results.ts';

const count = z.number().int().nonnegative();
const ms = z.number();
const byName = z.record(z.string(), z.number());

/** One autocannon phase (probes/load.ts LoadSummary). */
export const LoadSummarySchema = z.looseObject({
  phase: z.string(),
  requests: count,
  durationMs: ms,
  rps: z.number(),
  p50: ms,
  p90: ms,
  p95: ms,
  p99: ms,
  max: ms,
  errors: count,
  timeouts: count,
  non2xx: count,
  engines: byName,
  connections: count,
  paths: z.array(z.string()),
  writeRatio: z.number(),
  writes: z.object({ attempted: count, ok: count, fail: count, unknown: count, okByPod: byName }).optional(),
  generator: z.enum(['closed-loop', 'open-loop']).optional(),
  corrected: z.object({ p50: ms, p90: ms, p95: ms, p99: ms, max: ms }).optional(),
  rate: z.object({ target: z.number(), source: z.string(), sent: z.number(), achieved: z.number(), late: count, lateShare: z.number() }).optional(),
});

/** The availability probe over the whole drill; longestFailureRun flattened to its count. */
export const AvailabilitySummarySchema = z.looseObject({
  total: count,
  failed: count,
  /** Fraction 0..1. */
  errorRate: z.number(),
  downtimeMs: ms,
  downtimeStart: z.number().optional(),
  downtimeEnd: z.number().optional(),
  unavailableMs: ms,
  longestFailureRun: count,
  longestFailureRunMs: ms,
  engines: byName,
  engineFirstSeen: z.array(z.object({ engine: z.string(), t: z.number() })),
  mixedEngineMs: ms,
  p99LatencyMs: ms,
  /** Procedure start → healthy on SQLite for good; absent when never restored. */
  timeToRestoreMs: ms.optional(),
});

/** The set rule over every write against what the restored engine holds (probes/ledger.ts) plus coverage. */
export const LedgerSummarySchema = z.looseObject({
  attempted: count,
  ok: count,
  fail: count,
  unknown: count,
  lost: count,
  recovered: count,
  unexpected: count,
  duplicated: count,
  lostEmails: z.array(z.string()),
  unexpectedEmails: z.array(z.string()),
  duplicatedEmails: z.array(z.string()),
  source: z.enum(['sqlite-file', 'app-api']),
  apiLost: count.optional(),
  apiDuplicated: count.optional(),
  apiUnexpected: count.optional(),
  /** Found rows whose stored values differ from the ones sent (the profile's fields), from the source read. */
  altered: count.optional(),
  apiAltered: count.optional(),
  minPerPod: count,
  /** Fraction 0..1: the smallest per-pod loss rate detectable at 95 %. */
  detectableLoss: z.number(),
});

/** The generated write values (kit/values.ts): the seed that replays them, their domains, the kinds written, what was compared. */
export const ValuesSummarySchema = z.looseObject({ seed: z.number(), domains: z.string(), written: z.string(), compared: z.string() });

/** The serving pods from the restore to the end of the run (probes/stability.ts). */
export const StabilitySummarySchema = z.looseObject({ soakSec: z.number(), soakExplicit: z.boolean(), watchedMs: ms, pods: count, restarts: count, unreadyPeriods: count, unreadyMs: ms, churn: count, polls: count });

/** The differential replay (probes/differential.ts): what was compared, what was left out as noise, the differences. */
export const DifferentialSummarySchema = z.looseObject({
  requests: count,
  fields: count,
  differences: count,
  knownEngineDifferences: count,
  learnedNoise: z.string(),
  declaredNoise: z.string(),
  pods: z.string(),
});

/** The register rule over a register target's writes and reads (drill/register-outcome.ts). */
export const RegisterSummarySchema = z.looseObject({
  headline: z.string(),
  keys: count,
  reads: count,
  ok: count,
  stale: count,
  unknownValue: count,
  missing: count,
  acknowledged: count,
  source: z.enum(['sqlite-file', 'app-api']),
  acknowledgedAfterRestore: count,
  pinnedAfterRestore: count,
  minPerPod: count,
  detectableLoss: z.number(),
});

/** Acknowledged writes per serving pod after the restore (probes/landed-writes.ts Coverage; okByPod as JSON text). */
export const CoverageSummarySchema = z.looseObject({
  okByPod: z.string(),
  minPerPod: count,
  detectableLossRate: z.number(),
  minRequired: count,
  sufficient: z.boolean(),
  podsNamed: z.boolean(),
});

/** Where the post-restore acknowledged writes landed (drill/read-back.ts Landed; engineHeaders as JSON text). */
export const LandedSummarySchema = z.looseObject({
  acknowledged: count,
  inSqlite: count.nullable(),
  inPostgres: count.nullable(),
  onlyInSqlite: count.nullable(),
  postgresState: z.string(),
  sqliteHow: z.string().optional(),
  engineHeaders: z.string(),
});

/** Seeded tables, PostgreSQL before the fault vs SQLite after. */
export const ChecksumsSummarySchema = z.looseObject({ equal: z.boolean(), mismatched: z.string(), evidence: z.string() });

/** Check name → "ok" or "FAILED: evidence" (feature checks, security validation). */
export const CheckListSummarySchema = z.record(z.string(), z.string());

/** criteria/score.ts Score. */
export const ResilienceSummarySchema = z.looseObject({ resilienceScore: z.number(), earned: z.number(), possible: z.number(), missed: z.string() });

/** The app's answers right after a fault took effect (faults/app-reaction.ts). */
export const FaultReactionSummarySchema = z.looseObject({
  fault: z.string(),
  windowMs: ms,
  samples: count,
  healthy: count,
  health: byName,
  feature: byName,
  text: z.string(),
});

/** Where the app Service routed while the probes ran (probes/route-watch.ts RouteSummary; timeline in s from the rollback's start). */
export const RouteSummarySchema = z.looseObject({ polls: count, errors: count, lastError: z.string().optional(), changes: count, timeline: z.string() });

/** What the rollback cost users (drill/rollback-impact.ts): failed reads, the write freeze, refused writes, alerts. */
export const RollbackImpactSummarySchema = z.looseObject({
  readsProbed: count,
  readsFailed: count,
  freezeTables: count.optional(),
  freezeWindowMs: z.union([ms, z.string()]).optional(),
  writesRefused: count.optional(),
  writeOutageMs: z.union([ms, z.string()]).optional(),
  alertsFired: z.string(),
});

/** Every probe kind and its summary: the discriminant of `probe.summary` events. */
export const PROBE_SUMMARY_SCHEMAS = {
  load: LoadSummarySchema,
  availability: AvailabilitySummarySchema,
  ledger: LedgerSummarySchema,
  values: ValuesSummarySchema,
  stability: StabilitySummarySchema,
  differential: DifferentialSummarySchema,
  register: RegisterSummarySchema,
  coverage: CoverageSummarySchema,
  landed: LandedSummarySchema,
  checksums: ChecksumsSummarySchema,
  features: CheckListSummarySchema,
  'security-validation': CheckListSummarySchema,
  resilience: ResilienceSummarySchema,
  'fault-reaction': FaultReactionSummarySchema,
  'forward-migration': SyncResultSchema,
  route: RouteSummarySchema,
  'rollback-impact': RollbackImpactSummarySchema,
} as const;

export type ProbeKind = keyof typeof PROBE_SUMMARY_SCHEMAS;
export type ProbeSummaryOf<K extends ProbeKind> = z.infer<(typeof PROBE_SUMMARY_SCHEMAS)[K]>;
export type LoadSummaryRecord = ProbeSummaryOf<'load'>;
export type AvailabilitySummaryRecord = ProbeSummaryOf<'availability'>;
export type LedgerSummaryRecord = ProbeSummaryOf<'ledger'>;

/** Files of raw samples (`probe.samples`): which series each feeds on the timeline. */
export const SAMPLE_SERIES = {
  availability: 'availability',
  'load-baseline': 'load',
  'load-faulted': 'load',
  'load-after': 'load',
  'capacity-before': 'load',
  'capacity-after': 'load',
} as const;
export type SamplesProbe = keyof typeof SAMPLE_SERIES;
