// The verdict's one-line headline: what a person reads first in every report and in CI logs.
import type { RunStatus } from '../model/journal-events.ts';
import type { CheckReport, CriterionReport, ExpectationRow, GroupReport, RunReport } from './model.ts';

export interface HeadlineFacts {
  status: RunStatus;
  /** run.end's reason, when it gave one. */
  endReason: string | undefined;
  /** Criteria evaluated, and the ones that failed. */
  total: number;
  failed: readonly { g: GroupReport; c: CriterionReport }[];
  steps: RunReport['verdict']['steps'];
  interruption: RunReport['interruption'];
  expectations: RunReport['expectations'];
  mismatchCount: number;
  /** Scenario × variant groups that ran. */
  groupsRun: number;
  /** The runbook's premises measured for the target (preflight checks), once each. */
  premises: readonly CheckReport[];
}

/** A mismatch in words: what it says (or its measured value against the budget), never a bare number alone. */
function mismatchWords(x: ExpectationRow): string {
  if (x.passed) return `${x.id} (${x.group}) UNEXPECTEDLY PASSED, expected to fail (finding ${x.finding}): measured ${x.measured}; remove the expectation, the runbook was fixed`;
  return `${x.id} (${x.group}) failed: ${x.says ?? `measured ${x.measured}`}`;
}

export function headline(f: HeadlineFacts): string {
  const { status: s, total, failed, steps, interruption: intr, expectations, mismatchCount, groupsRun } = f;
  if (s === 'aborted') {
    const done = intr ? intr.stepsDone.length : steps.ok + steps.failed;
    const doing = intr?.inProgress[0];
    return `ABORTED: ${f.endReason ?? 'interrupted'}; ${done} of ${steps.total} step(s) done` + (doing ? `, stopped during "${doing.step}" (${doing.group})` : '');
  }
  if (s === 'error') return `ERROR: ${f.endReason ?? 'infrastructure error'}; ${total - failed.length}/${total} criteria met before it`;
  // Broken premises lead: the rest of the drill leans on them (a rollback from a PostgreSQL that took no write proves little).
  const brokenPremises = f.premises.filter((c) => !c.passed);
  const mismatched = [...expectations.unexpectedPasses, ...expectations.unexpectedFailures];
  if (brokenPremises.length) {
    const others = mismatched.filter((x) => !brokenPremises.some((p) => p.id === x.id));
    const said = brokenPremises.map((c) => c.says ?? `${c.title}: ${c.measured}`).join('; ');
    const rest = others[0] ? `. Besides, ${others.length} other verdict(s) do not match their expectations, first ${mismatchWords(others[0])}` : '';
    return `${s.toUpperCase()}: ${brokenPremises.length} of the runbook's ${f.premises.length} premises do not hold on this app: ${said}${rest}`;
  }
  const first = mismatched[0];
  if (first) return `${s.toUpperCase()}: ${mismatchCount} verdict(s) do not match their expectations, first ${mismatchWords(first)}`;
  const expected = expectations.expectedFailures.length;
  const met = `${total - failed.length}/${total} criteria met`;
  const asExpected = expected ? `, ${expected} expected failure(s) of the seed runbook as written` : '';
  if (s === 'passed') return `PASSED: all verdicts match their expectations: ${met}${asExpected} across ${groupsRun} scenario run(s)`;
  return `${s.toUpperCase()}: all verdicts match their expectations (${met}${asExpected}), but the run failed: a drill test failed (see the log)`;
}
