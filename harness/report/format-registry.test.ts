import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_FORMATS_DIR, loadFormats } from './format-registry.ts';
import { defineFormat, ReportFormatError } from './renderer.ts';
import { writeFixtureRun } from './test-journals.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';
import { ReportError, writeReports } from './write.ts';

afterEach(cleanTmp);

const TESTING_DIR = path.join(import.meta.dirname, 'testing');

describe('report formats are found by listing formats/', () => {
  it('loads every *.format.ts there, in render order (html first, report.md after the data formats, Allure last)', async () => {
    const files = readdirSync(BUILTIN_FORMATS_DIR).filter((f) => f.endsWith('.format.ts'));
    const formats = await loadFormats();
    expect(formats).toHaveLength(files.length);
    expect(formats.map((f) => f.id)).toEqual(['html', 'junit', 'json', 'criteria-csv', 'markdown', 'allure']);
    expect(formats.filter((f) => f.optional).map((f) => f.id)).toEqual(['allure']);
  });

  it('a new format is one new file: the fixture in testing/ is rendered after report.md and sees what was written before it', async () => {
    const formats = await loadFormats([BUILTIN_FORMATS_DIR, TESTING_DIR]);
    expect(formats.map((f) => f.id)).toContain('headline-fixture');
    const dir = tmpDir();
    const { report, written, paths } = await writeReports(writeFixtureRun(dir, 'seed-expected'), dir, { historyFile: null, formats });
    expect(paths['headline-fixture']).toBe(path.join(dir, 'headline.txt'));
    expect(written.at(-1)).toBe(path.join(dir, 'headline.txt'));
    expect(readFileSync(path.join(dir, 'headline.txt'), 'utf8')).toBe(`${report.verdict.headline}\nreport.html\njunit.xml\nreport.json\ncriteria.csv\nreport.md\n`);
    // Not a product format: the default list does not hold it.
    const plain = tmpDir();
    await writeReports(writeFixtureRun(plain, 'seed-expected'), plain, { historyFile: null });
    expect(existsSync(path.join(plain, 'headline.txt'))).toBe(false);
  });

  it('an optional format renders only when included; an unknown id is a ReportError naming the known ones', async () => {
    const dir = tmpDir();
    const journal = writeFixtureRun(dir, 'hardened-pass');
    const { written } = await writeReports(journal, dir, { historyFile: null });
    expect(written.map((f) => path.relative(dir, f))).toEqual(['report.html', 'junit.xml', 'report.json', 'criteria.csv', 'report.md']);
    expect(existsSync(path.join(dir, 'allure-report'))).toBe(false);
    await expect(writeReports(journal, dir, { historyFile: null, include: ['pdf'] })).rejects.toThrow(
      new ReportError('unknown report format "pdf" (known: html, junit, json, criteria-csv, markdown, allure)'),
    );
  });

  it('two formats with one id (or one file) are refused, naming the file that came second', async () => {
    await expect(loadFormats([BUILTIN_FORMATS_DIR, BUILTIN_FORMATS_DIR])).rejects.toThrow(
      new ReportFormatError(`report format file ${path.join(BUILTIN_FORMATS_DIR, 'allure.format.ts')}: id allure is already taken by ${path.join(BUILTIN_FORMATS_DIR, 'allure.format.ts')}`),
    );
  });

  it('a format file that is not a format is one line naming the file and the field', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'bad.format.ts'), "export default { id: 'Bad Name', files: ['x.txt'], render: async () => [] };\n");
    await expect(loadFormats([dir])).rejects.toThrow(`report format file ${path.join(dir, 'bad.format.ts')}: report format Bad Name: id: lowercase letters, digits and "-"`);
    const none = tmpDir();
    writeFileSync(path.join(none, 'none.format.ts'), 'export const x = 1;\n');
    await expect(loadFormats([none])).rejects.toThrow(`report format file ${path.join(none, 'none.format.ts')}: needs \`export default defineFormat({...})\``);
  });

  it('defineFormat keeps a format inside the run folder and needs a render function', () => {
    const render = async () => [];
    expect(() => defineFormat({ id: 'up', files: ['../other-run/x.txt'], render })).toThrow('report format up: files.0: a path inside the run folder');
    expect(() => defineFormat({ id: 'abs', files: ['/etc/x.txt'], render })).toThrow('report format abs: files.0: a path inside the run folder');
    expect(() => defineFormat({ id: 'none', files: [], render })).toThrow(/report format none: files: /);
    expect(() => defineFormat({ id: 'norender', files: ['x.txt'] } as never)).toThrow('report format norender: render: a function');
    expect(defineFormat({ id: 'ok', files: ['sub/x.txt'], render }).id).toBe('ok');
  });
});
