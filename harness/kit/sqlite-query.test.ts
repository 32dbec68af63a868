// The data-tool image's read of the SQLite file (for apps whose image has no sqlite3): the same
// text as the sqlite3 CLI on a file the settings app's own CLI seeded, run as the Job runs it, and as
// a real Job of the drill-data image on the local platform (node in its tools, better-sqlite3 found).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN } from '../../fixtures/settings-app/test-support/process.ts';
import { parseDrillConfig } from '../config/parse.ts';
import { openDrillPlatform } from '../drill/open-platform.ts';
import { loadTarget } from '../targets/load.ts';
import { registerWorkload, sqliteDirectCommand } from './register-workload.ts';
import { parseQueryLogs, sqliteQueryCommand } from './sqlite-query.ts';

const exec = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sqlite-query-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const target = await loadTarget('settings-app');
const w = registerWorkload(target);

async function seeded(name: string): Promise<string> {
  const file = path.join(dir, `${name}.db`);
  await exec(CLI_BIN, ['seed', '--engine', 'sqlite'], { env: { PATH: process.env.PATH ?? '', SETTINGS_DB_FILE: file } });
  // A NULL (the JSON null extracted) and a number, as sqlite3 prints them (empty, decimal).
  await exec('sqlite3', [file, "UPDATE kv SET v = 'null' WHERE k = 'motd'; UPDATE kv SET v = '25' WHERE k = 'page_size'"]);
  return file;
}

describe('parseQueryLogs', () => {
  it('turns the marked line into list-mode text and ignores other log lines', () => {
    expect(parseQueryLogs('warming up\nDRILL-SQLITE-ROWS [["theme","dark|blue"],["motd",null],["page_size",25]]\n')).toBe('theme|dark|blue\nmotd|\npage_size|25\n');
    expect(parseQueryLogs('DRILL-SQLITE-ROWS []\n')).toBe('');
  });
  it('no result line or a result of another shape is an error naming it', () => {
    expect(() => parseQueryLogs("Error: Cannot find module 'better-sqlite3'\n")).toThrow("no result line (Error: Cannot find module 'better-sqlite3')");
    expect(() => parseQueryLogs('DRILL-SQLITE-ROWS [[{"type":"Buffer"}]]\n')).toThrow(/^result line: 0\.0 /);
  });
});

describe('the query on a real file', () => {
  it('prints what sqlite3 prints for the profile\'s direct query (run as the Job runs it: node in the repo root)', async () => {
    const file = await seeded('cli');
    const [cmd, ...args] = sqliteDirectCommand(w, file);
    const cli = (await exec(cmd!, args)).stdout;
    const [node, ...nodeArgs] = sqliteQueryCommand(file, w.direct.sqlite);
    const job = parseQueryLogs((await exec(node!, nodeArgs, { cwd: repoRoot })).stdout);
    expect(job).toBe(cli);
    expect(job).toContain('page_size|25\n');
    expect(job).toContain('motd|\n');
  });

  it('runs as a Job of the drill-data image on the local platform', async () => {
    const file = await seeded('job');
    await using drill = await openDrillPlatform({ config: parseDrillConfig({ cluster: 'local' }), target, runDir: dir, progress: () => undefined });
    await drill.platform.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'q' } });
    const res = await drill.platform.runJob(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'q', namespace: 'q' },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: drill.dataToolImage, command: sqliteQueryCommand(file, w.direct.sqlite) }] } } },
      },
      { timeoutMs: 30_000 },
    );
    expect(res.exitCode, res.logs).toBe(0);
    expect(parseQueryLogs(res.logs).split('\n').filter(Boolean)).toHaveLength(8);
  }, 60_000);
});
