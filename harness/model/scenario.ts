// A scenario is one row of the decision matrix, as data (scenarios/spec.ts checks a user's file against it).
import type { ProcedureContext } from './context.ts';
import type { Variant } from './drill-config.ts';
import type { Fault } from './fault.ts';
import type { FindingSpec } from './findings.ts';
import type { ScenarioOutcome } from './outcome.ts';
import type { Procedure } from './procedure.ts';
import type { Verdict } from './verdict.ts';

/** The runbook's automatic triggers (probes/triggers.ts gives each its window and title). */
export type TriggerId = 'health-check-failures' | 'error-rate' | 'postgres-unavailable' | 'slow-responses';


/** A criterion a row adds to the runbook's six (e.g. the security validation): judged from the outcome. */
export interface ExtraCriterion {
  id: string;
  judge(o: ScenarioOutcome): Verdict;
}

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
  criteria?: readonly ExtraCriterion[];
  /** Findings this row brings, with the expected failures they explain (beside the runbook's own FINDINGS). */
  findings?: readonly FindingSpec[];
  assertions?: readonly OutcomeAssertion[];
}
// The runbook's success criteria, as data, and the vocabulary of its decision matrix. Each row of
// the matrix is a scenario spec of its own (harness/scenarios/*.scenario.ts).

export type Method = 'emergency' | 'planned';

export type ValidationSet = 'health check' | 'security validation' | 'performance test' | 'feature test' | 'full validation';
