import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../kit/repo.ts';
import { dataToolBundle, sourceStamp } from './data-tool-bundle.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'data-tool-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data tool bundle (what the local drill-data image runs)', () => {
  it('answers as the TypeScript sources do: the same checksum line for the same file, the worker beside it', () => {
    const file = path.join(dir, 'a.db');
    const db = new Database(file);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'ä@x'), (2, '😀'), (3, 'c');");
    db.close();
    const args = ['checksum', '--engine', 'sqlite', '--db', file, '--mapping-json', '{"tables":["users"]}', '--json'];
    const b = dataToolBundle(REPO_ROOT);
    expect(dataToolBundle(REPO_ROOT)).toBe(b); // built once per process
    const fromBundle = execFileSync(process.execPath, [b.cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const fromSources = execFileSync(path.join(REPO_ROOT, 'bin', 'drill-data'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(JSON.parse(fromBundle)).toEqual(JSON.parse(fromSources));
    expect(execFileSync('ls', [b.dir], { encoding: 'utf8' }).split('\n')).toEqual(expect.arrayContaining(['cli.js', 'load-worker.js', 'package.json']));
  });

  it('is rebuilt when a source changes: the stamp follows each non-test file, not the tests', () => {
    const src = path.join(dir, 'src');
    execFileSync('mkdir', ['-p', src]);
    writeFileSync(path.join(src, 'cli.ts'), 'export {};\n');
    writeFileSync(path.join(src, 'cli.test.ts'), 'export {};\n');
    const before = sourceStamp(src);
    utimesSync(path.join(src, 'cli.test.ts'), new Date(), new Date(Date.now() + 5000));
    expect(sourceStamp(src)).toBe(before);
    utimesSync(path.join(src, 'cli.ts'), new Date(), new Date(Date.now() + 5000));
    expect(sourceStamp(src)).not.toBe(before);
  });
});
