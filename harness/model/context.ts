// What every procedure step gets: the platform to act on, the journal to record into, and the
// run's settings. Steps share what they decided through its typed `state` (e2e-framework style).
import type { CopyResult, SalvageResult } from '../../datatool/contract.ts';
import type { DrillConfig } from './drill-config.ts';
import type { JournalWriter } from './journal-events.ts';
import type { FeatureCheck, RegisterWriteRecord } from './measurements.ts';
import type { Platform } from './platform.ts';
import type { TargetProfile } from './target-profile.ts';


export interface ProcedureContext {
  platform: Platform;
  journal: JournalWriter;
  config: DrillConfig;
  runId: string;
  /** Folder of this run's report: backups and artifacts land here. */
  runDir: string;
  /** Host-reachable URL of the app's Service (through the service proxy / NodePort). */
  serviceUrl: string;
  /** App image the procedures deploy. */
  image: string;
  /** What the harness knows about the app under drill (targets/<name>.ts). */
  target: TargetProfile;
  progress(line: string): void;
  /** What steps decided, for later steps and phases (typed: no untyped scratch values). */
  state: ProcedureState;
  /** Registers an undo where its change is made: it runs in the drill's finally stage, whatever happens. */
  defer(what: string, run: () => Promise<unknown>): void;
  /**
   * Registers an undo that must not wait for the end of the drill when the procedure fails: it runs
   * as soon as the procedure ends without completing (and in the finally stage in any case; it must be idempotent).
   */
  undoOnFailure(what: string, run: () => Promise<unknown>): void;
}

/** A write freeze at the database (kit/write-freeze.ts), as the procedure made it. */
export interface WriteFreezeRecord {
  /** When the freeze was asked for (its transaction may take effect any time from here to frozenAt). */
  startedAt: number;
  /** When it had committed: every later write is refused. */
  frozenAt: number;
  tables: number;
  /** The tables frozen (schema.table): every table PostgreSQL has, as the copy after it needs to know. */
  frozen?: string[];
}

export interface ProcedureState {
  /** The SQLite deployment the rollback ended up serving from (the runbook's, or the hardened one). */
  sqliteDeployment?: string;
  /** The last PostgreSQL → SQLite copy/salvage result (drill-data) of the rollback. */
  copy?: CopyResult | SalvageResult;
  /** Feature checks the validation checklist ran (kept for the report). */
  validationChecks?: FeatureCheck[];
  /** The planned rollback's write freeze at the database, when it made one. */
  freeze?: WriteFreezeRecord;
  /** When the Service was switched to SQLite (the rollback's switch). */
  switchedAt?: number;
  /** Register writes the procedures made themselves (the engine probe), for the register rule to know their values. */
  probeWrites?: RegisterWriteRecord[];
}
