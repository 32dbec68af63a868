// What the probes measure, as data: the records and summaries each probe returns and the outcome is built from.
import { z } from 'zod';
import type { TableSum } from './app-cli-results.ts';
import type { TriggerId } from './scenario.ts';
import type { SentValue, ValueDifference } from './value-domain.ts';


export interface Sample {
  /** Request start, ms since epoch. */
  t: number;
  /** HTTP status; 0 when no answer within the health timeout (connection error, timeout, late answer). */
  status: number;
  /** Until the answer, or until the request was given up (connection error, the give-up time). */
  latencyMs: number;
  /** The status of an answer that came after the health timeout. */
  lateStatus?: number;
  engine?: string;
  pod?: string;
  error?: string;
  /**
   * Where the Service routed at `t` (route-watch.ts engineAt): the one engine of every ready routed
   * pod, 'mixed', or absent when none was ready. Judged from outside, for an app that names no engine.
   */
  route?: string;
}

export interface AvailabilitySummary {
  total: number;
  failed: number;
  /** Fraction 0..1. */
  errorRate: number;
  /** First failure → first success after the last failure (0 when nothing failed). */
  downtimeMs: number;
  downtimeStart?: number;
  downtimeEnd?: number;
  /** Sum of the spans of every failure run. */
  unavailableMs: number;
  longestFailureRun: { count: number; ms: number };
  engines: Record<string, number>;
  /** First response from each engine, in order of appearance. */
  engineFirstSeen: { engine: string; t: number }[];
  /** Span during which both engines answered (mixed serving), 0 if none. */
  mixedEngineMs: number;
  p99LatencyMs: number;
  /** Start of the last sample (how far the probe watched). */
  lastAt?: number;
  /**
   * Where the engines of healthy answers came from: the app's own header/body field, the Service's
   * routed pods (the app named none), both (some answers named it), or neither.
   */
  engineFrom: 'app' | 'route' | 'mixed' | 'none';
}
export interface ChecksumSnapshot {
  engine: 'sqlite' | 'postgres';
  tables: TableSum[];
  /** The key bounds applied (table → largest key counted); only tables of the mapping. */
  maxIds: Record<string, number>;
}

export interface ChecksumComparison {
  equal: boolean;
  /** Tables whose count or checksum differs: "users 2050→2000". */
  mismatched: string[];
  evidence: string;
  before?: ChecksumSnapshot;
  after?: ChecksumSnapshot;
}
export interface FeatureCheck {
  id: string;
  title: string;
  passed: boolean;
  evidence: string;
  /** The request's latency (HTTP checks). */
  latencyMs?: number;
  /** A failed HTTP check's answer (status 0: none), its body trimmed: the functionality verdict's causes. */
  answer?: { request: string; status: number; body: string };
}
export interface Coverage {
  /** Acknowledged writes after the restore, per pod that answered them. */
  okByPod: Record<string, number>;
  /** The smallest of those counts (0 when nothing was acknowledged). */
  minPerPod: number;
  /**
   * The smallest per-pod loss rate this run would have caught with 95 % confidence: a pod losing
   * each write with probability p keeps all n with probability (1-p)^n; that is ≤ 5 % from
   * p = 1 - 0.05^(1/n). 1 when nothing was written.
   */
  detectableLossRate: number;
  /** The configured minimum of acknowledged writes per pod for the data-integrity verdict to count. */
  minRequired: number;
  sufficient: boolean;
  /** Every acknowledged write named the pod that answered it (else the split is an estimate). */
  podsNamed: boolean;
}
export interface WriteRecord {
  /** The write's unique key (as the profile builds it). */
  email: string;
  seq: number;
  t: number;
  latencyMs: number;
  outcome: WriteOutcome;
  status: number;
  engine?: string;
  /** The pod that answered, as the app names it (the profile's pod header), for per-pod coverage. */
  pod?: string;
  id?: number;
  /** The profile's fields as sent (generated values), and the kind of each (kit/values.ts). */
  values?: Record<string, SentValue>;
  kinds?: Record<string, string>;
}

/** A row whose stored value differs from the acknowledged one: the key, the field, both values, the first differing bytes. */
export interface AlteredValue {
  key: string;
  field: string;
  sent: string;
  /** null: the column holds NULL (or the row has no such field). */
  stored: string | null;
  difference: ValueDifference | null;
}

