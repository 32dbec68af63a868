// The preflight phase's wiring, pure: where it sits in the drill, what it journals for a premise
// that holds, one that does not and one that could not be measured (and how that reaches the
// report and the gate), and the scratch app it starts. The premises themselves are measured on
// real apps in probes/preflight.test.ts; the phase runs end to end in every drill suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mismatches } from '../cli/exit-code.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { buildReport } from '../report/build-report.ts';
import { renderMarkdown } from '../report/formats/markdown.format.ts';
import { loadTarget } from '../targets/load.ts';
import { PHASES } from './phases.ts';
import { journalPremise, PREFLIGHT_FILES, preflightDeployment, PREMISE_FINDINGS } from './preflight-phase.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-phase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('preflight phase', () => {
  it('runs right after setup, before any load or ledger write, and a failure there is a set-up failure (exit 3)', () => {
    const ids = PHASES.map((p) => p.id);
    expect(ids.slice(0, 3)).toEqual(['setup', 'preflight', 'load-baseline']);
    expect(ids.indexOf('preflight')).toBeLessThan(ids.indexOf('pre-fault-writes'));
    expect(PHASES[1]!.setup).toMatch(/PostgreSQL restarted/);
  });

  it('journals a check and a finding with the measured line; a broken premise fails the gate and shows confirmed in report.md; an unmeasured one is a finding only', async () => {
    const file = path.join(dir, 'journal.jsonl');
    const journal = new Journal(file);
    journal.setContext({ scenario: 'database-corruption', variant: 'hardened' });
    journalPremise(journal, {
      id: 'engine-value-strict',
      title: 'x',
      logs: [{ pod: 'drill-preflight-abc', line: 'Failed to save settings · SQLSTATE 42703', count: 2, file: 'artifacts/x/logs/hyperpage/drill-preflight-abc_app.log' }],
      result: { id: 'engine-value-strict', title: 'The engine variable is honoured strictly (DB_ENGINE=postgresql is refused)', holds: false, measured: 'DB_ENGINE=postgresql: started and served, write HTTP 200 landed in sqlite: served by sqlite', evidence: ['POST /api/settings -> HTTP 200'], answers: [{ request: 'POST /api/settings', status: 200, body: '{"saved": true}' }], says: 'a mistyped DB_ENGINE=postgresql was not refused: the app started and served it from sqlite' },
    });
    journalPremise(journal, {
      id: 'baseline-acknowledges-writes',
      title: 'x',
      result: { id: 'baseline-acknowledges-writes', title: 'The PostgreSQL baseline acknowledges writes', holds: true, measured: '3 of 3 writes acknowledged (HTTP 201 ×3); 3 of 3 found in PostgreSQL', evidence: [], says: 'PostgreSQL acknowledged 3 of 3 writes and holds them' },
    });
    journalPremise(journal, { id: 'sqlite-schema-before-traffic', title: 'The SQLite schema exists before traffic reaches it', notMeasured: 'no host URL for Service drill-preflight' });

    journal.write({ type: 'run.end', status: 'failed', exitCode: 1 });
    const events = readJournal(file);
    const checks = events.filter((e) => e.type === 'check');
    expect(checks.map((c) => [c.id, c.passed, c.matches])).toEqual([
      ['preflight-engine-value-strict', false, false],
      ['preflight-baseline-acknowledges-writes', true, true],
    ]);
    expect(mismatches(events)).toEqual(['preflight-engine-value-strict (database-corruption/hardened): failed']);

    const md = renderMarkdown(buildReport(events));
    // Grouped: the broken premise under "App premises", measured, with its causes beside it; the unmeasured one is a drill note.
    const premises = md.slice(md.indexOf('#### App premises'), md.indexOf('#### Drill notes'));
    expect(premises).toContain(`| 🔴 confirmed | ${PREMISE_FINDINGS['engine-value-strict'].title} (\`premise-engine-value-strict\`) | database-corruption / hardened | measured | premise broken: DB_ENGINE=postgresql: started and served, write HTTP 200 landed in sqlite: served by sqlite ·`);
    expect(premises).toContain(`| ⚪ not confirmed | ${PREMISE_FINDINGS['baseline-acknowledges-writes'].title} (\`premise-baseline-acknowledges-writes\`) | database-corruption / hardened | measured | premise holds: 3 of 3 writes acknowledged`);
    expect(md.slice(md.indexOf('#### Drill notes'))).toContain('not measured: no host URL for Service drill-preflight');
    // What fails the gate is named first, in words; the headline names the broken premise.
    expect(md).toMatch(/❌ failed \| database-corruption \/ hardened \| The engine variable is honoured strictly .*\| pass \| a mistyped DB_ENGINE=postgresql was not refused/);
    expect(md).toContain("**FAILED: 1 of the runbook's 2 premises do not hold on this app: a mistyped DB_ENGINE=postgresql was not refused");
    // Its causes: the answer that broke it, the pod's telling log line linked to the full log, and what to fix.
    expect(md).toContain('  - ↳ answer: `POST /api/settings → HTTP 200 ×1: {"saved": true}`');
    expect(md).toContain('  - ↳ log: `drill-preflight-abc: Failed to save settings · SQLSTATE 42703 (×2)` ([full log](artifacts/x/logs/hyperpage/drill-preflight-abc_app.log))');
    expect(md).toContain(`  - 🔧 \`what to fix: ${PREMISE_FINDINGS['engine-value-strict'].fix}\``);
  });

  it("the scratch app: the target's env names, the given engine value and file, PostgreSQL's URL from the app secret, out of every baseline Service", async () => {
    const t = await loadTarget('settings-app');
    const dep = preflightDeployment(t, 'settings-app:dev', 'postgresql', PREFLIGHT_FILES.copy);
    const c = dep.spec!.template.spec!.containers[0]!;
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? `secret:${e.valueFrom?.secretKeyRef?.name}/${e.valueFrom?.secretKeyRef?.key}`]));
    expect(env).toMatchObject({ DB_ENGINE: 'postgresql', SETTINGS_DB_FILE: '/data/drill-preflight-engine.db', DATABASE_URL: 'secret:hyperpage-app-secrets/DATABASE_URL' });
    expect((c.env ?? []).filter((e) => e.name === 'DB_ENGINE')).toHaveLength(1);
    expect(dep.spec!.replicas).toBe(1);
    expect(dep.spec!.template.metadata!.labels).toEqual({ app: 'drill-preflight' });
    expect(c.readinessProbe?.httpGet?.path).toBe('/healthz');
  });
});
