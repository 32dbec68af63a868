// The reports against expected outcomes: a seed run whose declared defects fail as expected is a
// passing gate everywhere (verdict line, junit), with its expected failures listed and measured;
// a seed run whose expected failure passed is a failure shown at the top.
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../journal/journal.ts';
import { renderHtml } from './formats/html.format.ts';
import { renderJson } from './formats/json.format.ts';
import { renderJunit } from './formats/junit.format.ts';
import { renderMarkdown } from './formats/markdown.format.ts';
import { buildReport } from './build-report.ts';
import { SEED_LOST, writeFixtureRun, type FixtureKind } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';

afterEach(cleanTmp);

const report = (kind: FixtureKind) => buildReport(readJournal(writeFixtureRun(tmpDir(), kind)));
type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
const junitCases = (xml: string) => ((parser.parse(xml).testsuites as Node)['testsuite'] as Node[]).flatMap((s) => s['testcase'] as Node[]);

describe('expected failures of the seed runbook', () => {
  it('model: every verdict matches, the expected failures are listed with their measurement', () => {
    const r = report('seed-expected');
    expect(r.verdict).toMatchObject({ passed: true, matchesExpectations: true, criteria: { total: 5, passed: 4, failed: 1, expectedFailures: 1, mismatched: 0 } });
    expect(r.verdict.headline).toBe('PASSED: all verdicts match their expectations: 4/5 criteria met, 3 expected failure(s) of the seed runbook as written across 1 scenario run(s)');
    expect(r.warnings).toEqual([]);
    expect(r.expectations.unexpectedPasses).toEqual([]);
    expect(r.expectations.unexpectedFailures).toEqual([]);
    expect(r.expectations.expectedFailures.map((x) => [x.kind, x.id, x.finding, x.findingTitle])).toEqual([
      ['criterion', 'data-integrity', 'runbook-no-data-flow', 'No data flows PostgreSQL → SQLite'],
      ['check', 'step:emergency:step-5b-health', 'runbook-cluster-dns', 'Health checks use cluster DNS <unreachable> & "quoted"'],
      ['check', 'checklist:1', 'runbook-cluster-dns', 'Health checks use cluster DNS <unreachable> & "quoted"'],
    ]);
    expect(r.expectations.expectedFailures[0]!.measured).toBe(`${SEED_LOST} writes, budget 0 writes`);
    expect(r.groups[0]).toMatchObject({ matches: true, checks: [{ id: 'step:emergency:step-5b-health' }, { id: 'checklist:1', passed: false, matches: true }, { id: 'checklist:final-line', passed: true }] });
    expect(JSON.parse(renderJson(r)).expectations.expectedFailures).toHaveLength(3);
  });

  it('markdown: verdict line, expected column with the finding, and the expected-failures section', () => {
    const md = renderMarkdown(report('seed-expected'));
    expect(md).toContain('**PASSED: all verdicts match their expectations: 4/5 criteria met');
    expect(md).toContain('_All verdicts match their expectations._');
    expect(md).toMatch(/\| 🟠 expected \| database-corruption \/ seed \| No data loss during rollback \(`data-integrity`\) \| fail \(finding `runbook-no-data-flow`\) \| 537 writes \| 0 writes \|/);
    expect(md).toContain('### Expected failures (seed runbook as written)');
    expect(md).toContain(`| database-corruption / seed | No data loss during rollback (\`data-integrity\`) | No data flows PostgreSQL → SQLite (\`runbook-no-data-flow\`) | ${SEED_LOST} writes, budget 0 writes: ${SEED_LOST} acknowledged writes missing`);
    expect(md).toContain('| database-corruption / seed | 1. Application health (curl cluster DNS) (`checklist:1`) |');
    expect(md).not.toContain('do not match their expectations');
  });

  it('junit: an expected failure that failed is a passing testcase saying so, a declared step failure too; the over-budget step still fails', () => {
    const cases = junitCases(renderJunit(report('seed-expected')));
    const integrity = cases.find((c) => String(c['@name']).startsWith('data-integrity'))!;
    expect(integrity['failure']).toBeUndefined();
    expect(String(integrity['system-out'])).toContain(`expected failure (finding runbook-no-data-flow): measured ${SEED_LOST} writes, budget 0 writes`);
    expect((integrity['properties'] as Node)['property']).toEqual([
      { '@name': 'expected', '@value': 'fail' },
      { '@name': 'expectedBecause', '@value': 'runbook-no-data-flow' },
    ]);
    const check = cases.find((c) => String(c['@name']).startsWith('checklist:1'))!;
    expect(check['failure']).toBeUndefined();
    expect(String(check['system-out'])).toContain('expected failure (finding runbook-cluster-dns): failed: curl');
    const step5b = cases.find((c) => String(c['@name']).includes('Step 5b'))!;
    expect(step5b['failure']).toBeUndefined();
    expect(String(step5b['system-out'])).toContain('expected failure (finding runbook-cluster-dns): failed: took');
    expect(cases.filter((c) => String(c['@name']).startsWith('step:'))).toEqual([]); // judged on the step's own testcase
    expect(cases.filter((c) => c['failure']).map((c) => (c['failure'] as Node)['@type'])).toEqual(['over-budget']);
  });

  it('html: expected column, amber row, and the expected-failures table', () => {
    const html = renderHtml(report('seed-expected'));
    expect(html).toMatch(/<tr class="expected-failure"><td><span class="mk aborted" title="failed as expected">✗<\/span><\/td><td>No data loss during rollback <code>data-integrity<\/code><\/td><td>fail \(finding <code>runbook-no-data-flow<\/code>\)<\/td>/);
    expect(html).toContain('<h2>Expected failures (seed runbook as written)</h2>');
    expect(html).toContain('<table id="expected-failures">');
    expect(html).not.toContain('id="mismatches"');
  });
});

describe('an expected failure that passed (the runbook was fixed)', () => {
  it('fails the verdict, says so first, and tells to remove the expectation', () => {
    const r = report('seed-fixed');
    expect(r.verdict).toMatchObject({ passed: false, matchesExpectations: false, criteria: { mismatched: 1 } });
    expect(r.verdict.headline).toMatch(/^FAILED: 1 verdict\(s\) do not match their expectations, first data-integrity \(database-corruption\/seed\) UNEXPECTEDLY PASSED, expected to fail \(finding runbook-no-data-flow\): measured 0 writes, budget 0 writes; remove the expectation/);
    expect(r.expectations.unexpectedPasses.map((x) => x.id)).toEqual(['data-integrity']);

    const md = renderMarkdown(r);
    const top = md.indexOf('### ❗ Verdicts that do not match their expectations');
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(md.indexOf('### Success criteria'));
    expect(md).toContain('| ❗ unexpectedly passed | database-corruption / seed | No data loss during rollback (`data-integrity`) | fail: runbook-no-data-flow; remove the expectation, the runbook was fixed |');

    const integrity = junitCases(renderJunit(r)).find((c) => String(c['@name']).startsWith('data-integrity'))!;
    expect((integrity['failure'] as Node)['@type']).toBe('unexpected-pass');
    expect((integrity['failure'] as Node)['@message']).toContain('UNEXPECTEDLY PASSED (expected to fail because of finding runbook-no-data-flow)');

    const html = renderHtml(r);
    expect(html).toContain('id="mismatches"');
    expect(html).toContain('unexpectedly passed: remove the expectation, the runbook was fixed');
  });
});
