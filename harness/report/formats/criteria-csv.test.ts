import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_LOST, writeFixtureRun } from '../test-journals.ts';
import { cleanTmp, tmpDir } from '../test-tmp.ts';
import { writeReports } from '../write.ts';
import { CRITERIA_CSV_COLUMNS, csvField } from './criteria-csv.format.ts';

afterEach(cleanTmp);

/** A minimal RFC 4180 reader: enough to prove the file parses back to what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  return rows;
}

describe('criteria.csv', () => {
  it('every run writes one row per criterion and check, with raw values and the expectation', async () => {
    const dir = tmpDir();
    const { paths, report } = await writeReports(writeFixtureRun(dir, 'seed-expected'), dir, { historyFile: null });
    expect(paths['criteria-csv']).toBe(path.join(dir, 'criteria.csv'));
    const [head, ...rows] = parseCsv(readFileSync(path.join(dir, 'criteria.csv'), 'utf8'));
    expect(head).toEqual([...CRITERIA_CSV_COLUMNS]);
    const g = report.groups.find((x) => x.key === 'database-corruption/seed')!;
    expect(rows).toHaveLength(g.criteria.length + g.checks.length);
    const col = (r: string[], c: (typeof CRITERIA_CSV_COLUMNS)[number]) => r[CRITERIA_CSV_COLUMNS.indexOf(c)];
    const integrity = rows.find((r) => col(r, 'id') === 'data-integrity')!;
    expect([col(integrity, 'kind'), col(integrity, 'passed'), col(integrity, 'expected'), col(integrity, 'matches')]).toEqual(['criterion', 'false', 'fail', 'true']);
    expect([col(integrity, 'measured'), col(integrity, 'budget'), col(integrity, 'unit'), col(integrity, 'finding')]).toEqual([String(SEED_LOST), '0', 'writes', 'runbook-no-data-flow']);
    expect(col(integrity, 'evidence')).toBe(g.criteria.find((c) => c.id === 'data-integrity')!.evidence);
    // This evidence holds commas: quoted, it still reads back as one field.
    const functionality = rows.find((r) => col(r, 'id') === 'functionality')!;
    expect(functionality).toHaveLength(CRITERIA_CSV_COLUMNS.length);
    expect(col(functionality, 'evidence')).toBe('health, tools, rate limits, SELECT 1, users count');
    const check = rows.find((r) => col(r, 'id') === 'checklist:1')!;
    expect([col(check, 'kind'), col(check, 'group'), col(check, 'budget'), col(check, 'finding')]).toEqual(['check', 'database-corruption/seed', '', 'runbook-cluster-dns']);
  });

  it('quotes a field only when it holds a comma, a quote or a line break', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect([csvField(null), csvField(537), csvField(false)]).toEqual(['', '537', 'false']);
  });
});
