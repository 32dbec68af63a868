// junit.xml for CI test tabs: one testsuite per scenario×variant, one testcase per criterion, per
// checklist/data-recovery check and per procedure step (plus one for the fault taking effect),
// failures carrying the measured values. A testcase judges the MATCH with the expected outcome:
// the seed runbook's declared defect that failed is a passing testcase (property expected=fail),
// an expected failure that passed is a failure (the runbook was fixed: remove the expectation).
import { causeLines, provenanceText } from '../explain.ts';
import type { Causes, FindingKind } from '../../model/journal-events.ts';
import { wasRunning } from '../interruption.ts';
import type { CheckReport, GroupReport, RunReport, StepReport } from '../model.ts';
import { criterionLine, fmtMeasured, groupLabel, stepLine } from '../display.ts';
import { textFormat } from '../renderer.ts';

interface Case {
  classname: string;
  name: string;
  timeMs: number;
  startedAt: number | null;
  failure?: { type: string; message: string; body: string };
  error?: { type: string; message: string; body: string };
  skipped?: string;
  out?: string;
  properties?: Record<string, string>;
}

export function renderJunit(r: RunReport): string {
  const suites = r.groups.map((g) => ({ g, cases: casesOf(g) })).filter((s) => s.cases.length > 0);
  // The findings, grouped and de-duplicated, as informational testcases (never failures: the checks
  // judge them), each with its source (measured or declared by the profile), details and causes.
  const findingCases = findingsCases(r);
  if (findingCases.length) suites.push({ g: { ...runGroupStub(r), key: 'findings', status: 'passed' }, cases: findingCases });
  if (r.run.status === 'aborted' || r.run.status === 'error') {
    // The interruption itself is a result: a CI tab must not show an aborted run as green.
    const runCase: Case = {
      classname: 'rollback-drill.run',
      name: 'run completed',
      timeMs: r.run.durationMs ?? 0,
      startedAt: r.run.startedAt,
      error: { type: r.run.status, message: r.verdict.headline, body: r.run.reason ?? '' },
    };
    const existing = suites.find((s) => s.g.scenario === null);
    if (existing) existing.cases.unshift(runCase);
    else suites.push({ g: runGroupStub(r), cases: [runCase] });
  }

  const all = suites.flatMap((s) => s.cases);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites ${attrs({
      name: `rollback-drill ${r.run.profile} ${r.run.id}`,
      tests: all.length,
      failures: all.filter((c) => c.failure).length,
      errors: all.filter((c) => c.error).length,
      skipped: all.filter((c) => c.skipped !== undefined).length,
      time: secs(r.run.durationMs ?? 0),
      timestamp: junitTime(r.run.startedAt),
    })}>`,
  );
  for (const [i, { g, cases }] of suites.entries()) {
    lines.push(
      `  <testsuite ${attrs({
        name: g.key === 'findings' ? 'findings' : groupLabel(g),
        id: i,
        package: 'rollback-drill',
        tests: cases.length,
        failures: cases.filter((c) => c.failure).length,
        errors: cases.filter((c) => c.error).length,
        skipped: cases.filter((c) => c.skipped !== undefined).length,
        time: secs(g.durationMs ?? 0),
        timestamp: junitTime(g.startedAt ?? r.run.startedAt),
        hostname: 'localhost',
      })}>`,
    );
    lines.push('    <properties>');
    const props: Record<string, string | number | null> = {
      'run.id': r.run.id,
      profile: r.run.profile,
      platform: r.run.platform,
      timezone: 'UTC',
      scenario: g.scenario,
      variant: g.variant,
      method: g.method,
      budgetMs: g.budgetMs,
      fault: g.fault.name,
    };
    for (const [name, value] of Object.entries(props)) if (value !== null) lines.push(`      <property ${attrs({ name, value })}/>`);
    lines.push('    </properties>');
    for (const c of cases) {
      const open = `    <testcase ${attrs({ classname: c.classname, name: c.name, time: secs(c.timeMs) })}`;
      const body: string[] = [];
      if (c.failure) body.push(`      <failure ${attrs({ type: c.failure.type, message: c.failure.message })}>${text(c.failure.body)}</failure>`);
      if (c.error) body.push(`      <error ${attrs({ type: c.error.type, message: c.error.message })}>${text(c.error.body)}</error>`);
      if (c.skipped !== undefined) body.push(`      <skipped ${attrs({ message: c.skipped })}/>`);
      if (c.properties) body.push(`      <properties>${Object.entries(c.properties).map(([name, value]) => `<property ${attrs({ name, value })}/>`).join('')}</properties>`);
      const out = [c.startedAt !== null ? `started ${new Date(c.startedAt).toISOString()}` : '', c.out ?? ''].filter(Boolean).join('\n');
      if (out) body.push(`      <system-out>${text(out)}</system-out>`);
      lines.push(body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function casesOf(g: GroupReport): Case[] {
  const base = g.scenario === null ? 'rollback-drill.run' : `rollback-drill.${g.scenario}.${g.variant}`;
  const cases: Case[] = [];
  if (g.fault.name) {
    const c: Case = { classname: `${base}.fault`, name: `fault ${g.fault.name} took effect`, timeMs: 0, startedAt: g.fault.injectedAt };
    if (g.fault.effective === false) c.failure = { type: 'fault-not-effective', message: `fault ${g.fault.name} did not take effect`, body: g.fault.evidence ?? '' };
    else if (g.fault.effective === null) c.error = { type: 'not-verified', message: `fault ${g.fault.name} was never verified`, body: g.fault.injectDetail ?? '' };
    else c.out = g.fault.evidence ?? '';
    cases.push(c);
  }
  for (const c of g.criteria) {
    const k: Case = { classname: `${base}.criteria`, name: `${c.id}: ${c.title}`, timeMs: 0, startedAt: c.at, out: `${criterionLine(c)}\n${c.evidence}` };
    if (c.expected === 'fail') k.properties = { expected: 'fail', expectedBecause: c.expectedBecause ?? '' };
    else if (c.expectedBecause) k.properties = { expected: 'pass', maskedBy: c.expectedBecause, ...(c.maskReason ? { maskReason: c.maskReason } : {}) };
    if (c.notMeasured) k.properties = { ...k.properties, notMeasured: c.notMeasured };
    if (c.matches && !c.passed) k.out = `expected failure (finding ${c.expectedBecause}): ${criterionLine(c)}\n${c.evidence}`;
    else if (!c.matches && c.passed)
      k.failure = {
        type: 'unexpected-pass',
        message: `${c.title}: UNEXPECTEDLY PASSED (expected to fail because of finding ${c.expectedBecause}): ${criterionLine(c)}; remove the expectation, the runbook was fixed`,
        body: c.evidence,
      };
    else if (!c.matches) k.failure = { type: 'criterion-failed', message: `${c.title}: ${c.says ?? criterionLine(c)}`, body: withCauses(c.evidence, c.causes) };
    cases.push(k);
  }
  // A check that judges a step (same procedure and stepId) is that step's testcase; the others
  // (a checklist item whose step was not journalled, the data recovery as a whole) are their own.
  const checkOfStep = (s: StepReport) => g.checks.find((c) => c.stepId !== null && c.procedure === s.procedure && c.stepId === s.stepId);
  const judgesAStep = (c: CheckReport) => g.steps.some((s) => checkOfStep(s) === c);
  // A check of a whole procedure (no stepId: the data recovery) explains its failed steps.
  const checkOfProcedure = (s: StepReport) => g.checks.find((c) => c.stepId === null && c.procedure === s.procedure);
  for (const c of g.checks.filter((x) => !judgesAStep(x))) {
    const k: Case = { classname: `${base}.checks`, name: `${c.id}: ${c.title}`, timeMs: 0, startedAt: c.at, out: c.measured };
    if (c.provenance) k.properties = { ...k.properties, source: provenanceText(c.provenance) };
    if (!judgeByCheck(k, c, c.measured)) k.failure = { type: 'check-failed', message: `${c.title}: ${c.says ?? c.measured}`, body: withCauses(c.measured, c.causes) };
    cases.push(k);
  }
  for (const s of g.steps) {
    const k: Case = {
      classname: `${base}.steps.${s.procedure}`,
      name: `${String(s.index + 1).padStart(2, '0')} ${s.step}`,
      timeMs: s.durationMs,
      startedAt: s.startedAt,
      out: stepLine(s),
    };
    const check = checkOfStep(s) ?? (s.outcome === 'failed' ? checkOfProcedure(s) : undefined);
    if (check) k.properties = { check: check.id, ...k.properties };
    if (check && (check.expected === 'fail' || !check.matches)) {
      if (!judgeByCheck(k, check, stepLine(s)))
        k.failure = { type: 'step-failed', message: `${s.step} ${s.outcome} after ${fmtMeasured(s.durationMs, 'ms')}: ${s.message}`, body: stepLine(s) };
    } else if (s.outcome === 'failed') k.failure = { type: 'step-failed', message: `${s.step} failed after ${fmtMeasured(s.durationMs, 'ms')}: ${s.message}`, body: stepLine(s) };
    else if (wasRunning(s)) k.error = { type: 'interrupted', message: `${s.step} was running when the run stopped`, body: stepLine(s) };
    else if (s.outcome === 'skipped' || s.outcome === 'aborted') k.skipped = `not run (${s.outcome})${s.message ? `: ${s.message}` : ''}`;
    else if (s.overBudget)
      k.failure = {
        type: 'over-budget',
        message: `${s.step} took ${fmtMeasured(s.durationMs, 'ms')}, budget ${fmtMeasured(s.budgetMs, 'ms')}`,
        body: stepLine(s),
      };
    cases.push(k);
  }
  return cases;
}

/**
 * Judges a testcase by a check's expected outcome: an expected failure passes (marked), an
 * unexpected pass fails. false: the check failed unexpectedly (the caller says how).
 */
function judgeByCheck(k: Case, c: CheckReport, line: string): boolean {
  if (c.expected === 'fail') k.properties = { ...k.properties, expected: 'fail', expectedBecause: c.expectedBecause ?? '' };
  if (c.matches && !c.passed) k.out = `expected failure (finding ${c.expectedBecause}): ${line}`;
  else if (!c.matches && c.passed)
    k.failure = { type: 'unexpected-pass', message: `${c.title}: UNEXPECTEDLY PASSED (expected to fail because of finding ${c.expectedBecause}); remove the expectation, the runbook was fixed`, body: c.measured };
  else if (!c.matches) return false;
  return true;
}

/** A failure's body: the measured text, then each cause on its own line (the log's file beside it). */
function withCauses(body: string, causes: Causes | null): string {
  const lines = causeLines(causes).map((c) => `${c.kind === 'fix' ? '' : `${c.kind}: `}${c.text}${c.file ? ` (${c.file})` : ''}`);
  return lines.length ? `${body}\n\ncauses:\n${lines.join('\n')}` : body;
}

function findingsCases(r: RunReport): Case[] {
  return (Object.keys(r.findingGroups) as FindingKind[]).flatMap((kind) =>
    r.findingGroups[kind].map((f) => ({
      classname: `rollback-drill.findings.${kind}`,
      name: `${f.id}: ${f.title}`,
      timeMs: 0,
      startedAt: null,
      properties: { kind, confirmed: String(f.confirmed), source: provenanceText(f.provenance), where: f.where.join(', ') },
      out: withCauses(f.details.join('\n'), f.causes),
    })),
  );
}

function runGroupStub(r: RunReport): GroupReport {
  return {
    key: 'run',
    scenario: null,
    variant: null,
    status: 'aborted',
    startedAt: r.run.startedAt,
    endedAt: r.run.endedAt,
    durationMs: r.run.durationMs,
    method: null,
    validation: null,
    budgetMs: null,
    fault: { name: null, injectedAt: null, injectDetail: null, effective: null, verifiedAt: null, evidence: null, clearedAt: null },
    steps: [],
    criteria: [],
    checks: [],
    matches: null,
    findings: [],
    probes: [],
    latency: { baseline: null, after: null },
    integrity: null,
    availability: null,
    samples: [],
    triggers: [],
    markers: [],
    phases: [],
    metrics: { timeToRestoreMs: null, timeToRestoreSource: null, downtimeMs: null, p99AfterMs: null, lostWrites: null, score: null },
  };
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** JUnit's schema wants an ISO date-time without zone; the times are UTC (see the timezone property). */
function junitTime(t: number | null): string {
  return new Date(t ?? 0).toISOString().slice(0, 19);
}

// Characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped.
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attrs(o: Record<string, string | number>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k}="${text(String(v)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`)
    .join(' ');
}

export default textFormat({ id: 'junit', file: 'junit.xml', order: 20, render: renderJunit });
