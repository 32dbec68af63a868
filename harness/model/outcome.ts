// What one drill of one scenario × variant measured (drill/outcome.ts builds it, the criteria judge it).
import type { Variant } from './drill-config.ts';
import type { AlertsCleared, AvailabilitySummary, ChecksumComparison, Coverage, FeatureCheck, LandedRead, LedgerCheck, LoadSummary, RegisterLedgerCheck, SecurityCheck, TriggerState, ValueCheck, StabilityReport, DifferentialResult } from './measurements.ts';
import type { ProcedureResult } from './procedure.ts';
import type { Causes } from './journal-events.ts';
import type { Method, TriggerId } from './scenario.ts';


export interface ScenarioOutcome {
  scenario: string;
  method: Method;
  budgetMs: number;
  /** Errors + non-2xx share the load after the rollback may have (config errorBudget). */
  errorBudget: number;
  variant: Variant;
  journalFile: string;
  procedure: ProcedureResult;
  /** The runbook's validation checklist, run after the rollback (same variant). */
  validation: ProcedureResult;
  /** Data recovery PostgreSQL → SQLite after the rollback (rows with the data-recovery phase). */
  dataRecovery?: ProcedureResult;
  faultEvidence: string;
  /** Procedure start (the trigger) → 5 consecutive healthy answers on SQLite, for good. */
  timeToRestoreMs?: number;
  sqliteReady: number;
  availability: AvailabilitySummary;
  /**
   * The set rule over every write of the run (ledger + the load's writes) against what the SQLite
   * file the rollback targeted holds, read directly through the platform (`source`), or through the
   * app when the file could not be read (then data integrity is not measured). A register target has
   * no set: all zeros, its check is `register`.
   */
  ledger: LedgerCheck;
  /** Where `ledger` (or the register's final values) was read from. */
  ledgerSource: 'sqlite-file' | 'app-api';
  /** A register target: the register rule over every write and read of the run (data integrity judges it). */
  register?: RegisterOutcome;
  /** The same rule on what the app's own API reads back (a second, user-visible check). */
  apiLedger?: LedgerCheck;
  /** The values of the run's rows PostgreSQL still holds against the ones sent (when it still answers). */
  postgresValues?: ValueCheck;
  /** The direct read failed: why (data integrity is then not measured). */
  directReadError?: string;
  /** Acknowledged writes after the restore, per serving pod, and the loss rate that could be detected. */
  coverage: Coverage;
  /** Where the acknowledged writes made after the restore actually landed. */
  landed: Landed;
  /** Acknowledged writes made while PostgreSQL served (post-migration writes included); a register target: acknowledged before the rollback started. */
  okWritesOnPostgres: number;
  /** What the app said served it after the restore (the engine the app named on healthy probes, its header or body field): recorded, compared with `landed`. */
  enginesAfter: string[];
  /** Seeded tables: PostgreSQL before the fault vs SQLite after the rollback. */
  checksums: ChecksumComparison;
  /** Feature checks after the rollback (functionality criterion). */
  features: FeatureCheck[];
  /** baseline, capacityBefore and capacityAfter: closed loop (capacityBefore/After: 128 connections, the capacity); faulted and after: open loop at a fixed rate. */
  load: { baseline?: LoadSummary; faulted?: LoadSummary; after?: LoadSummary; capacityBefore?: LoadSummary; capacityAfter?: LoadSummary };
  /** The runbook's automatic triggers on the availability samples (windows scaled). */
  triggers: TriggerState[];
  /** Triggers this scenario's fault must fire, before the rollback starts. */
  expectedTriggers: TriggerId[];
  /** When the procedure (the rollback) started: expected triggers must have fired before it. */
  procedureStartedAt: number;
  /** The wait for the expected triggers between the fault and the rollback. */
  detection?: Detection;
  alerts: AlertsCleared;
  /** The security validation (rows with that phase): credentials held, PostgreSQL cut off. */
  security?: { passed: boolean; evidence: string; checks: SecurityCheck[] };
  /** What the rollback cost its users, from the outside: failed reads, refused writes, alerts (the planned rollback's promises). */
  impact: RollbackImpact;
  /** The differential replay: PostgreSQL's answers against the restored service's (absent: not recorded, with the error). */
  differential?: DifferentialResult | { error: string };
  /** The serving pods watched from the restore to the end of the run, against the soak asked for. */
  stability: StabilityOutcome;
  /** What the scenario's own phases (ScenarioSpec.ownPhases) returned, by phase id. */
  phaseResults: Record<string, unknown>;
  /**
   * What explains a failure, seen from outside: the system's telling log lines from the fault on
   * (the drill's own Jobs left out), and the distinct answers of the health check while the fault was
   * in place, before the rollback started (what monitoring saw).
   */
  causes: { logs: NonNullable<Causes['logs']>; healthWhileFaulted: NonNullable<Causes['answers']> };
}

