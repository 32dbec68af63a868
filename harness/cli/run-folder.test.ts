import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { otherRunFiles } from './run-folder.ts';

describe('the closing lines: what else the run folder holds', () => {
  it('one line per folder and per kind of loose file, with counts; the listed reports left out', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'run-folder-'));
    const put = (f: string) => {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'x');
    };
    for (const f of ['journal.jsonl', 'report.md', 'availability-database-corruption-seed.jsonl', 'availability-maintenance-window-hardened.jsonl', 'load-after-database-corruption-seed.jsonl', 'route-x.json', 'artifacts/db-seed/logs/app.log', 'artifacts/db-seed/pods.json', 'backup/postgres.sql']) put(f);
    const listed = [path.join(dir, 'journal.jsonl'), path.join(dir, 'report.md')];
    expect(otherRunFiles(dir, listed)).toEqual([
      `${dir}/artifacts/ (2 files)`,
      `${dir}/availability-*.jsonl (2 files)`,
      `${dir}/backup/ (1 file)`,
      `${dir}/load-*.jsonl (1 file)`,
      `${dir}/route-*.json (1 file)`,
    ]);
  });

  it('nothing else: no line; a folder that is gone: no line either', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'run-folder-'));
    writeFileSync(path.join(dir, 'report.md'), 'x');
    expect(otherRunFiles(dir, [path.join(dir, 'report.md')])).toEqual([]);
    expect(otherRunFiles(path.join(dir, 'missing'), [])).toEqual([]);
  });
});
