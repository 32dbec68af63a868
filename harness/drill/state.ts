// What the phases of one drill share: set up by runScenario, filled in phase by phase (each field
// says which phase sets it), read by the outcome. Typed, so a phase cannot read a value under a
// mistyped key; the phase order (phases.ts) guarantees a field is set before it is read.
import type { Variant } from '../model/drill-config.ts';
import { randomValueSeed } from '../kit/values.ts';
import type { StabilityWatch } from '../probes/stability.ts';
import type { DifferentialResult, StabilityReport } from '../model/measurements.ts';
import type { DifferentialBaseline } from '../probes/differential.ts';
import type { Journal } from '../journal/journal.ts';
import type { Platform } from '../model/platform.ts';
import type { AvailabilityProbe } from '../probes/availability.ts';
import type { Sample } from '../model/measurements.ts';
import type { ChecksumComparison, ChecksumSnapshot } from '../model/measurements.ts';
import type { RouteWatch } from '../probes/route-watch.ts';
import type { FeatureCheck } from '../model/measurements.ts';
import { WriteLedger } from '../probes/ledger.ts';
import { type WriteRecord } from '../model/measurements.ts';
import { RegisterLedger } from '../probes/register-ledger.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import type { LoadSummary } from '../model/measurements.ts';
import type { SecurityCheck } from '../faults/security-incident.ts';
import type { FaultEffect } from '../model/fault.ts';
import type { ProcedureContext } from '../model/context.ts';
import { HARDENED_SQLITE } from '../procedures/emergency.ts';
import type { ScenarioSpec } from '../model/scenario.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import type { Detection } from '../model/outcome.ts';
import type { ProcedureResult } from '../model/procedure.ts';
import type { ReadBack } from '../model/outcome.ts';
import type { RegisterReadBack } from './register-read-back.ts';
import type { ScenarioOptions } from './run-scenario.ts';
import type { LogCursor } from '../kit/causes.ts';
import type { Causes } from '../model/journal-events.ts';

export class DrillState {
  /** `<scenario>-<variant>`: names this drill's sample files and artifacts folder. */
  readonly tag: string;
  readonly load: { baseline?: LoadSummary; faulted?: LoadSummary; after?: LoadSummary; capacityBefore?: LoadSummary; capacityAfter?: LoadSummary } = {};
  /** Every write the load phases made (unique keys), checked in the database at the end. */
  readonly loadWrites: WriteRecord[] = [];
  /** The same for a register target: unique values over its fixed keys, merged into the register check. */
  readonly loadRegisterWrites: RegisterWriteRecord[] = [];
  readonly loadPrefix: string;

  /** setup */
  serviceUrl!: string;
  ctx!: ProcedureContext;
  /**
   * pre-fault-writes (its disposal registered where it is opened): the set ledger, or the register ledger when the
   * target's workload is a register (opened by the first phase that writes: its initial values are read first).
   */
  ledger?: WriteLedger | RegisterLedger;
  /** Seeded tables on PostgreSQL before anything breaks, or why they could not be read. */
  before!: ChecksumSnapshot | Error;
  /** probes-on (its disposal registered there) */
  avail?: AvailabilityProbe;
  /** probes-on: where the app Service routes (the engine of an app that names none; its disposal registered there). */
  route?: RouteWatch;
  /** The differential replay: the answers on PostgreSQL (twice), then its result after the rollback. */
  diffBaseline?: DifferentialBaseline | Error;
  differential?: DifferentialResult | Error;
  /** The serving pods from the restore on (probes/stability.ts); its report once stopped. */
  stabilityWatch?: StabilityWatch;
  stability?: StabilityReport;
  /** fault: when it was injected, what was measured (its clearing is registered before inject: a half-applied fault is cleared too). */
  faultAt?: number;
  effect: FaultEffect = { effective: true, evidence: 'no fault: maintenance window' };
  /** detection */
  detection?: Detection;
  /** procedure: when it started (the trigger) and what it did. */
  triggerAt!: number;
  procedure!: ProcedureResult;
  validation!: ProcedureResult;
  dataRecovery?: ProcedureResult;
  security?: { passed: boolean; evidence: string; checks: SecurityCheck[] };
  features!: FeatureCheck[];
  checksums!: ChecksumComparison;
  /** probes-on: each container's log length before the fault (the run's telling lines are what came after). */
  logCursor?: LogCursor;
  /** probes-off */
  samples!: Sample[];
  /** probes-off: the system's telling log lines since probes-on (causes beside a failed verdict or check). */
  runLogs: NonNullable<Causes['logs']> = [];
  /** read-back */
  sqliteReady!: number;
  readBack!: ReadBack;
  /** read-back of a register target */
  registerReadBack?: RegisterReadBack;
  /** What the scenario's own phases returned, by phase id. */
  readonly phaseResults: Record<string, unknown> = {};
  /** Cleanups registered where each resource was created; the finally stage runs them in reverse. */
  readonly cleanups: { what: string; run: () => Promise<unknown> }[] = [];

