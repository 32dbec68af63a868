// Expected outcomes per variant: the seed runbook's known defects are expected failures, declared
// under the finding that explains each (FINDINGS in kit/findings.ts); everything else is
import { FINDINGS } from '../kit/findings.ts';
import type { CheckId, FindingSpec } from '../model/findings.ts';
import type { Verdict } from '../model/verdict.ts';

// expected to pass. The gate judges whether each verdict MATCHES its expectation, strictly: an
// expected failure that passes is a mismatch too (the runbook was fixed: remove the expectation).
import type { ScenarioName, Variant } from '../model/drill-config.ts';
import type { EventOf } from '../model/journal-events.ts';

export interface Expectation {
  expected: 'pass' | 'fail';
  /**
   * The finding id that explains an expected failure; on an expected pass, the finding whose mask
   * lifted a declared expected failure (the report names it, so a masked pass is never silent).
   */
  expectedBecause?: string;
  /** On a masked pass: the mask's reason, as its finding declares it. */
  maskReason?: string;
}

/** A journalled checklist item / data recovery, judged like a verdict. */
export type Check = Omit<EventOf<'check'>, 't' | 'type' | 'scenario' | 'variant'>;

/** Every declared expected failure, flattened: which finding, which check, where. */
export function declaredExpectedFailures(findings: readonly FindingSpec[] = Object.values(FINDINGS)) {
  return findings.flatMap((f) => (f.expectedFailures ?? []).map((x) => ({ finding: f.id, findingTitle: f.title, ...x })));
}

export function expectationFor(check: CheckId | string, scenario: ScenarioName, variant: Variant, findings?: readonly FindingSpec[]): Expectation {
  const here = (x: { check: string; variant: Variant; scenarios?: readonly string[] }) => x.check === check && x.variant === variant && (x.scenarios === undefined || x.scenarios.includes(scenario));
  // A target's finding may mask another's expected failure (Hyperpage acknowledges no write on
  // PostgreSQL, so the seed runbook has nothing to lose): that check is then expected to pass.
  const masked = (findings ?? (Object.values(FINDINGS) as FindingSpec[])).flatMap((f) => (f.masks ?? []).map((m) => ({ ...m, by: f.id }))).filter(here);
  const declared = declaredExpectedFailures(findings).filter(here);
  const hit = declared.find((x) => !masked.some((m) => m.finding === x.finding));
  if (hit) return { expected: 'fail', expectedBecause: hit.finding };
  const mask = masked.find((m) => declared.some((x) => x.finding === m.finding));
  return mask ? { expected: 'pass', expectedBecause: mask.by, maskReason: mask.because } : { expected: 'pass' };
}

/**
 * Does an outcome match its expectation? An expected failure must be a measured failure: a
 * verdict that failed because nothing was measured has not shown the defect.
 */
export function matches(passed: boolean, e: Expectation, measured: unknown = 0): boolean {
  // A mask says the declared defect cannot show on this app: an outcome that could not be measured
  // agrees with it (Hyperpage acknowledges nothing on PostgreSQL: data integrity has nothing to lose).
  if (e.maskReason !== undefined && notMeasured(measured)) return true;
  return e.expected === 'pass' ? passed : !passed && !notMeasured(measured);
}

/** null, or the verdicts' "not measured" (e.g. data integrity below its minimum coverage). */
export function notMeasured(measured: unknown): boolean {
  return measured === null || (typeof measured === 'string' && /^not measured\b/i.test(measured));
}

/** The verdicts with their expectation and whether they match it (what suites journal). */
export function applyExpectations(verdicts: readonly Verdict[], scenario: ScenarioName, variant: Variant, findings?: readonly FindingSpec[]): Verdict[] {
  return verdicts.map((v) => {
    const e = expectationFor(`criterion:${v.id}`, scenario, variant, findings);
    return { ...v, ...e, matches: matches(v.passed, e, v.measured) };
  });
}

export interface ChecklistStep {
  /** The step's stable id (absent in records from older journals: the prose is used then). */
  stepId?: string;
  step: string;
  outcome: string;
  message?: string;
}

/**
 * The runbook's checklist item number of a validation step: from its id (`checklist-2-database` → 2),
 * or for a record without one from its prose ("2. Database connectivity …" → 2).
 */
