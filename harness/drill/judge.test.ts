// The judge as library code: the assertions it names (titled before the drill, in the suite's
// order, expected failures said in the title), what it journals and in which order, the score from
// the criteria's own weights, and a row's own criterion judged and weighted like the runbook's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../criteria/registry.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { loadScenarios } from '../scenarios/registry.ts';
import { assertionTitles, criterionVerdicts, judgeScenario, type JudgeScope } from './judge.ts';
import { drilledOutcome, okStep } from './testing/outcome.ts';

const registry = await loadScenarios();
const criteria = await loadCriteria();
const scope = (scenario: string, variant: 'seed' | 'hardened'): JudgeScope => ({ spec: registry.get(scenario), target: { findings: [] }, variant, criteria });
const journal = () => new Journal(path.join(mkdtempSync(path.join(tmpdir(), 'judge-')), 'journal.jsonl'));

describe('judgeScenario', () => {
  it('names one assertion per criterion (the rollback by the row\'s method), then steps, checklist and the row\'s own, titled before the drill', () => {
    expect(assertionTitles(scope('database-corruption', 'hardened'))).toEqual([
      'criterion emergency-rollback',
      'criterion data-integrity',
      'criterion engine-in-use',
      'criterion functionality',
      'criterion performance',
      'criterion monitoring',
      'criterion stability',
      'procedure steps: every failed step is a declared expected failure, and each one failed',
      'validation checklist: every item matches its expected outcome',
      ...registry.get('database-corruption').assertions!.map((a) => a.title),
    ]);
    const planned = assertionTitles(scope('maintenance-window', 'seed'));
    expect(planned[0]).toBe('criterion planned-rollback');
    expect(planned).toContain('criterion data-integrity (expected to fail: finding runbook-no-data-flow)');
    expect(planned).toContain('data recovery: PostgreSQL → SQLite, verified by counts and checksums (expected to fail: finding runbook-recovery-to-tmp)');
    expect(assertionTitles(scope('security-incident', 'seed'))).toContain('criterion security-validation (expected to fail: finding runbook-postgres-not-cut-off)');
  });

  it('on a healthy hardened outcome every assertion matches, and the judgement is journalled in order', () => {
    const j = journal();
    const s = scope('database-corruption', 'hardened');
    const r = judgeScenario(drilledOutcome(), s, j);
    expect(r.assertions.map((a) => a.title)).toEqual(assertionTitles(s));
    expect(r.assertions.filter((a) => !a.matches).map((a) => `${a.title}: ${a.line}`)).toEqual([]);
    expect(r.score).toEqual({ resilienceScore: 100, earned: 105, possible: 105, missed: 'none' });
    const types = readJournal(j.file).map((e) => (e.type === 'probe.summary' ? `summary ${e.probe}` : e.type));
    expect(types).toEqual([...Array(7).fill('verdict'), ...Array(5).fill('check'), 'summary resilience', 'scenario.end']);
    const end = readJournal(j.file).at(-1)!;
    expect(end).toMatchObject({ type: 'scenario.end', passed: true, matches: true, durationMs: 4_000 });
  });

  it('a criterion that fails unexpectedly is a mismatch with its measurement in the line; the score misses its weight', () => {
    const r = judgeScenario(drilledOutcome({ timeToRestoreMs: 400_000 }), scope('database-corruption', 'hardened'), journal());
    const a = r.assertions.find((x) => x.title === 'criterion emergency-rollback')!;
    expect(a.matches).toBe(false);
    expect(a.line).toMatch(/^Emergency rollback: trigger → healthy on SQLite with 3\/3 ready: FAILED: measured 400000 ms \(budget 300000 ms\): restored 400\.0 s/);
    expect(r.score).toMatchObject({ earned: 80, possible: 105, missed: 'emergency-rollback (25)' });
  });

  it("a failure without log lines of its own gets the run's (what the system logged from the fault on), journalled; a pass gets none", () => {
    const logs = [{ pod: 'hyperpage-sqlite-1', line: 'ERROR: no such table: users · SQLSTATE 42P01', count: 3, file: 'artifacts/x/logs/hyperpage/hyperpage-sqlite-1_app.log' }];
    const j = journal();
    const r = judgeScenario(drilledOutcome({ timeToRestoreMs: 400_000, causes: { logs, healthWhileFaulted: [] } }), scope('database-corruption', 'hardened'), j);
    const byId = new Map(r.verdicts.map((v) => [v.id, v]));
    expect(byId.get('emergency-rollback')!.causes).toEqual({ logs });
    expect(byId.get('performance')!.causes).toBeUndefined();
    const journalled = readJournal(j.file).filter((e) => e.type === 'verdict' && e.id === 'emergency-rollback');
    expect(journalled).toMatchObject([{ causes: { logs } }]);
  });

  it('list assertions carry their mismatched items; an expected failure as declared matches and is annotated', () => {
    const failed = okStep('validation', 'checklist-2-item', '2. item 2', { outcome: 'failed', message: 'exec refused' });
    const o = drilledOutcome({ validation: { ...drilledOutcome().validation, steps: [failed] } });
    const hardened = judgeScenario(o, scope('database-corruption', 'hardened'), journal()).assertions.find((x) => x.title.startsWith('validation checklist'))!;
    expect(hardened.matches).toBe(false);
    expect(hardened.mismatches).toEqual(['2. item 2: FAILED: failed: exec refused']);
    expect(hardened.line).toBe('MISMATCH 2. item 2: FAILED: failed: exec refused');
    // On seed, checklist item 2 is declared to fail (runbook-exec-scaled-deployment).
    const seed = judgeScenario({ ...o, variant: 'seed' }, scope('database-corruption', 'seed'), journal()).assertions.find((x) => x.title.startsWith('validation checklist'))!;
    expect(seed.mismatches).toEqual([]);
    expect(seed.annotate).toBe('2. item 2: expected failure (finding runbook-exec-scaled-deployment): failed: exec refused');
  });

  it('a row\'s own assertion that throws is an error of its own, and the data recovery that did not run is one too', () => {
    const r = judgeScenario(drilledOutcome({ method: 'planned', scenario: 'maintenance-window' }), scope('maintenance-window', 'hardened'), journal());
    expect(r.assertions.find((x) => x.title.startsWith('data recovery'))).toMatchObject({ matches: false, error: 'data recovery did not run' });
    const spec = { ...registry.get('database-corruption'), assertions: [{ title: 'the fault left evidence', check: () => { throw new Error('no evidence recorded'); } }] };
    const thrown = judgeScenario(drilledOutcome(), { ...scope('database-corruption', 'hardened'), spec }, journal()).assertions.at(-1)!;
    expect(thrown).toMatchObject({ title: 'the fault left evidence', matches: false, error: 'no evidence recorded' });
  });

  it("a row's own criterion is judged and weighted (security-incident: security validation, 15)", () => {
    const o = drilledOutcome({ scenario: 'security-incident', security: { passed: false, evidence: 'PostgreSQL not cut off', checks: [] } });
    const r = judgeScenario(o, scope('security-incident', 'hardened'), journal());
    expect(r.verdicts.map((v) => v.id).at(-1)).toBe('security-validation');
    expect(r.score).toMatchObject({ earned: 105, possible: 120, missed: 'security-validation (15)' });
  });

  it('criterionVerdicts: the verdicts alone, no expectation applied', () => {
    const v = criterionVerdicts(drilledOutcome(), registry.get('database-corruption'), criteria);
    expect(v.map((x) => x.id)).toEqual(['emergency-rollback', 'data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring', 'stability']);
    expect(v.every((x) => x.expected === undefined)).toBe(true);
  });
});
