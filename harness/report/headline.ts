// The verdict's one-line headline: what a person reads first in every report and in CI logs.
import type { RunStatus } from '../model/journal-events.ts';
import type { CriterionReport, GroupReport, RunReport } from './model.ts';

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
}

export function headline(f: HeadlineFacts): string {
  const { status: s, total, failed, steps, interruption: intr, expectations, mismatchCount, groupsRun } = f;
  if (s === 'aborted') {
    const done = intr ? intr.stepsDone.length : steps.ok + steps.failed;
    const doing = intr?.inProgress[0];
    return `ABORTED: ${f.endReason ?? 'interrupted'}; ${done} of ${steps.total} step(s) done` + (doing ? `, stopped during "${doing.step}" (${doing.group})` : '');
  }
  if (s === 'error') return `ERROR: ${f.endReason ?? 'infrastructure error'}; ${total - failed.length}/${total} criteria met before it`;
  const first = expectations.unexpectedPasses[0] ?? expectations.unexpectedFailures[0];
  if (first) {
    const what =
      first.passed
        ? `${first.id} (${first.group}) UNEXPECTEDLY PASSED, expected to fail (finding ${first.finding}): measured ${first.measured}; remove the expectation, the runbook was fixed`
        : `${first.id} (${first.group}) failed: measured ${first.measured}`;
    return `${s.toUpperCase()}: ${mismatchCount} verdict(s) do not match their expectations, first ${what}`;
  }
  const expected = expectations.expectedFailures.length;
  const met = `${total - failed.length}/${total} criteria met`;
  const asExpected = expected ? `, ${expected} expected failure(s) of the seed runbook as written` : '';
  if (s === 'passed') return `PASSED: all verdicts match their expectations: ${met}${asExpected} across ${groupsRun} scenario run(s)`;
  return `${s.toUpperCase()}: all verdicts match their expectations (${met}${asExpected}), but the run failed: a drill test failed (see the log)`;
}