/** The stored values against the sent ones, from one source (the SQLite file, PostgreSQL, the app's read-back). */
export interface ValueCheck {
  /** Rows compared (found, with values sent), and fields compared in them. */
  rows: number;
  fields: number;
  altered: number;
  /** Up to 3. */
  examples: AlteredValue[];
}

export interface LedgerCheck {
  attempted: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Acknowledged writes not found. */
  lost: number;
  /** Unknown writes found. */
  recovered: number;
  /** Found, never attempted (or attempted and refused). */
  unexpected: number;
  /** Found more than once. */
  duplicated: number;
  lostEmails: string[];
  unexpectedEmails: string[];
  duplicatedEmails: string[];
  /** Found rows whose stored values differ from the ones sent (absent: no values read). */
  values?: ValueCheck;
}
export interface LoadSummary {
  phase: string;
  requests: number;
  durationMs: number;
  rps: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses by the engine that named itself (the profile's engine header; `none` when it names none). */
  engines: Record<string, number>;
  /** Closed loop: the connections; open loop: the most requests in flight at once. */
  connections: number;
  paths: string[];
  /** Share of the mix that was writes (0: reads only). */
  writeRatio: number;
  writes?: LoadWriteSummary;
  /** closed-loop: autocannon's connections, each waiting for its answer (capacity); open-loop: a fixed arrival rate. */
  generator?: 'closed-loop' | 'open-loop';
  /** Open loop: latencies from each request's intended send time (coordinated omission corrected). */
  corrected?: LatencyPercentiles;
  /** Open loop: the target rate, where it came from, what was sent and answered per second, and the requests that left late. */
  rate?: LoadRate;
}

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadRate {
  /** Requests per second wanted. */
  target: number;
  /** Where the target came from: `--load-rate`, the profile's expectedPeakRate, or the baseline × share. */
  source: string;
  /** Sent per second while sending. */
  sent: number;
  /** Answered per second, from the first send to the last answer. */
  achieved: number;
  /** Requests that left more than one interval after they were due, or queued for a connection. */
  late: number;
  lateShare: number;
}
export interface TriggerState {
  id: TriggerId;
  title: string;
  /** The scaled window (ms of real time). */
  windowMs: number;
  firedAt?: number;
  firedAfterFaultMs?: number;
  clearedAt?: number;
  activeAtEnd: boolean;
  /** How often it fired in the run. */
  fired: number;
  /** When it fired, each time (the sample that fired it). */
  firings?: number[];
  evidence: string;
}

export interface AlertsCleared {
  cleared: boolean;
  /** Rollback end → last alert cleared (0 when none was active after the rollback). */
  clearedAfterMs?: number;
  /** An alert was still active when the probes stopped, this long after the rollback (past the deadline). */
  stillActiveAfterMs?: number;
  deadlineMs: number;
  evidence: string;
}
export interface SecurityCheck {
  name: string;
  passed: boolean;
  evidence: string;
}
export interface RegisterWriteRecord extends RegisterWrite {
  seq: number;
  status: number;
  latencyMs: number;
  /** The pod that answered, only when the app names one (the profile's pod header). */
  pod?: string;
  /** No answer: why (the client's error code and message). */
  error?: string;
}
export interface RegisterCheck {
  results: RegisterReadResult[];
  totals: { keys: number; reads: number; ok: number; stale: number; unknownValue: number; missing: number; acknowledged: number };
}
export const RegisterWriteSchema = z
  .object({
    key: z.string().min(1),
    /** Unique per write (e.g. `<runId>-<n>`): a value read names the write it came from. */
    value: z.string(),
    startedAt: z.number().finite(),
    endedAt: z.number().finite(),
    outcome: z.enum(['ok', 'fail', 'unknown']),
  })
  .refine((w) => w.endedAt >= w.startedAt, { message: 'endedAt is before startedAt' });

export type RegisterWrite = z.infer<typeof RegisterWriteSchema>;

export const RegisterReadSchema = z
  .object({
    key: z.string().min(1),
    /** The value found; null when the key has no value (no row). */
    value: z.string().nullable(),
    /** The read's window (ms, the writes' clock); both absent for the final read, after every write. */
    startedAt: z.number().finite().optional(),
    endedAt: z.number().finite().optional(),
  })
  .refine((r) => r.endedAt === undefined || (r.startedAt !== undefined && r.endedAt >= r.startedAt), { message: 'endedAt without startedAt, or before it' });

export type RegisterRead = z.infer<typeof RegisterReadSchema>;

export type RegisterVerdict = 'ok' | 'stale' | 'unknown-value' | 'missing';

export interface RegisterReadResult {
  key: string;
  read: string | null;
  startedAt?: number;
  /** The legal values for this read, oldest write first (the initial value first when legal). */
  expected: string[];
  /** Whether no value at all was legal (the key had no initial value and nothing was acknowledged yet). */
  absentLegal: boolean;
  verdict: RegisterVerdict;
  /** Which write the value read came from. */
  readFrom?: RegisterWrite['outcome'] | 'initial';
  /** Acknowledged writes of this key. */
  acknowledged: number;
  /** One line with the measurement behind the verdict. */
  detail: string;
}
/** What the writes of one load phase came to (the records themselves go to LoadWrites.records). */
export interface LoadWriteSummary {
  attempted: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Acknowledged writes by the pod that answered (the profile's pod header; `?` when the app names none). */
  okByPod: Record<string, number>;
}
export type WriteOutcome = 'ok' | 'fail' | 'unknown';
export interface RegisterLedgerCheck extends RegisterCheck {
  headline: string;
  writes: { attempted: number; ok: number; fail: number; unknown: number };
  reads: { api: number; direct: number; apiErrors: number };
  /** Where each key's value before the workload came from. */
  initialFrom: 'api' | 'direct' | 'given' | 'none';
  /** Acknowledged writes per pod, when the app names its pods; else why there is none. */
  perPod: { okByPod: Record<string, number> } | { unavailable: string };
  /** Reads and anomalies by where the value was read: through the app, or from the database itself. */
  bySource: Record<RegisterReadRecord['source'], { reads: number; anomalies: number }>;
  /** Keys written but never read (no answer from the database or the app): the rule counts each as missing. */
  unread: string[];
}
export interface LandedRead {
  /** Keys found (one entry per row: a key stored twice appears twice). */
  keys: string[];
  /** With the profile's fields: each row's stored bytes per field, hex (null: NULL), in the order of `keys`. */
  values?: Record<string, string | null>[];
  /** What was run, for the evidence. */
  how: string;
}
export interface RegisterReadRecord extends RegisterRead {
  /** api: through the app, during or after the workload, with its window; direct: the database's rows, after it. */
  source: 'api' | 'direct';
}

/** One serving pod through the soak (probes/stability.ts). */
export interface PodStability {
  pod: string;
  firstSeenAt: number;
  lastSeenAt: number;
  /** It came after the first look, or went before the last (while nothing scaled the deployment). */
  appeared: boolean;
  gone: boolean;
  /** Each container restart seen: when, how many, its exit code and reason, the last lines it logged. */
  restarts: { at: number; container: string; count: number; exitCode?: number; reason?: string; lastLines: string[] }[];
  /** Periods it was not Ready (after having been, or from its first look when it never was). */
  unready: { from: number; to: number }[];
}

/** The serving pods from the switch to the end of the run. */
export interface StabilityReport {
  startedAt: number;
  watchedMs: number;
  polls: number;
  errors: number;
  lastError?: string;
  pods: PodStability[];
  restarts: number;
  unreadyPeriods: number;
  unreadyMs: number;
  /** Pods that came or went. */
  churn: number;
}

/** One difference of the differential replay: the request, where in its answer, both values, and its kind. */
export interface BehaviourDifference {
  request: string;
  path: string;
  kind: 'status' | 'missing' | 'added' | 'value' | 'order' | 'format' | 'case' | 'type';
  before: unknown;
  after: unknown;
  /** Declared by the profile as a known engine difference: its reason (then it does not fail functionality). */
  known?: string;
}

/** The answers on PostgreSQL (recorded twice, on different pods where the app names them) against the same requests after the rollback. */
export interface DifferentialResult {
  requests: number;
  /** Leaf fields compared (noise left out), over every request. */
  fields: number;
  /** Fields left out: learned (they differed between the two PostgreSQL recordings) and declared by the profile. */
  learnedNoise: string[];
  declaredNoise: string[];
  /** Which pods answered the two recordings ("names no pod" when the app does not say). */
  pods: string;
  differences: BehaviourDifference[];
  /** Requests that could not be sent after the rollback (no answer). */
  errors: string[];
}
