// A fault is one row of the decision matrix made real: inject it, prove it took effect on the
// component it breaks, and clear it (faults/inject.ts runs it).
import type { JournalWriter } from './journal-events.ts';
import type { Platform } from './platform.ts';
import type { TargetProfile } from './target-profile.ts';


export interface FaultContext {
  platform: Platform;
  journal: JournalWriter;
  /** Host-reachable URL of the app's Service. */
  serviceUrl: string;
  image: string;
  /** The app under drill: drill-data Jobs read its mapping. */
  target: TargetProfile;
  progress(line: string): void;
  signal?: AbortSignal;
  /** How long verify() waits for the fault to show (default per fault; tests of no-op faults shorten it). */
  verifyTimeoutMs?: number;
  /** How long the app's reaction is sampled once the fault is proven (default 3 s). */
  reactionWindowMs?: number;
}

export interface FaultEffect {
  effective: boolean;
  /** What was measured on the component, with numbers: "PostgreSQL 0/1 ready, pg_isready exit 2 for 3 checks over 1.2 s". */
  evidence: string;
  /** What the app answered meanwhile (health and a feature endpoint through the service); never part of `effective`. */
  appReaction?: string;
}

export interface Fault {
  readonly name: string;
  readonly description: string;
  /**
   * While in effect the app cannot reach its data at all: a health check that queries the
   * database must fail, so "200 healthy" is recorded as the finding app-health-blind.
   */
  readonly cutsAppFromDatabase: boolean;
  inject(ctx: FaultContext): Promise<string>;
  /** Proves the fault on the component it breaks, independently of the app. */
  verify(ctx: FaultContext): Promise<FaultEffect>;
  clear(ctx: FaultContext): Promise<string>;
}