/** What the writes came to: the model's check, where it was read from, coverage and where the post-restore writes landed. */
export type DataOutcome = Pick<ScenarioOutcome, 'ledger' | 'ledgerSource' | 'apiLedger' | 'postgresValues' | 'directReadError' | 'coverage' | 'landed' | 'okWritesOnPostgres' | 'register'>;
export interface ReadBack {
  sqlite: LandedRead | Error;
  postgres: LandedRead | Error | 'not running';
  /** The app's own read-back: keys, and the fields it shows (fields.*.api). */
  api: Pick<LandedRead, 'keys' | 'values'> | Error;
}

export interface Landed {
  /** Acknowledged writes sent after the restore (or after the procedure, when never restored). */
  acknowledged: number;
  /**
   * A register target's key count: then inSqlite/inPostgres/onlyInSqlite count keys holding one of
   * those writes' values (register-read-back.ts), not writes.
   */
  keys?: number;
  inSqlite: number | null;
  /** null: PostgreSQL not asked (not running) or not readable (see postgresState). */
  inPostgres: number | null;
  /**
   * In the SQLite file and not in PostgreSQL. Nothing copies SQLite → PostgreSQL, so a write found in
   * PostgreSQL was written there by the app; one found in both was copied over by a data recovery.
   */
  onlyInSqlite: number | null;
  postgresState: string;
  sqliteHow?: string;
  /** Engines the app named on those writes' answers (its engine header, when it has one). */
  engineHeaders: Record<string, number>;
}
export interface RegisterOutcome {
  check: RegisterLedgerCheck;
  /** sqlite-file: the final values were read from the SQLite file itself; app-api: only the app's reads (data integrity not measured). */
  source: 'sqlite-file' | 'app-api';
  /** The direct read failed: why. */
  directReadError?: string;
  /** How the final values were read (the command, the deployment). */
  sqliteHow?: string;
  afterRestore: {
    /** Writes acknowledged after the restore (ledger + load). */
    acknowledged: number;
    /**
     * Of those, the writes some read pinned (its only legal value): the ones whose loss this run would
     * have caught. A register read sees a lost update only while it is its key's latest value. The
     * outcome's `coverage` counts these.
     */
    pinned: number;
  };
}
export interface Detection {
  fired: TriggerId[];
  missing: TriggerId[];
  waitedMs: number;
}

/** What users saw of the rollback, over the procedure and a second after it (drill/rollback-impact.ts). */
export interface RollbackImpact {
  /** The availability probe's reads over the procedure. */
  reads: { probes: number; failed: number; examples: string[] };
  /** The write freeze at the database, when the procedure made one: asked for → the switch. */
  freeze?: { tables: number; startedAt: number; frozenAt: number; switchedAt?: number; windowMs?: number };
  /** Writes refused from the freeze on, as the ledger saw them: how many, and first refused → next acknowledged. */
  refused?: { writes: number; outageMs?: number };
  /** Triggers that fired over the procedure (one already active before it does not count). */
  alertsFired: { id: TriggerId; afterStartMs: number; evidence: string }[];
}

/** The stability soak: how long the serving pods had to stay up, and what the watch saw (or why there was none). */
export interface StabilityOutcome {
  soakSec: number;
  /** --soak given (else the runbook's hour scaled by --time-scale, at least 30 s). */
  explicit: boolean;
  report?: StabilityReport;
  notWatched?: string;
  /** The capacity bursts after the restore: the drill's deliberate overload, in which an unready period is reported, not failed. */
  overload: { from: number; to: number }[];
}
