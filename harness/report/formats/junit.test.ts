import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../journal/journal.ts';
import type { JournalEvent } from '../../model/journal-events.ts';
import { renderJunit } from './junit.format.ts';
import { buildReport } from '../build-report.ts';
import { SEED_LOST, writeFixtureRun } from '../test-journals.ts';
import { cleanTmp, tmpDir } from '../test-tmp.ts';

afterEach(cleanTmp);

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

function parse(xml: string): { root: Node; suites: Node[]; cases: Node[] } {
  const valid = XMLValidator.validate(xml);
  expect(valid, JSON.stringify(valid)).toBe(true);
  const root = parser.parse(xml).testsuites as Node;
  const suites = root['testsuite'] as Node[];
  return { root, suites, cases: suites.flatMap((s) => (s['testcase'] as Node[]) ?? []) };
}

const junit = (kind: Parameters<typeof writeFixtureRun>[1]) => renderJunit(buildReport(readJournal(writeFixtureRun(tmpDir(), kind))));

describe('renderJunit', () => {
  it('passing run: one suite per scenario×variant, a testcase per criterion and per step, no failures', () => {
    const { root, suites, cases: all } = parse(junit('hardened-pass'));
    // The findings are a suite of their own: informational testcases, never failures.
    expect(suites.map((s) => s['@name'])).toEqual(['database-corruption / hardened', 'findings']);
    const findings = all.filter((c) => String(c['@classname']).startsWith('rollback-drill.findings.'));
    expect(suites[1]!['@failures']).toBe('0');
    expect(findings.length).toBe(Number(suites[1]!['@tests']));
    const cases = all.filter((c) => !findings.includes(c));
    const s = suites[0]!;
    // 1 fault + 5 criteria + 6 steps
    expect(s['@tests']).toBe('12');
    expect(cases).toHaveLength(12);
    expect(root['@failures']).toBe('0');
    expect(root['@errors']).toBe('0');
    expect(s['@timestamp']).toBe('2026-01-15T09:30:03');
    expect(cases.filter((c) => String(c['@classname']).endsWith('.criteria'))).toHaveLength(5);
    expect(cases.filter((c) => String(c['@classname']).includes('.steps.'))).toHaveLength(6);
    const step = cases.find((c) => String(c['@name']).startsWith('02 '))!;
    expect(step['@time']).toBe('2.400');
    expect(String(step['system-out'])).toMatch(/^started 2026-01-15T09:30:\d\d\.\d{3}Z/);
  });

  it('seed run: the data-integrity failure carries the measured value; failed and over-budget steps fail', () => {
    const { root, cases } = parse(junit('seed-lost'));
    const failures = cases.filter((c) => c['failure']);
    expect(root['@failures']).toBe(String(failures.length));
    expect(failures).toHaveLength(3);
    const integrity = cases.find((c) => String(c['@name']).startsWith('data-integrity'))!;
    const f = integrity['failure'] as Node;
    expect(f['@type']).toBe('criterion-failed');
    expect(f['@message']).toBe(`No data loss during rollback: measured ${SEED_LOST} writes, budget 0 writes`);
    expect(f['#text']).toContain(`${SEED_LOST} acknowledged writes missing`);
    expect((cases.find((c) => String(c['@name']).includes('Step 4'))!['failure'] as Node)['@type']).toBe('over-budget');
    expect((cases.find((c) => String(c['@name']).includes('Step 5b'))!['failure'] as Node)['@message']).toContain('HTTP 000');
  });

  it('aborted run: an error testcase for the run and one for the interrupted step', () => {
    const { root, cases } = parse(junit('aborted'));
    expect(root['@errors']).toBe('2'); // the run and the step it stopped in; the fault was verified
    const errors = cases.filter((c) => c['error']).map((c) => c['@name']);
    expect(errors).toContain('run completed');
    expect(errors).toContain('03 Create SQLite deployment on hyperpage-data-pvc');
  });

  it('judges a step by the check with its procedure and stepId, whatever either is titled', () => {
    const t = Date.UTC(2026, 0, 1);
    const g = { scenario: 's', variant: 'seed' };
    const step = (index: number, stepId: string, name: string, outcome: 'ok' | 'failed') =>
      ({ t: t + index, ...g, type: 'step.end', procedure: 'emergency', stepId, step: name, index, budgetMs: 1_000, startedAt: t, durationMs: 5, outcome, message: outcome }) as const;
    const check = (stepId: string, title: string, passed: boolean, expected: 'pass' | 'fail') =>
      ({ t: t + 10, ...g, type: 'check', id: `step:emergency:${stepId}`, title, passed, measured: passed ? 'ok' : 'failed', expected, ...(expected === 'fail' ? { expectedBecause: 'runbook-cluster-dns' } : {}), matches: passed === (expected === 'pass'), procedure: 'emergency', stepId }) as const;
    const events: JournalEvent[] = [
      { t, type: 'run.start', runId: 'ids', profile: 'monthly', platform: 'local', scenarios: ['s'], variants: ['seed'], config: {}, host: { node: 'v20', os: 'linux', cpus: 2 } },
      // The step's prose was renamed after the check was titled: still its check.
      step(0, 'step-5b-health', 'Step 5b: health (renamed)', 'failed'),
      // Same title as the declared check below, another step: not judged by it.
      step(1, 'step-6-final', 'Step 5b: health endpoint', 'failed'),
      // Declared to fail, but passed: the step testcase says so.
      step(2, 'step-7-report', 'Step 7', 'ok'),
      check('step-5b-health', 'Step 5b: health endpoint', false, 'fail'),
      check('step-7-report', 'Step 7', true, 'fail'),
      { t: t + 20, type: 'run.end', status: 'failed', exitCode: 1 },
    ];
    const r = buildReport(events);
    expect(r.groups[0]!.checks.map((c) => c.stepId)).toEqual(['step-5b-health', 'step-7-report']);
    const { cases } = parse(renderJunit(r));
    const byName = (n: string) => cases.find((c) => String(c['@name']).startsWith(n))!;
    // No testcase of their own: each check is its step's testcase.
    expect(cases.map((c) => c['@name'])).toEqual(['01 Step 5b: health (renamed)', '02 Step 5b: health endpoint', '03 Step 7']);
    const renamed = byName('01 ');
    expect(renamed['failure']).toBeUndefined();
    expect(String(renamed['system-out'])).toContain('expected failure (finding runbook-cluster-dns)');
    expect(((renamed['properties'] as Node)['property'] as Node[]).map((p) => [p['@name'], p['@value']])).toEqual([
      ['check', 'step:emergency:step-5b-health'],
      ['expected', 'fail'],
      ['expectedBecause', 'runbook-cluster-dns'],
    ]);
    expect((byName('02 ')['failure'] as Node)['@type']).toBe('step-failed');
    expect((byName('03 ')['failure'] as Node)['@type']).toBe('unexpected-pass');
  });

  it('escapes markup, quotes and control characters into well-formed XML', () => {
    const t = Date.UTC(2026, 0, 1);
    const nasty = 'a < b && c > "d" \'e\' ]]> \u0000\u0007\u001b[31m tab\there\nnewline \ud800 lone surrogate 😀';
    const events: JournalEvent[] = [
      { t, type: 'run.start', runId: 'r<1>', profile: 'monthly', platform: 'local', scenarios: ['s'], variants: ['seed'], config: {}, host: { node: 'v20', os: 'linux', cpus: 2 } },
      { t, scenario: 's', variant: 'seed', type: 'verdict', id: 'x&y', title: nasty, passed: false, measured: nasty, budget: '<0>', evidence: nasty },
      { t, scenario: 's', variant: 'seed', type: 'step.end', procedure: 'p"q', stepId: 'nasty', step: nasty, index: 0, budgetMs: 1, startedAt: t, durationMs: 5, outcome: 'failed', message: nasty },
      { t: t + 10, type: 'run.end', status: 'failed', exitCode: 1 },
    ];
    const xml = renderJunit(buildReport(events));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain('\ud800 ');
    const { cases } = parse(xml);
    expect(cases).toHaveLength(2);
    const msg = (cases[0]!['failure'] as Node)['@message'] as string;
    expect(msg).toContain('a < b && c > "d"');
    expect(msg).toContain('😀');
  });
});
