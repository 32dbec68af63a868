import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunDir, runFolderName } from './folder.ts';
import { readHistory } from './history.ts';
import type { RunReport } from './model.ts';
import { FIXTURE_T0, writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';
import { ReportError, writeReports } from './write.ts';

afterEach(cleanTmp);

const DAY = 86_400_000;

function drill(root: string, kind: Parameters<typeof writeFixtureRun>[1], i: number, opts: { slowdown?: number; secret?: string } = {}) {
  const t0 = FIXTURE_T0 + i * DAY;
  const dir = createRunDir(root, t0, 'monthly');
  const journal = writeFixtureRun(dir, kind, { t0, runId: `run-${i}`, ...opts });
  return { dir, journal, ...writeReports(journal, dir) };
}

describe('writeReports', () => {
  it('writes report.json/md/html and junit.xml into the run folder and appends the run to reports/history.jsonl', () => {
    const root = path.join(tmpDir(), 'reports');
    const { dir, paths } = drill(root, 'hardened-pass', 0);
    expect(path.basename(dir)).toBe('20260115-093000-monthly');
    expect(paths).toEqual({
      json: path.join(dir, 'report.json'),
      markdown: path.join(dir, 'report.md'),
      html: path.join(dir, 'report.html'),
      junit: path.join(dir, 'junit.xml'),
      history: path.join(root, 'history.jsonl'),
    });
    for (const p of Object.values(paths)) expect(existsSync(p!)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const json = JSON.parse(readFileSync(paths.json, 'utf8')) as RunReport;
    expect(json).toMatchObject({ schemaVersion: 1, run: { id: 'run-0', status: 'passed' }, history: { compared: 0, regressions: [] } });
    const [line] = readHistory(paths.history!);
    expect(line).toMatchObject({ id: 'run-0', profile: 'monthly', platform: 'local', status: 'passed', time: '2026-01-15T09:30:00.000Z' });
    expect(line!.groups['database-corruption/hardened']).toMatchObject({ p99AfterMs: 18.7, lostWrites: 0 });
    expect(line!.groups['database-corruption/hardened']!.timeToRestoreMs).toBeGreaterThan(0);
  });

  it('flags a slower run against the previous runs of the profile in json, md and html', () => {
    const root = path.join(tmpDir(), 'reports');
    for (let i = 0; i < 3; i++) drill(root, 'hardened-pass', i);
    const { report, paths } = drill(root, 'hardened-pass', 3, { slowdown: 3 });
    expect(report.history!.compared).toBe(3);
    expect(report.history!.regressions.map((r) => r.metric).sort()).toEqual(['downtimeMs', 'p99AfterMs', 'timeToRestoreMs']);
    expect(readFileSync(paths.markdown, 'utf8')).toMatch(/\| database-corruption \/ hardened \| p99 after rollback \| 56\.1 ms \| 18\.7 ms \(3 runs\) \| 3\.00 \|/);
    expect(readFileSync(paths.html, 'utf8')).toContain('<table id="regressions">');
    expect(readHistory(paths.history!)).toHaveLength(4);
  });

  it('re-rendering the same journal does not append the run twice', () => {
    const root = path.join(tmpDir(), 'reports');
    const { dir, journal } = drill(root, 'hardened-pass', 0);
    const again = writeReports(journal, dir);
    expect(again.paths.history).toBeNull();
    expect(readHistory(path.join(root, 'history.jsonl'))).toHaveLength(1);
  });

  it('an aborted run before any verdict gets all reports but no history line', () => {
    const root = path.join(tmpDir(), 'reports');
    drill(root, 'hardened-pass', 0);
    const { report, paths } = drill(root, 'aborted', 1);
    expect(report.run.status).toBe('aborted');
    expect(paths.history).toBeNull();
    expect(readHistory(path.join(root, 'history.jsonl')).map((h) => h.id)).toEqual(['run-0']);
    expect(readFileSync(paths.markdown, 'utf8')).toContain('### Interrupted');
    expect(readFileSync(paths.junit, 'utf8')).toContain('name="run completed"');
  });

  it('no secret from the journal reaches any report or the history', () => {
    const root = path.join(tmpDir(), 'reports');
    const secret = 'Tr0ub4dor-and-3';
    const { dir, paths } = drill(root, 'seed-lost', 0, { secret });
    for (const f of [...readdirSync(dir).map((x) => path.join(dir, x)), paths.history!]) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
  });

  it('a missing or empty journal is a ReportError with one clear line', () => {
    const dir = tmpDir();
    expect(() => writeReports(path.join(dir, 'nope.jsonl'), dir)).toThrow(new ReportError(`journal not found: ${path.join(dir, 'nope.jsonl')}`));
  });
});

describe('run folders', () => {
  it('names reports/<UTC timestamp>-<profile> and never reuses a folder', () => {
    expect(runFolderName(Date.UTC(2026, 2, 5, 7, 8, 9), 'pre-release')).toBe('20260305-070809-pre-release');
    expect(runFolderName(0, 'Post Incident/../x')).toBe('19700101-000000-post-incident-x');
    const root = tmpDir();
    const a = createRunDir(root, 0, 'monthly');
    const b = createRunDir(root, 0, 'monthly');
    expect([path.basename(a), path.basename(b)]).toEqual(['19700101-000000-monthly', '19700101-000000-monthly-2']);
  });
});
