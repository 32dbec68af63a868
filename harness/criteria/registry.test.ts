// A criterion is one file with its score weight: the runbook's are found by listing their folder,
// in the runbook's order; a new one dropped into a folder is judged, weighted and scored with no
// other edit; one without a weight is an error naming it (never silently left out of the score),
// also as a row's own criterion.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertionTitles, judgeScenario } from '../drill/judge.ts';
import { drilledOutcome } from '../drill/testing/outcome.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { loadScenarios } from '../scenarios/registry.ts';
import { defineScenario } from '../scenarios/spec.ts';
import { defineCriterion, type Criterion } from './criterion.ts';
import { BUILTIN_CRITERIA_DIR, criteriaFor, loadCriteria } from './registry.ts';

const CRITERION_MODULE = path.join(BUILTIN_CRITERIA_DIR, 'criterion.ts');
const registry = await loadScenarios();

/** A folder holding one criterion file, as someone adding a criterion would write it. */
function folderWith(file: string, body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'criteria-'));
  writeFileSync(path.join(dir, file), `import { defineCriterion } from ${JSON.stringify(CRITERION_MODULE)};\n${body}`);
  return dir;
}

describe('criteria registry', () => {
  it("finds the runbook's criteria by listing the folder, in the runbook's order, each with its weight", async () => {
    const list = await loadCriteria();
    expect(list.map((c) => `${c.id} ${c.weight}`)).toEqual(['emergency-rollback 25', 'planned-rollback 25', 'data-integrity 25', 'engine-in-use 10', 'functionality 15', 'performance 10', 'monitoring 10', 'stability 10', 'planned-failed-reads 10', 'write-freeze 5', 'planned-no-alert 5']);
  });

  it("judges a row by the rollback criterion of its method, then the others, then the row's own", async () => {
    const list = await loadCriteria();
    expect(criteriaFor(registry.get('database-corruption'), list).map((c) => c.id)[0]).toBe('emergency-rollback');
    const runbook = ['planned-rollback', 'data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring', 'stability'];
    // The hardened planned rollback's no-impact criteria: not for the seed (the runbook never promised
    // them), nor with a fault in place (it fails reads, fires triggers and slows the copy itself).
    expect(criteriaFor({ ...registry.get('maintenance-window'), variant: 'seed' }, list).map((c) => c.id)).toEqual(runbook);
    expect(criteriaFor({ ...registry.get('maintenance-window'), variant: 'hardened' }, list).map((c) => c.id)).toEqual([...runbook, 'planned-failed-reads', 'write-freeze', 'planned-no-alert']);
    expect(criteriaFor({ ...registry.get('performance-issues'), variant: 'hardened' }, list).map((c) => c.id)).toEqual(runbook);
    expect(criteriaFor({ ...registry.get('database-corruption'), variant: 'hardened' }, list).map((c) => c.id)).not.toContain('planned-no-alert');
    expect(criteriaFor(registry.get('security-incident'), list).map((c) => c.id).at(-1)).toBe('security-validation');
  });

  it('a new criterion in one new file is judged, weighted and scored with no other edit', async () => {
    const dir = folderWith(
      'p50-latency.criterion.ts',
      `export default defineCriterion({
  id: 'p50-latency',
  title: 'p50 after the rollback under 1 ms',
  weight: 20,
  judge: (o) => ({ id: 'p50-latency', title: 'p50 under 1 ms', passed: (o.load.after?.p50 ?? Infinity) < 1, measured: o.load.after?.p50 ?? null, budget: 1, unit: 'ms', evidence: 'p50 of the load after the rollback' }),
});
`,
    );
    const criteria = await loadCriteria([BUILTIN_CRITERIA_DIR, dir]);
    expect(criteria.map((c) => c.id).at(-1)).toBe('p50-latency');
    const scope = { spec: registry.get('database-corruption'), target: { findings: [] }, variant: 'hardened' as const, criteria };
    expect(assertionTitles(scope)).toContain('criterion p50-latency');
    const journal = new Journal(path.join(dir, 'journal.jsonl'));
    const r = judgeScenario(drilledOutcome(), scope, journal);
    // The fixture's p50 is 5 ms: judged as failed, and its weight is in the score.
    expect(r.verdicts.find((v) => v.id === 'p50-latency')).toMatchObject({ passed: false, measured: 5, matches: false });
    expect(r.score).toEqual({ resilienceScore: 84, earned: 105, possible: 125, missed: 'p50-latency (20)' });
    expect(r.assertions.find((a) => a.title === 'criterion p50-latency')).toMatchObject({ matches: false, line: 'p50 under 1 ms: FAILED: measured 5 ms (budget 1 ms): p50 of the load after the rollback' });
    expect(readJournal(journal.file).filter((e) => e.type === 'verdict').map((e) => (e as { id: string }).id)).toContain('p50-latency');
  });

  it('a criterion file without a weight is an error in one line naming it', async () => {
    const dir = folderWith('no-weight.criterion.ts', `export default { id: 'no-weight', title: 't', judge: () => ({}) };\n`);
    const err = await loadCriteria([BUILTIN_CRITERIA_DIR, dir]).then(() => undefined, (e: Error) => e);
    expect(err?.message).toBe(`criterion file ${path.join(dir, 'no-weight.criterion.ts')}: criterion no-weight has no score weight: give it \`weight\` (its share of the resilience score)`);
    expect(err?.message).not.toContain('\n');
  });

  it('defineCriterion refuses a missing or non-positive weight, naming the criterion', () => {
    expect(() => defineCriterion({ id: 'x-ray', title: 't', judge: () => ({}) } as unknown as Criterion)).toThrow('criterion x-ray has no score weight');
    expect(() => defineCriterion({ id: 'x-ray', title: 't', weight: 0, judge: () => ({}) } as unknown as Criterion)).toThrow(/^criterion x-ray: weight: /);
  });

  it("a row's own criterion without a weight makes its scenario file an error naming the criterion", () => {
    const spec = { ...registry.get('database-corruption'), name: 'own-criterion', criteria: [{ id: 'writes-kept', title: 't', judge: () => ({}) }] };
    expect(() => defineScenario(spec as never)).toThrow('scenario own-criterion: criteria.0: criterion writes-kept has no score weight');
  });

  it('a criterion file must be named by its id, and an id is defined once', async () => {
    const misnamed = folderWith('other.criterion.ts', `export default defineCriterion({ id: 'p90', title: 't', weight: 1, judge: () => ({}) as never });\n`);
    await expect(loadCriteria([BUILTIN_CRITERIA_DIR, misnamed])).rejects.toThrow(/defines criterion p90 \(name the file p90\.criterion\.ts\)$/);
    const twice = folderWith('performance.criterion.ts', `export default defineCriterion({ id: 'performance', title: 't', weight: 1, judge: () => ({}) as never });\n`);
    await expect(loadCriteria([BUILTIN_CRITERIA_DIR, twice])).rejects.toThrow(/^criterion performance is defined twice/);
  });

  it('a judge returning another criterion\'s id is an error, not scored under the wrong weight', async () => {
    const liar = defineCriterion({ id: 'own', title: 't', weight: 5, judge: () => ({ id: 'performance', title: 't', passed: true, measured: 1, budget: 1, evidence: '' }) });
    const spec = { ...registry.get('database-corruption'), criteria: [liar] };
    const scope = { spec, target: { findings: [] }, variant: 'hardened' as const, criteria: await loadCriteria() };
    expect(() => judgeScenario(drilledOutcome(), scope, new Journal(path.join(mkdtempSync(path.join(tmpdir(), 'criteria-')), 'j.jsonl')))).toThrow('criterion own judged a verdict with id performance');
  });
});
