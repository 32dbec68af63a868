import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalProgress } from './progress.ts';

const ev = (o: Record<string, unknown>) => JSON.stringify({ t: 1_000, ...o }) + '\n';

describe('live progress from the journal', () => {
  it('plain mode: one line per event, in order, also for lines that arrive in pieces', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'progress-')), 'journal.jsonl');
    let out = '';
    const p = new JournalProgress(file, { live: false, write: (t) => (out += t) });
    appendFileSync(file, ev({ type: 'scenario.start', scenario: 'database-corruption', variant: 'hardened', fault: 'database-corruption', method: 'emergency', budgetMs: 300_000, validation: 'health check' }));
    const end = ev({ type: 'step.end', scenario: 'database-corruption', variant: 'hardened', procedure: 'emergency', stepId: 'switch-service', step: 'Switch the service to SQLite', index: 5, budgetMs: 5_000, startedAt: 1_000, durationMs: 7_500, outcome: 'ok', message: '' });
    appendFileSync(file, end.slice(0, 40));
    p.poll();
    appendFileSync(file, end.slice(40));
    appendFileSync(file, ev({ type: 'verdict', scenario: 'database-corruption', variant: 'hardened', id: 'performance', title: 'p', passed: false, measured: 658, budget: 500, unit: 'ms', evidence: 'p99 658 ms' }));
    appendFileSync(file, ev({ type: 'verdict', id: 'performance', passed: 'no' }));
    p.stop();
    expect(out.split('\n').filter(Boolean)).toEqual([
      '■ database-corruption/hardened: emergency rollback, budget 300 s, fault database-corruption, validation health check',
      '    ✓ emergency: Switch the service to SQLite 7.5 s / 5.0 s OVER BUDGET',
      '  ✗ performance: 658 ms (budget 500) — p99 658 ms',
      expect.stringMatching(/^ {2}⚠ journal line 4 is no valid event: verdict: title: .*; passed: /),
    ]);
    expect(out).not.toContain('\x1b');
  });

  it('live mode: a status line for the step in flight, cleared before each finished line', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'progress-')), 'journal.jsonl');
    let out = '';
    const p = new JournalProgress(file, { live: true, write: (t) => (out += t) });
    appendFileSync(file, ev({ type: 'step.start', t: Date.now(), scenario: 'x', procedure: 'emergency', stepId: 'freeze-writes', step: 'Freeze writes', index: 0, budgetMs: 45_000 }));
    p.poll();
    expect(out).toMatch(/\r\x1b\[2K {2}… x emergency: Freeze writes \d\.\d s \/ 45 s$/);
    appendFileSync(file, ev({ type: 'step.end', scenario: 'x', procedure: 'emergency', stepId: 'freeze-writes', step: 'Freeze writes', index: 0, budgetMs: 45_000, startedAt: 1, durationMs: 800, outcome: 'ok', message: '' }));
    p.stop();
    expect(out).toMatch(/\r\x1b\[2K {4}✓ emergency: Freeze writes 0\.8 s \/ 45 s\n$/);
  });

  it('the premises print under the preflight as they are decided; the checks of steps show as their steps', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'progress-')), 'journal.jsonl');
    let out = '';
    const p = new JournalProgress(file, { live: false, write: (t) => (out += t) });
    const at = { scenario: 'database-corruption', variant: 'hardened' };
    appendFileSync(file, ev({ type: 'phase.start', ...at, phase: 'preflight' }));
    appendFileSync(file, ev({ type: 'check', ...at, id: 'preflight-engine-value-strict', title: 'The engine variable is honoured strictly', passed: false, measured: 'DB_ENGINE=postgresql: started and served by sqlite', expected: 'pass', matches: false, procedure: 'preflight', stepId: 'engine-value-strict' }));
    appendFileSync(file, ev({ type: 'check', ...at, id: 'preflight-health-reflects-database', title: 'The health check reflects the database', passed: true, measured: 'HTTP 503 while PostgreSQL was down', expected: 'pass', matches: true, procedure: 'preflight', stepId: 'health-reflects-database' }));
    appendFileSync(file, ev({ type: 'check', ...at, id: 'checklist:1', title: '1. Application health', passed: true, measured: 'ok', expected: 'pass', matches: true, procedure: 'validation', stepId: 'checklist-1' }));
    p.stop();
    expect(out.split('\n').filter(Boolean)).toEqual([
      '  ▶ preflight',
      '    ✗ premise: The engine variable is honoured strictly — DB_ENGINE=postgresql: started and served by sqlite',
      '    ✓ premise: The health check reflects the database',
    ]);
  });
});