export function checklistItem(step: string, id?: string): number | undefined {
  const m = id === undefined ? /^(\d+)\./.exec(step.trim()) : /^checklist-(\d+)-/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** One check per validation step: numbered items as `checklist:N`, any other step by its id (or name). */
export function checklistChecks(steps: readonly ChecklistStep[], scenario: ScenarioName, variant: Variant, findings?: readonly FindingSpec[]): Check[] {
  return steps.map((s) => {
    const n = checklistItem(s.step, s.stepId);
    const id = n === undefined ? `checklist:${s.stepId ?? s.step}` : `checklist:${n}`;
    const e = expectationFor(id, scenario, variant, findings);
    const passed = s.outcome === 'ok';
    return { id, title: s.step, passed, measured: `${s.outcome}${s.message ? `: ${s.message}` : ''}`, ...e, matches: matches(passed, e), procedure: 'validation', stepId: s.stepId };
  });
}

/**
 * A rollback procedure step's check id: `step:<procedure>:<step id>` (`step:emergency:step-5b-health`).
 * A record without an id (older journals) falls back to the name's label: `step:emergency:Step 5b`.
 */
export function stepCheckId(procedure: string, step: string, id?: string): string {
  return `step:${procedure}:${id ?? step.split(':')[0]!.trim()}`;
}

/**
 * The rollback procedure's steps that are judged: every failed one (a failure nobody declared is a
 * mismatch) and every one declared to fail (it must fail; a step that did not run measured nothing).
 */
export function procedureStepChecks(
  steps: readonly (ChecklistStep & { procedure: string })[],
  scenario: ScenarioName,
  variant: Variant,
  findings?: readonly FindingSpec[],
): Check[] {
  return steps.flatMap((s) => {
    const id = stepCheckId(s.procedure, s.step, s.stepId);
    const e = expectationFor(id, scenario, variant, findings);
    if (s.outcome !== 'failed' && e.expected === 'pass') return [];
    const ran = s.outcome === 'ok' || s.outcome === 'failed';
    const measured = `${ran ? '' : 'not measured: '}${s.outcome}${s.message ? `: ${s.message}` : ''}`;
    const passed = s.outcome === 'ok';
    return [{ id, title: s.step, passed, measured, ...e, matches: matches(passed, e, ran ? measured : null), procedure: s.procedure, stepId: s.stepId }];
  });
}

/** The data recovery as one check: completed (counts and checksums verified) or not. */
export function dataRecoveryCheck(
  r: { completed: boolean; steps: readonly ChecklistStep[] },
  scenario: ScenarioName,
  variant: Variant,
  findings?: readonly FindingSpec[],
): Check {
  const e = expectationFor('data-recovery', scenario, variant, findings);
  const measured = r.steps.map((s) => `${s.outcome} ${s.step}${s.message ? `: ${s.message}` : ''}`).join('; ') || 'no step ran';
  return { id: 'data-recovery', title: 'Data recovery: PostgreSQL → SQLite, verified by counts and checksums', passed: r.completed, measured, ...e, matches: matches(r.completed, e), procedure: 'data-recovery' };
}

/**
 * One line saying how an outcome compares to its expectation, measurement included: the
 * assertion message of a suite's `it` and the wording of the reports.
 */
export function expectationLine(x: { passed: boolean; expected?: 'pass' | 'fail'; expectedBecause?: string; matches?: boolean }, measured: string): string {
  const expected = x.expected ?? 'pass';
  const ok = x.matches ?? x.passed;
  if (expected === 'fail' && ok) return `expected failure (finding ${x.expectedBecause}): ${measured}`;
  if (expected === 'fail' && x.passed)
    return `UNEXPECTEDLY PASSED (expected to fail because of finding ${x.expectedBecause}): ${measured}; remove the expectation, the runbook was fixed`;
  if (expected === 'fail') return `expected failure (finding ${x.expectedBecause}) but nothing was measured: ${measured}`;
  return ok ? `passed: ${measured}` : `FAILED: ${measured}`;
}

/** "measured 537 lost writes (budget 0): evidence" for a verdict. */
export function verdictMeasurement(v: Pick<Verdict, 'measured' | 'budget' | 'unit' | 'evidence'>): string {
  const unit = v.unit ? ` ${v.unit}` : '';
  return `measured ${v.measured === null ? 'nothing' : `${String(v.measured)}${unit}`} (budget ${String(v.budget)}${v.budget === null ? '' : unit}): ${v.evidence}`;
}

/**
 * Findings confirmed by a criterion that failed as declared (e.g. no data flow: the lost writes
 * measured by data-integrity). Checklist and recovery findings are recorded by their steps.
 */
export function confirmedByVerdicts(verdicts: readonly Verdict[], findings: readonly FindingSpec[] = Object.values(FINDINGS)): Omit<EventOf<'finding'>, 't' | 'type'>[] {
  return verdicts.flatMap((v) => {
    const f = v.expected === 'fail' && v.matches ? findings.find((x) => x.id === v.expectedBecause) : undefined;
    return f ? [{ id: f.id, title: f.title, detail: `${v.id} failed as expected: ${verdictMeasurement(v)}`.slice(0, 600), confirmed: true }] : [];
  });
}
