// A scenario is one row of the decision matrix, as data (scenarios/spec.ts checks a user's file against it).
import type { ProcedureContext } from './context.ts';
import type { Criterion } from './criterion.ts';
import type { Variant } from './drill-config.ts';
import type { Fault } from './fault.ts';
import type { FindingSpec } from './findings.ts';
import type { ScenarioOutcome } from './outcome.ts';
import type { Procedure } from './procedure.ts';
import type { JournalWriter } from './journal-events.ts';
import type { Verdict } from './verdict.ts';

/** The runbook's automatic triggers (probes/triggers.ts gives each its window and title). */
export type TriggerId = 'health-check-failures' | 'error-rate' | 'postgres-unavailable' | 'slow-responses';


/** A statement about this row's outcome the suite asserts (e.g. the fault's own evidence), with what was measured. */
export interface OutcomeAssertion {
  title: string;
  check(o: ScenarioOutcome): { holds: boolean; measured: string };
}

export interface ScenarioSpec {
  /** The `--scenario` value: a DNS-label-like name. */
  name: string;
  /** One line for reports and suite titles ("Decision matrix: database corruption"). */
  title: string;
  severity: 'critical' | 'high' | 'medium';
  /** The matrix's "Rollback Time" column: trigger → restored. */
  budgetMs: number;
  method: Method;
  validation: ValidationSet;
  /** null: nothing is broken (a maintenance window). */
  fault: Fault | null;
  procedures: Record<Variant, () => Procedure<ProcedureContext>>;
  /** Automatic triggers the fault must fire before the rollback (manual-trigger rows expect none). */
  expectedTriggers: readonly TriggerId[];
  /** The optional phases this row runs, by id (drill/phases.ts: load-faulted, data-recovery, security-validation; or one of its own `extraPhases`). */
  phases?: readonly string[];
  /** Criteria this row adds to the runbook's (e.g. the security validation), each with its score weight (`defineCriterion`). */
  criteria?: readonly Criterion[];
  /** Findings this row brings, with the expected failures they explain (beside the runbook's own FINDINGS). */
  findings?: readonly FindingSpec[];
  assertions?: readonly OutcomeAssertion[];
  /**
   * Measurements of this row's own, each run as a phase of the drill right after the built-in phase
   * it names (drill/phases.ts); its result is in the outcome's `phaseResults[id]` for the row's
   * criteria and assertions. A row that needs its own measurement adds it here, in its own file.
   */
  ownPhases?: readonly ScenarioPhase[];
}
// The runbook's success criteria, as data, and the vocabulary of its decision matrix. Each row of
// the matrix is a scenario spec of its own (harness/scenarios/*.scenario.ts).

export type Method = 'emergency' | 'planned';

export type ValidationSet = 'health check' | 'security validation' | 'performance test' | 'feature test' | 'full validation';

/** What a scenario's own phase gets: the procedures' context (platform, target, service URL) and the drill's timeline so far. */
export interface PhaseContext {
  ctx: ProcedureContext;
  spec: ScenarioSpec;
  variant: Variant;
  journal: JournalWriter;
  progress(line: string): void;
  signal: AbortSignal;
  /** When the rollback started (the procedure phase); undefined before it. */
  triggerAt?: number;
  /** Registers a cleanup, run in the finally stage (reverse order of registration), whatever happened. */
  defer(what: string, cleanup: () => Promise<unknown>): void;
}

/** A measurement phase a scenario declares in its own file (ScenarioSpec.ownPhases). */
export interface ScenarioPhase {
  /** Unique among the drill's phases; journalled as phase.start/phase.end like the built-in ones. */
  id: string;
  /** The built-in phase it runs right after (e.g. 'procedure', 'read-back'). */
  after: string;
  run(p: PhaseContext): Promise<unknown>;
}
