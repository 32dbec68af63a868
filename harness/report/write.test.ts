import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunDir, MakeDirError, makeDirs, runFolderName } from './folder.ts';
import { readHistory } from './history.ts';
import type { RunReport } from './model.ts';
import { FIXTURE_T0, writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { ReportError, renderRunReports, writeReports } from './write.ts';

afterEach(cleanTmp);

const DAY = 86_400_000;

async function drill(root: string, kind: Parameters<typeof writeFixtureRun>[1], i: number, opts: { slowdown?: number; secret?: string } = {}) {
  const t0 = FIXTURE_T0 + i * DAY;
  const dir = createRunDir(root, t0, 'monthly');
  const journal = writeFixtureRun(dir, kind, { t0, runId: `run-${i}`, ...opts });
  return { dir, journal, ...(await writeReports(journal, dir)) };
}

describe('writeReports', () => {
  it('writes report.json/md/html and junit.xml into the run folder and appends the run to reports/history.jsonl', async () => {
    const root = path.join(tmpDir(), 'reports');
    const { dir, paths, history } = await drill(root, 'hardened-pass', 0);
    expect(path.basename(dir)).toBe('20260115-093000-monthly');
    expect(paths).toMatchObject({
      json: path.join(dir, 'report.json'),
      markdown: path.join(dir, 'report.md'),
      html: path.join(dir, 'report.html'),
      junit: path.join(dir, 'junit.xml'),
    });
    expect(history).toBe(path.join(root, 'history.jsonl'));
    for (const p of [...Object.values(paths), history]) expect(existsSync(p!)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const json = JSON.parse(readFileSync(paths.json, 'utf8')) as RunReport;
    expect(json).toMatchObject({ schemaVersion: 1, run: { id: 'run-0', status: 'passed' }, history: { compared: 0, regressions: [] } });
    const [line] = readHistory(history!);
    expect(line).toMatchObject({ id: 'run-0', profile: 'monthly', platform: 'local', status: 'passed', time: '2026-01-15T09:30:00.000Z' });
    expect(line!.groups['database-corruption/hardened']).toMatchObject({ p99AfterMs: 18.7, lostWrites: 0 });
    expect(line!.groups['database-corruption/hardened']!.timeToRestoreMs).toBeGreaterThan(0);
  });

  it('flags a slower run against the previous runs of the profile in json, md and html', async () => {
    const root = path.join(tmpDir(), 'reports');
    for (let i = 0; i < 3; i++) await drill(root, 'hardened-pass', i);
    const { report, paths, history } = await drill(root, 'hardened-pass', 3, { slowdown: 3 });
    expect(report.history!.compared).toBe(3);
    expect(report.history!.regressions.map((r) => r.metric).sort()).toEqual(['downtimeMs', 'p99AfterMs', 'timeToRestoreMs']);
    expect(readFileSync(paths.markdown, 'utf8')).toMatch(/\| database-corruption \/ hardened \| p99 after rollback \| 56\.1 ms \| 18\.7 ms \(3 runs\) \| 3\.00 \|/);
    expect(readFileSync(paths.html, 'utf8')).toContain('<table id="regressions">');
    expect(readHistory(history!)).toHaveLength(4);
  });

  it('re-rendering the same journal does not append the run twice', async () => {
    const root = path.join(tmpDir(), 'reports');
    const { dir, journal } = await drill(root, 'hardened-pass', 0);
    const again = await writeReports(journal, dir);
    expect(again.history).toBeNull();
    expect(readHistory(path.join(root, 'history.jsonl'))).toHaveLength(1);
  });

  it('an aborted run before any verdict gets all reports but no history line', async () => {
    const root = path.join(tmpDir(), 'reports');
    await drill(root, 'hardened-pass', 0);
    const { report, paths, history } = await drill(root, 'aborted', 1);
    expect(report.run.status).toBe('aborted');
    expect(history).toBeNull();
    expect(readHistory(path.join(root, 'history.jsonl')).map((h) => h.id)).toEqual(['run-0']);
    expect(readFileSync(paths.markdown, 'utf8')).toContain('### Interrupted');
    expect(readFileSync(paths.junit, 'utf8')).toContain('name="run completed"');
  });

  it('no secret from the journal reaches any report or the history', async () => {
    const root = path.join(tmpDir(), 'reports');
    const secret = 'Tr0ub4dor-and-3';
    const { dir, history } = await drill(root, 'seed-lost', 0, { secret });
    for (const f of [...readdirSync(dir).map((x) => path.join(dir, x)), history!]) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
  });

  it('a missing or empty journal is a ReportError with one clear line', async () => {
    const dir = tmpDir();
    await expect(writeReports(path.join(dir, 'nope.jsonl'), dir)).rejects.toThrow(new ReportError(`journal not found: ${path.join(dir, 'nope.jsonl')}`));
  });
});

describe('a renderer that throws', () => {
  const boom = () => {
    throw new RangeError('Maximum call stack size exceeded');
  };

  it('costs only its own file: the other reports are written and say what is missing', async () => {
    const dir = tmpDir();
    const { paths, failures } = await writeReports(writeFixtureRun(dir, 'seed-lost'), dir, { historyFile: null, renderers: { html: boom } });
    expect(failures).toEqual([{ what: 'report.html', message: 'RangeError: Maximum call stack size exceeded' }]);
    expect(existsSync(paths.html)).toBe(false);
    for (const f of [paths.json, paths.junit, paths.markdown]) expect(existsSync(f), f).toBe(true);
    const md = readFileSync(paths.markdown, 'utf8');
    // The full report.md (not the fallback), with the failure as a warning.
    expect(md).toContain('report.html could not be rendered: RangeError: Maximum call stack size exceeded');
    expect(md).toMatch(/data-integrity/);
    expect((JSON.parse(readFileSync(paths.json, 'utf8')) as RunReport).warnings).toContain('report.html could not be rendered: RangeError: Maximum call stack size exceeded');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('report.md itself failing leaves the verdicts table from the journal, naming the failure', async () => {
    const dir = tmpDir();
    const { paths, failures } = await writeReports(writeFixtureRun(dir, 'seed-lost'), dir, { historyFile: null, renderers: { markdown: boom, junit: boom } });
    expect(failures.map((f) => f.what)).toEqual(['junit.xml', 'report.md']);
    expect(existsSync(paths.html) && existsSync(paths.json)).toBe(true);
    expect(existsSync(paths.junit)).toBe(false);
    const md = readFileSync(paths.markdown, 'utf8');
    expect(md).toMatch(/^# Rollback drill: verdicts/);
    expect(md).toContain('> - junit.xml: RangeError: Maximum call stack size exceeded');
    expect(md).toContain('> - report.md: RangeError: Maximum call stack size exceeded');
    expect(md).toMatch(/\| database-corruption \| seed \| .*`data-integrity`.* \| \*\*FAILED\*\* \| 537/);
    expect(md).toMatch(/\d+\/\d+ criteria met\./);
  });

  it('for the CLI (renderRunReports): never throws, one line per failure, journalled, the rest listed', async () => {
    const dir = tmpDir();
    const journal = new Journal(writeFixtureRun(dir, 'seed-lost'));
    const lines: string[] = [];
    const r = await renderRunReports(journal, dir, (l) => lines.push(l), { historyFile: null, renderers: { html: boom } });
    expect(lines).toEqual(['rollback-drill: report.html could not be rendered (RangeError: Maximum call stack size exceeded); report.md has the verdicts']);
    // In render order; report.html is missing: its format threw.
    expect(r.written.map((f) => path.basename(f))).toEqual(['junit.xml', 'report.json', 'criteria.csv', 'report.md']);
    expect(readJournal(journal.file).at(-1)).toMatchObject({ type: 'log', level: 'error', message: 'report.html could not be rendered: RangeError: Maximum call stack size exceeded' });
    // A journal that is not there: still no throw, one line.
    lines.length = 0;
    const none = await renderRunReports(new Journal(path.join(dir, 'sub', 'none.jsonl')), path.join(dir, 'sub'), (l) => lines.push(l));
    expect(none.written).toEqual([]);
    expect(lines).toEqual([`rollback-drill: the reports could not be rendered (ReportError: journal not found: ${path.join(dir, 'sub', 'none.jsonl')})`]);
  });

  it('every renderer failing still leaves the verdicts-only report.md', async () => {
    const dir = tmpDir();
    const { paths, failures } = await writeReports(writeFixtureRun(dir, 'hardened-pass'), dir, { historyFile: null, renderers: { markdown: boom, junit: boom, json: boom, html: boom } });
    expect(failures).toHaveLength(4);
    expect(readFileSync(paths.markdown, 'utf8')).toMatch(/\| database-corruption \| hardened \| .* \| passed \|/);
  });
});

describe('run folders', () => {
  it('names reports/<UTC timestamp>-<profile> and never reuses a folder', async () => {
    expect(runFolderName(Date.UTC(2026, 2, 5, 7, 8, 9), 'pre-release')).toBe('20260305-070809-pre-release');
    expect(runFolderName(0, 'Post Incident/../x')).toBe('19700101-000000-post-incident-x');
    const root = tmpDir();
    const a = createRunDir(root, 0, 'monthly');
    const b = createRunDir(root, 0, 'monthly');
    expect([path.basename(a), path.basename(b)]).toEqual(['19700101-000000-monthly', '19700101-000000-monthly-2']);
  });

  it('makeDirs makes the missing segments one by one', () => {
    const root = tmpDir();
    expect(makeDirs(path.join(root, 'a', 'b', 'c'))).toBe(path.join(root, 'a', 'b', 'c'));
    expect(statSync(path.join(root, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(makeDirs(path.join(root, 'a'))).toBe(path.join(root, 'a'));
  });

  // Node 20's recursive mkdirSync never returns under /proc; these must fail at once.
  it.each([
    ['/proc/rollback-drill-reports/x', 'cannot create /proc/rollback-drill-reports (ENOENT: /proc does not allow new directories)'],
    ['/sys/rollback-drill-reports', 'cannot create /sys/rollback-drill-reports (EPERM)'],
  ])('makeDirs(%s) and createRunDir fail at once: %s', (dir, message) => {
    const t0 = performance.now();
    expect(() => makeDirs(dir)).toThrow(MakeDirError);
    expect(() => makeDirs(dir)).toThrow(message);
    expect(() => createRunDir(dir, 0, 'monthly')).toThrow(message);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('a file on the way is ENOTDIR, naming it', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'file'), 'x');
    expect(() => makeDirs(path.join(root, 'file', 'reports'))).toThrow(`cannot create ${path.join(root, 'file', 'reports')} (ENOTDIR: ${path.join(root, 'file')} is not a directory)`);
  });
});
