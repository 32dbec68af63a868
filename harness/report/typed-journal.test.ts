import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../journal/journal.ts';
import { renderHtml } from './formats/html.format.ts';
import { renderJunit } from './formats/junit.format.ts';
import { renderMarkdown } from './formats/markdown.format.ts';
import { buildReport } from './build-report.ts';
import { SEED_LOST, writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';

afterEach(cleanTmp);

describe('the report reads the typed journal', () => {
  it('rows carry the step ids and checks the procedure/step they judge', () => {
    const r = buildReport(readJournal(writeFixtureRun(tmpDir(), 'seed-expected')));
    const g = r.groups[0]!;
    expect(g.steps.map((s) => s.stepId)).toContain('step-5b-health');
    expect(g.checks.find((c) => c.id === 'step:emergency:step-5b-health')).toMatchObject({ procedure: 'emergency', stepId: 'step-5b-health' });
    expect(g.metrics).toMatchObject({ lostWrites: SEED_LOST, p99AfterMs: 18.7, timeToRestoreSource: 'probe' });
  });

  it('a summary that breaks its schema is left out with a warning naming line and field; every renderer still renders', () => {
    const file = writeFixtureRun(tmpDir(), 'seed-lost');
    const good = buildReport(readJournal(file));
    // A later ledger summary whose lost count is text: it must neither replace the measured one nor crash a renderer.
    appendFileSync(file, JSON.stringify({ t: good.run.endedAt! - 1, scenario: 'database-corruption', variant: 'seed', type: 'probe.summary', probe: 'ledger', summary: { lost: 'many' } }) + '\n');
    const events = readJournal(file);
    const line = events.length;
    const r = buildReport(events);
    expect(r.groups[0]!.metrics.lostWrites).toBe(SEED_LOST);
    const warning = r.warnings.find((w) => w.startsWith(`journal line ${line} (database-corruption/seed): probe.summary (ledger): summary.`));
    expect(warning, r.warnings.join('\n')).toContain('left out of the report');
    expect(renderMarkdown(r)).toContain(`journal line ${line}`);
    expect(renderHtml(r)).toContain(`journal line ${line}`);
    expect(renderJunit(r)).toContain('data-integrity');
  });
});
