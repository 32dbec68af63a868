// A success criterion: its id, its share of the resilience score and how it judges an outcome
// (criteria/criterion.ts checks one; criteria/*.criterion.ts are the runbook's).
import type { ScenarioOutcome } from './outcome.ts';
import type { Variant } from './drill-config.ts';
import type { Method } from './scenario.ts';
import type { Verdict } from './verdict.ts';

/** What a criterion may know of a row before it is drilled (to say whether it applies). */
export interface CriterionScope {
  name: string;
  method: Method;
  /** The variant drilled; undefined when a row's criteria are listed for any variant. */
  variant?: Variant;
  /** The row's fault (null: nothing is broken, e.g. a maintenance window). */
  fault?: object | null;
}

export interface Criterion {
  /** The verdict's id: what expectations, reports and the score name it by. */
  id: string;
  /** One line saying what it judges (each verdict carries its own title, with its budget). */
  title: string;
  /** Its share of the resilience score: what it costs when it breaks. */
  weight: number;
  /** The rows it is judged for (default: every row), e.g. the rollback criterion of the row's method. */
  appliesTo?(scenario: CriterionScope): boolean;
  /** The verdict from a measurement: no measurement, no pass. */
  judge(o: ScenarioOutcome): Verdict;
}

