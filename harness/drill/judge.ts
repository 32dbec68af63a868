// The judge: a drill's outcome → the verdict of every criterion its row is judged by → each matched
// against its expectation (the seed runbook's declared defects are expected failures) → the checks
// (procedure steps, validation checklist, data recovery) → the resilience score → the journal
// (`verdict`, `finding`, `check`, `probe.summary` resilience, `scenario.end`). Library code: a test
// layer (suites/scenario-suite.ts) turns its named assertions into `it`s; it decides nothing itself.
import type { Variant } from '../model/drill-config.ts';
import type { Criterion } from '../criteria/criterion.ts';
import type { Verdict } from '../model/verdict.ts';
import { FINDINGS } from '../kit/findings.ts';
import type { FindingSpec } from '../model/findings.ts';
import { hasPhase } from '../scenarios/spec.ts';
import type { ScenarioSpec } from '../model/scenario.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import type { ScenarioOutcome } from '../model/outcome.ts';
import {
  applyExpectations,
  checklistChecks,
  confirmedByVerdicts,
  dataRecoveryCheck,
  expectationFor,
  expectationLine,
  procedureStepChecks,
  verdictMeasurement,
  type Check,
} from '../criteria/expectations.ts';
import { CriterionError } from '../criteria/criterion.ts';
import { criteriaFor } from '../criteria/registry.ts';
import { resilienceScore, type Score } from '../criteria/score.ts';
import type { Journal } from '../journal/journal.ts';
import type { Causes } from '../model/journal-events.ts';

/** One statement about the outcome, as a test layer asserts it (one `it` each). */
export interface NamedAssertion {
  title: string;
  /** The outcome matches its expectation. */
  matches: boolean;
  /** The assertion's message: what was measured, against what was expected. */
  line: string;
  /** A list-valued statement: the items that do not match (asserted empty, so a failure names them). */
  mismatches?: string[];
  /** Said beside the passing assertion: the expected failures it accepted, as declared. */
  annotate?: string;
  /** Nothing could be judged (e.g. the data recovery did not run): an error, not a mismatch. */
  error?: string;
}

/** What one scenario × variant is judged with: its spec, the target's findings, the runbook's criteria (registry.ts). */
export interface JudgeScope {
  spec: ScenarioSpec;
  target: Pick<TargetProfile, 'findings'>;
  variant: Variant;
  /** The runbook's criteria (`loadCriteria()`); the row's own come from its spec. */
  criteria: readonly Criterion[];
}

export interface Judgement {
  /** Every criterion's verdict, with its expectation and whether it matches it. */
  verdicts: Verdict[];
  /** Procedure steps, then the validation checklist, then the data recovery. */
  checks: Check[];
  score: Score;
  /** In the order of `assertionTitles`. */
  assertions: NamedAssertion[];
}

/** The findings that explain expected failures here: the runbook's, the row's own and the target's. */
function findingsOf(scope: JudgeScope): FindingSpec[] {
  return [...Object.values(FINDINGS), ...(scope.spec.findings ?? []), ...(scope.target.findings as FindingSpec[])];
}

/**
 * A failure with no log lines of its own gets the run's: what the system logged from the fault on,
 * errors and SQLSTATEs first (outcome.causes.logs). A pass needs no cause.
 */
export function withRunLogs<T extends { passed: boolean; causes?: Causes }>(x: T, outcome: Pick<ScenarioOutcome, 'causes'>): T {
  if (x.passed || x.causes?.logs?.length || !outcome.causes.logs.length) return x;
  return { ...x, causes: { ...x.causes, logs: outcome.causes.logs } };
}

/** Every criterion the row is judged by, judged on the outcome (no expectation applied), in order. */
export function criterionVerdicts(outcome: ScenarioOutcome, spec: ScenarioSpec, criteria: readonly Criterion[]): Verdict[] {
  return criteriaFor({ ...spec, variant: outcome.variant }, criteria).map((c) => {
    const v = c.judge(outcome);
    if (v.id !== c.id) throw new CriterionError(`criterion ${c.id} judged a verdict with id ${v.id} (a verdict carries its criterion's id)`);
    return v;
  });
}

interface Judged {
  outcome: ScenarioOutcome;
  verdicts: Map<string, Verdict>;
  stepChecks: Check[];
  checklist: Check[];
  recovery?: Check;
}

type Planned = { title: string; judge(j: Judged): Omit<NamedAssertion, 'title'> };

