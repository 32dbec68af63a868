// The score the failed premises cap, the run line, and the findings grouped: built from journals, as every report is.
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { Journal, readJournal } from '../journal/journal.ts';
import { buildReport } from './build-report.ts';
import { renderMarkdown } from './formats/markdown.format.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';

afterAll(cleanTmp);

function run(premises: Record<string, boolean>, score: number) {
  const file = path.join(tmpDir(), 'journal.jsonl');
  const j = new Journal(file);
  j.write({ type: 'run.start', runId: 'r1', profile: 'post-incident', platform: 'local', target: { name: 'hyperpage', description: 'Hyperpage at 151e93f' }, scenarios: ['database-corruption'], variants: ['seed', 'hardened'], config: {}, host: { node: 'v20', os: 'linux', cpus: 2 } });
  for (const variant of ['seed', 'hardened']) {
    j.setContext({ scenario: 'database-corruption', variant });
    if (variant === 'seed')
      for (const [id, holds] of Object.entries(premises)) {
        j.write({ type: 'check', id: `preflight-${id}`, title: id, passed: holds, measured: `${id} measured`, expected: 'pass', matches: holds, procedure: 'preflight', stepId: id, says: `${id} in words` });
        j.write({ type: 'finding', id: `premise-${id}`, title: `premise ${id}`, detail: `${holds ? 'holds' : 'broken'}: ${id}`, confirmed: !holds, kind: 'premise' });
      }
    // The same runbook finding in both scenarios, once with another detail.
    j.write({ type: 'finding', id: 'runbook-cluster-dns', title: 'cluster DNS', detail: variant === 'seed' ? 'ENOTFOUND a' : 'ENOTFOUND a', confirmed: true });
    j.write({ type: 'finding', id: 'hyperpage-image-tools', title: 'no curl', detail: 'declared by the profile', confirmed: false, kind: 'premise', provenance: { kind: 'declared', source: 'target profile hyperpage: findings' } });
    j.write({ type: 'probe.summary', probe: 'resilience', summary: { resilienceScore: score, earned: score, possible: 100, missed: 'none' } });
  }
  j.setContext({});
  j.write({ type: 'run.end', status: 'failed', exitCode: 1 });
  return buildReport(readJournal(file));
}

describe('the score capped by the failed premises', () => {
  it('is at most 100 × the share of premises that hold, and says so with the uncapped score', () => {
    const r = run({ a: false, b: false, c: true, d: true }, 89.5);
    expect(r.resilienceScore).toBe(50);
    expect(r.scoreCap).toMatchObject({ uncapped: 89.5, cap: 50, failedPremises: [{ id: 'preflight-a', measured: 'a in words' }, { id: 'preflight-b', measured: 'b in words' }] });
    expect(renderMarkdown(r)).toContain('resilience score 50 (capped from 89.50: 2 failed premise(s); the score is at most 100 × (premises that hold ÷ premises measured))');
    // The headline names the broken premises in words.
    expect(r.verdict.headline).toBe("FAILED: 2 of the runbook's 4 premises do not hold on this app: a in words; b in words");
  });
  it('leaves a lower score and a run whose premises all hold alone', () => {
    expect(run({ a: false, b: true }, 30).resilienceScore).toBe(30);
    const clean = run({ a: true, b: true }, 89.5);
    expect([clean.resilienceScore, clean.scoreCap]).toEqual([89.5, null]);
    expect(run({ a: false }, 100).resilienceScore).toBe(0);
  });
});

describe('the run line', () => {
  it("names the target profile with the description it gives itself", () => {
    const r = run({ a: true }, 100);
    expect(r.run.target).toEqual({ name: 'hyperpage', description: 'Hyperpage at 151e93f' });
    expect(renderMarkdown(r)).toContain('run `r1` · target `hyperpage` (Hyperpage at 151e93f) ·');
  });
});

describe('the findings grouped', () => {
  it('one row per id across scenarios with where it was seen, by kind, declared ones marked', () => {
    const r = run({ a: false }, 100);
    expect(r.findingGroups.runbook).toEqual([expect.objectContaining({ id: 'runbook-cluster-dns', where: ['database-corruption / seed', 'database-corruption / hardened'], details: ['ENOTFOUND a'], confirmed: true })]);
    expect(r.findingGroups.premise.map((f) => f.id)).toEqual(['premise-a', 'hyperpage-image-tools']);
    const md = renderMarkdown(r);
    expect(md).toContain('| 📄 declared | no curl (`hyperpage-image-tools`) | database-corruption / seed, database-corruption / hardened | declared (target profile hyperpage: findings) | declared by the profile |');
    expect(md.match(/runbook-cluster-dns/g)).toHaveLength(1);
  });
});