  constructor(
    readonly o: ScenarioOptions,
    readonly spec: ScenarioSpec,
    readonly target: TargetProfile,
    readonly variant: Variant,
    readonly journal: Journal,
    readonly platform: Platform,
    readonly image: string,
    readonly signal: AbortSignal,
    readonly progress: (line: string) => void,
  ) {
    this.tag = `${spec.name}-${variant}`;
    this.loadPrefix = `load-${platform.runId}-`;
    this.valueSeed = o.config.valueSeed ?? randomValueSeed();
    this.seedPrefix = `premig-${platform.runId}-`;
  }

  /** When the closed-loop capacity bursts ran (the drill's deliberate overload). */
  readonly overloadWindows: { from: number; to: number }[] = [];
  /** Key prefix of the pre-migration rows with generated values (a baseline job's `{{seedValues}}`), and those rows as acknowledged writes. */
  readonly seedPrefix: string;
  readonly seededWrites: WriteRecord[] = [];

  /** The seed of every generated write value of this run (kit/values.ts): the report prints it, --value-seed replays it. */
  readonly valueSeed: number;

  /** Registers a cleanup where its resource is created (chaostoolkit's rollbacks: they always run). */
  defer(what: string, run: () => Promise<unknown>): void {
    this.cleanups.push({ what, run });
  }

  /** Undos to run at once when the procedure does not complete (and in the finally stage anyway). */
  readonly undoOnFailure: { what: string; run: () => Promise<unknown> }[] = [];

  /** Runs the undos a failed procedure leaves, newest first, each on its own (a failure is journalled). */
  async undoFailedProcedure(): Promise<void> {
    for (const u of this.undoOnFailure.splice(0).reverse()) {
      this.progress(`  undo after the failed procedure: ${u.what}`);
      await u.run().then(
        () => this.journal.write({ type: 'log', level: 'warn', message: `the procedure did not complete: ${u.what} undone` }),
        (err: Error) => this.journal.write({ type: 'log', level: 'warn', message: `the procedure did not complete; undoing ${u.what} failed: ${err.message}` }),
      );
    }
  }

  /** Registers `r`'s disposal and returns it: `s.ledger = s.use('write ledger', new WriteLedger(…))`. */
  use<T extends AsyncDisposable>(what: string, r: T): T {
    this.defer(what, async () => r[Symbol.asyncDispose]());
    return r;
  }

  get config() {
    return this.o.config;
  }

  /** The set ledger (a target with a set workload). */
  get writeLedger(): WriteLedger {
    if (!(this.ledger instanceof WriteLedger)) throw new Error(this.ledger ? `no set ledger: target ${this.target.name} has a ${this.target.workload.model} workload` : 'no ledger yet: no phase has written');
    return this.ledger;
  }

  /** The register ledger (a target with a register workload). */
  get registerLedger(): RegisterLedger {
    if (!(this.ledger instanceof RegisterLedger)) throw new Error(this.ledger ? `no register ledger: target ${this.target.name} has a ${this.target.workload.model} workload` : 'no ledger yet: no phase has written');
    return this.ledger;
  }

  /** The SQLite deployment the rollback ended up serving from. */
  get sqliteDeployment(): string {
    return this.ctx.state.sqliteDeployment ?? HARDENED_SQLITE;
  }

  /** When the rollback ended (procedure start + duration). */
  get rollbackEndAt(): number {
    return this.procedure.startedAt + this.procedure.durationMs;
  }
}
