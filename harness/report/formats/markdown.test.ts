import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../journal/journal.ts';
import { renderMarkdown, cell } from './markdown.format.ts';
import { buildReport } from '../build-report.ts';
import { SEED_LOST, writeFixtureRun } from '../test-journals.ts';
import { cleanTmp, tmpDir } from '../test-tmp.ts';

afterEach(cleanTmp);

const md = (kind: Parameters<typeof writeFixtureRun>[1]) => {
  const r = buildReport(readJournal(writeFixtureRun(tmpDir(), kind)));
  r.history = { compared: 3, regressions: kind === 'seed-lost' ? [{ group: 'database-corruption/seed', metric: 'downtimeMs', current: 11_200, median: 1_900, ratio: 5.9, runs: 3 }] : [] };
  return renderMarkdown(r);
};

/** Rows of the markdown table that follows a heading, as arrays of trimmed cells. */
function table(text: string, heading: string): string[][] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^#{2,4} /.test(l)) break;
    if (l.startsWith('|') && !/^\|[-:|]+\|$/.test(l)) rows.push(l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

describe('renderMarkdown', () => {
  it('leads with the verdict and puts measured vs budget in the criteria table', () => {
    const text = md('seed-lost');
    expect(text.split('\n')[0]).toBe('## ❌ Rollback drill FAILED: monthly on local');
    // A journal without expectations: every verdict is expected to pass.
    expect(text).toContain(`**FAILED: 1 verdict(s) do not match their expectations, first data-integrity (database-corruption/seed) failed: measured ${SEED_LOST} writes, budget 0 writes**`);
    const rows = table(text, '### Success criteria');
    expect(rows[0]).toEqual(['', 'Scenario', 'Criterion', 'Expected', 'Measured', 'Budget', 'Evidence']);
    const integrity = rows.find((r) => r[2]!.includes('data-integrity'))!;
    expect(integrity.slice(0, 6)).toEqual(['❌', 'database-corruption / seed', 'No data loss during rollback (`data-integrity`)', 'pass', `${SEED_LOST} writes`, '0 writes']);
    expect(rows.find((r) => r[2]!.includes('performance'))!.slice(4, 6)).toEqual(['18.7 ms', '500 ms']);
  });

  it('shows step timings against budgets, data-integrity counts, latency baseline vs after, findings and regressions', () => {
    const text = md('seed-lost');
    const steps = table(text, '### Steps vs budgets');
    expect(steps.find((r) => r[3] === 'Step 4: patch service selector')!.slice(0, 6)).toEqual(['⚠️ over', '4', 'emergency', 'Step 4: patch service selector', '14.5 s', '10.0 s']);
    expect(steps.find((r) => r[3]!.startsWith('Step 5b'))![0]).toBe('❌');
    const integrity = table(text, '### Data integrity (write ledger)');
    expect(integrity[0]).toEqual(['Scenario', 'ok', 'fail', 'unknown', 'lost', 'recovered', 'unexpected', 'duplicated', 'altered', 'min writes/pod after restore', 'detectable loss/pod (95 %)', 'read from']);
    // Coverage of the restored engine beside the counts: the detectable loss is a declared fraction, shown as percent.
    expect(integrity[1]).toEqual(['database-corruption / seed', '1741', '31', '2', String(SEED_LOST), '1', '0', '0', '0', '401', '0.74 %', 'sqlite-file']);
    const latency = table(text, '### Latency: baseline, with the fault, after rollback');
    expect(latency.map((r) => [r[1], r[2], r[6], r[7], r[9], r[10]])).toEqual([
      ['phase', 'load', 'p99', 'corrected p99', 'req/s', 'late'],
      ['baseline', 'closed loop, 10 connections', '14.9 ms', '–', '812.4', '–'],
      ['after', "open loop: 405.9 of 406 req/s (the baseline's 812.4 req/s × 0.5 (--load-rate-share))", '18.7 ms', '23.3 ms', '405.9', '12 (0.59 %)'],
    ]);
    // Grouped by kind, one row per finding id, with where it was found and where the statement comes from.
    const findings = table(text, '#### Runbook defects');
    expect(findings[0]).toEqual(['', 'Finding', 'Where', 'Source', 'Detail']);
    expect(findings[1]![0]).toBe('🔴 confirmed');
    expect(findings[1]![3]).toBe('measured');
    expect(findings[1]![4]).toContain(`${SEED_LOST} writes lost`);
    expect(table(text, '### Regressions vs history')[1]).toEqual(['database-corruption / seed', 'downtime', '11.2 s', '1.9 s (3 runs)', '5.90']);
  });

  it('contains no raw HTML: angle brackets from the journal are escaped', () => {
    const text = md('seed-lost');
    expect(text).toContain('cluster DNS &lt;unreachable&gt;');
    expect(text).not.toMatch(/<[a-z/][^>]*>/i);
  });

  it('renders an aborted run with an Interrupted section naming the step in progress', () => {
    const text = md('aborted');
    expect(text).toContain('## ⏹️ Rollback drill ABORTED');
    expect(text).toContain('### Interrupted');
    expect(text).toContain('- ⏸️ in progress: **Create SQLite deployment on hyperpage-data-pvc**');
    expect(text).toContain('_No criterion was evaluated._');
    expect(text).toContain('| ⏸️ | 3 |');
  });

  it('cuts a long evidence cell short and lists the whole evidence, part by part, under the criteria table', () => {
    const r = buildReport(readJournal(writeFixtureRun(tmpDir(), 'seed-lost')));
    const c = r.groups.flatMap((g) => g.criteria).find((x) => x.id === 'performance')!;
    const parts = Array.from({ length: 12 }, (_, i) => `part ${i} of the evidence: p99 ${100 + i} ms over ${4000 + i} requests`);
    c.evidence = parts.join('; ');
    const text = renderMarkdown(r);
    const cellText = table(text, '### Success criteria').find((x) => x[2]?.includes('`performance`'))![6]!;
    expect(cellText.length, cellText).toBeLessThan(230);
    expect(cellText).toMatch(/… \(in full below\)$/);
    const full = text.split('#### Evidence in full')[1]!.split('###')[0]!;
    expect(full).toContain('- **`performance`**');
    for (const p of parts) expect(full).toContain(`  - ${p}`);
  });

  it('keeps table cells on one line and bounded', () => {
    expect(cell('a|b\nc', 100)).toBe('a\\|b c');
    expect(cell('x'.repeat(500), 10)).toHaveLength(10);
  });
});

describe('seed vs hardened', () => {
  it('lists the criteria whose outcome differs between the variants of a scenario', async () => {
    const { variantDifferences } = await import('./markdown.format.ts');
    const c = (id: string, passed: boolean, measured: number) => ({ id, title: id, passed, measured, budget: 0, unit: 'lost writes', evidence: '', at: 0 });
    const g = (variant: string, criteria: ReturnType<typeof c>[]) => ({ scenario: 'database-corruption', variant, criteria }) as unknown as Parameters<typeof variantDifferences>[0][number];
    const diffs = variantDifferences([g('seed', [c('data-integrity', false, 50), c('engine-in-use', true, 0)]), g('hardened', [c('data-integrity', true, 0), c('engine-in-use', true, 0)])]);
    expect(diffs).toEqual([{ scenario: 'database-corruption', id: 'data-integrity', seed: '❌ 50 lost writes', hardened: '✅ 0 lost writes' }]);
  });

  it('a pass that a finding\'s mask made expected names the mask in the Expected cell', () => {
    const r = buildReport(readJournal(writeFixtureRun(tmpDir(), 'hardened-pass')));
    const c = r.groups.flatMap((g) => g.criteria).find((x) => x.id === 'data-integrity')!;
    Object.assign(c, { expected: 'pass', expectedBecause: 'app-acks-no-write', maskReason: 'PostgreSQL mode acknowledges no write' });
    const row = table(renderMarkdown(r), '### Success criteria').find((x) => x[2]!.includes('data-integrity'))!;
    // The mask and its reason: a masked pass is never silent, and "not measured" agrees with the mask too.
    expect(row[3]).toBe("pass or not measured (finding `app-acks-no-write` masks the seed runbook's expected failure: PostgreSQL mode acknowledges no write)");
  });
});
