import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFixtureRun } from '../test-journals.ts';
import { cleanTmp, tmpDir } from '../test-tmp.ts';
import { writeReports } from '../write.ts';
import { ALLURE_RESULTS, generateAllureReport } from './allure.format.ts';

afterEach(cleanTmp);

describe('--allure: procedure steps as Allure results, rendered by the allure CLI', () => {
  it('writes one result per scenario × variant with steps and attachments, and generates index.html', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'allure-'));
    const journal = path.join(dir, 'journal.jsonl');
    const base = { scenario: 'database-corruption', variant: 'hardened', procedure: 'emergency', budgetMs: 5_000 };
    writeFileSync(
      journal,
      [
        { t: 1, type: 'scenario.start', scenario: 'database-corruption', variant: 'hardened', fault: 'database-corruption', method: 'emergency', budgetMs: 300_000, validation: 'health check' },
        { t: 2, type: 'step.end', ...base, stepId: 'freeze-writes', step: 'Freeze writes', index: 0, startedAt: 1, durationMs: 900, outcome: 'ok', message: '' },
        { t: 3, type: 'step.end', ...base, stepId: 'copy', step: 'Copy', index: 1, startedAt: 2, durationMs: 1_200, outcome: 'failed', message: 'users 2050→2000' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    const html = path.join(dir, 'report.html');
    writeFileSync(html, '<html></html>');
    const lines: string[] = [];
    const results = path.join(dir, 'allure-results');
    const index = await generateAllureReport({ resultsDir: results, outDir: path.join(dir, 'allure-report'), attach: [journal, html], out: (l) => lines.push(l) });
    expect(index, lines.join('\n')).toBe(path.join(dir, 'allure-report', 'index.html'));
    expect(existsSync(index!)).toBe(true);
    const files = readdirSync(results);
    const result = JSON.parse(readFileSync(path.join(results, files.find((f) => f.endsWith('-result.json'))!), 'utf8')) as {
      status: string;
      steps: { name: string; status: string }[];
      attachments: { name: string; source: string }[];
    };
    expect(result.status).toBe('failed');
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed']);
    expect(result.attachments.map((a) => a.name)).toEqual(['journal.jsonl', 'report.html']);
    for (const a of result.attachments) expect(files).toContain(a.source);
  });

  it('as a report format: rendered last with --allure (include), attaching the journal and the report.html written before it', { timeout: 60_000 }, async () => {
    const dir = tmpDir('allure-format-');
    const lines: string[] = [];
    const { written, failures } = await writeReports(writeFixtureRun(dir, 'seed-lost'), dir, { historyFile: null, include: ['allure'], out: (l) => lines.push(l) });
    expect(failures, lines.join('\n')).toEqual([]);
    expect(written.at(-1)).toBe(path.join(dir, 'allure-report', 'index.html'));
    expect(lines).toEqual(['rollback-drill: generating the Allure report…']);
    const results = readdirSync(path.join(dir, ALLURE_RESULTS));
    const result = JSON.parse(readFileSync(path.join(dir, ALLURE_RESULTS, results.find((f) => f.endsWith('-result.json'))!), 'utf8')) as { name: string; status: string; attachments: { name: string }[] };
    expect(result).toMatchObject({ name: 'procedure steps: database-corruption (seed)', status: 'failed' });
    expect(result.attachments.map((a) => a.name)).toEqual(['journal.jsonl', 'report.html']);
  });
});
