import type { ScenarioName } from './drill-config.ts';

/**
 * What can be expected to fail: a success criterion (its verdict id), an item of the runbook's
 * validation checklist (its number there), the data recovery, or a step of a rollback procedure
 * (`step:<procedure>:<step id>`: "step:emergency:step-5b-health").
 */
export type CheckId = `criterion:${string}` | `checklist:${1 | 2 | 3 | 4 | 5}` | 'data-recovery' | `step:${string}`;

/**
 * A check the runbook as written fails by design, declared under the finding that explains it.
 * Strict: where it is declared, it must fail (a pass means the runbook was fixed: remove it).
 * Only the seed variant has any: the hardened procedures must pass everything.
 */
export interface ExpectedFailure {
  check: CheckId;
  variant: 'seed';
  /** Where it fails; omitted: every scenario that evaluates the check. */
  scenarios?: readonly ScenarioName[];
}

export interface FindingSpec {
  id: string;
  title: string;
  expectedFailures?: readonly ExpectedFailure[];
  /** Another finding's expected failure this one makes impossible to show (the check is then expected to pass). */
  masks?: readonly (ExpectedFailure & { finding: string; because: string })[];
  /** What to fix, where the finding knows. */
  fix?: string;
}