/** What is asserted about a row, titled before it is drilled (a title says when a failure is expected). */
function plan(scope: JudgeScope): Planned[] {
  const { spec, variant } = scope;
  const findings = findingsOf(scope);
  const expectedTitle = (check: string) => {
    const e = expectationFor(check, spec.name, variant, findings);
    return e.expected === 'fail' ? ` (expected to fail: finding ${e.expectedBecause})` : '';
  };
  const checkLine = (c: Check) => `${c.title}: ${expectationLine(c, c.measured)}`;
  const expectedLines = (cs: readonly Check[]) => {
    const expected = cs.filter((c) => c.expected === 'fail');
    return expected.length ? expected.map(checkLine).join('\n') : undefined;
  };
  const list: Planned[] = criteriaFor({ ...spec, variant }, scope.criteria).map((c) => ({
    title: `criterion ${c.id}${expectedTitle(`criterion:${c.id}`)}`,
    judge: ({ verdicts }) => {
      const v = verdicts.get(c.id)!;
      const line = `${v.title}: ${expectationLine(v, verdictMeasurement(v))}`;
      return { matches: v.matches === true, line, annotate: v.expected === 'fail' ? line : undefined };
    },
  }));
  list.push({
    title: 'procedure steps: every failed step is a declared expected failure, and each one failed',
    judge: ({ stepChecks }) => {
      const mismatches = stepChecks.filter((c) => !c.matches).map(checkLine);
      return { matches: mismatches.length === 0, mismatches, line: stepChecks.map(checkLine).join('\n'), annotate: expectedLines(stepChecks) };
    },
  });
  list.push({
    title: 'validation checklist: every item matches its expected outcome',
    judge: ({ checklist }) => {
      const mismatches = checklist.filter((c) => !c.matches).map(checkLine);
      const line = checklist.map((c) => `${c.matches ? 'matches' : 'MISMATCH'} ${checkLine(c)}`).join('\n');
      return { matches: mismatches.length === 0, mismatches, line, annotate: expectedLines(checklist) };
    },
  });
  if (hasPhase(spec, 'data-recovery')) {
    list.push({
      title: `data recovery: PostgreSQL → SQLite, verified by counts and checksums${expectedTitle('data-recovery')}`,
      judge: ({ recovery }) => {
        if (!recovery) return { matches: false, line: 'data recovery did not run', error: 'data recovery did not run' };
        const line = expectationLine(recovery, recovery.measured);
        return { matches: recovery.matches, line, annotate: recovery.expected === 'fail' ? line : undefined };
      },
    });
  }
  for (const a of spec.assertions ?? []) {
    list.push({
      title: a.title,
      judge: ({ outcome }) => {
        try {
          const r = a.check(outcome);
          return { matches: r.holds, line: `${a.title}: measured ${r.measured}` };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          return { matches: false, line: `${a.title}: ${message}`, error: message };
        }
      },
    });
  }
  return list;
}

/** The assertions' titles, known before the drill runs: a test layer declares its `it`s with them. */
export function assertionTitles(scope: JudgeScope): string[] {
  return plan(scope).map((p) => p.title);
}

/** Judges one drilled scenario × variant and journals the judgement (verdicts, confirmed findings, checks, score, scenario.end). */
export function judgeScenario(outcome: ScenarioOutcome, scope: JudgeScope, journal: Journal): Judgement {
  const { spec, variant } = scope;
  const findings = findingsOf(scope);
  const verdicts = applyExpectations(criterionVerdicts(outcome, spec, scope.criteria), spec.name, variant, findings).map((v) => withRunLogs(v, outcome));
  for (const v of verdicts) journal.write({ type: 'verdict', ...v });
  for (const f of confirmedByVerdicts(verdicts, findings)) journal.write({ type: 'finding', ...f });
  const checklist = checklistChecks(outcome.validation.steps, spec.name, variant, findings);
  const recovery = outcome.dataRecovery ? dataRecoveryCheck(outcome.dataRecovery, spec.name, variant, findings) : undefined;
  const stepChecks = procedureStepChecks(outcome.procedure.steps, spec.name, variant, findings);
  const checks = [...stepChecks, ...checklist, ...(recovery ? [recovery] : [])].map((c) => withRunLogs(c, outcome));
  for (const c of checks) journal.write({ type: 'check', ...c });
  const weights = new Map(criteriaFor({ ...spec, variant }, scope.criteria).map((c) => [c.id, c.weight]));
  const score = resilienceScore(verdicts, weights);
  journal.write({ type: 'probe.summary', probe: 'resilience', summary: { ...score } });
  journal.write({
    type: 'scenario.end',
    passed: verdicts.every((v) => v.passed),
    matches: [...verdicts, ...checks].every((x) => x.matches),
    durationMs: outcome.procedure.durationMs,
  });
  const judged: Judged = { outcome, verdicts: new Map(verdicts.map((v) => [v.id, v])), stepChecks, checklist, recovery };
  return { verdicts, checks, score, assertions: plan(scope).map((p) => ({ title: p.title, ...p.judge(judged) })) };
}
