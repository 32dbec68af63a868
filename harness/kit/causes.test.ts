// The causes beside a failed premise: telling lines out of real log formats (a pino JSON record with
// the driver's error nested in it, PostgreSQL's own stderr line), de-duplicated, and the distinct
// answers of the failing requests; on a real platform's logs, only what was logged after the cursor.
import { describe, expect, it } from 'vitest';
import { distinctAnswers, logCursor, logsSince, tellingLine, tellingLines } from './causes.ts';
import type { PodLog } from '../model/platform.ts';

// As Hyperpage at 151e93f logs a PostgreSQL-mode write (pino, level 50, the pg error under error.cause).
const PINO = (value: string) =>
  JSON.stringify({
    level: 50,
    time: 1796526095852,
    msg: 'Failed to update tool configuration',
    error: { query: 'insert into "tool_configs" ("tool_name") values ($1)', params: [value], cause: { name: 'error', severity: 'ERROR', code: '42703', routine: 'checkInsertTargets' } },
  });
const PG = (pid: number, at: number) => `2026-12-06 03:01:35.741 UTC [${pid}] ERROR:  column "tool_name" of relation "tool_configs" does not exist at character ${at}`;

describe('tellingLine', () => {
  it('a JSON record at error level: its message and every SQLSTATE in it, with the routine', () => {
    expect(tellingLine(PINO('x'))).toBe('Failed to update tool configuration · SQLSTATE 42703 · checkInsertTargets');
  });
  it('a plain error line without its timestamp and process id', () => {
    expect(tellingLine(PG(5205, 29))).toBe('ERROR: column "tool_name" of relation "tool_configs" does not exist at character 29');
  });
  it('tells nothing for info records and ordinary lines', () => {
    expect(tellingLine(JSON.stringify({ level: 30, msg: 'ready' }))).toBeNull();
    expect(tellingLine('  ▲ Next.js 15.5.4')).toBeNull();
    expect(tellingLine('database system is ready to accept connections')).toBeNull();
  });
});

describe('tellingLines', () => {
  it('folds the same cause however its numbers and parameters differ, counts it, most frequent first, with the full log file', () => {
    const logs: PodLog[] = [
      { pod: 'hyperpage-1', container: 'app', text: [PINO('a'), PINO('b'), 'GET /api/health 200', PINO('c')].join('\n') },
      { pod: 'hyperpage-postgres-1', container: 'postgres', text: [PG(1, 29), PG(2, 29), 'LOG:  checkpoint starting: time'].join('\n') },
    ];
    const lines = tellingLines(logs, { file: (l) => `artifacts/logs/${l.pod}_${l.container}.log` });
    expect(lines).toEqual([
      { pod: 'hyperpage-1', line: 'Failed to update tool configuration · SQLSTATE 42703 · checkInsertTargets', count: 3, file: 'artifacts/logs/hyperpage-1_app.log' },
      { pod: 'hyperpage-postgres-1', line: 'ERROR: column "tool_name" of relation "tool_configs" does not exist at character 29', count: 2, file: 'artifacts/logs/hyperpage-postgres-1_postgres.log' },
    ]);
    expect(tellingLines(logs, { max: 1 })).toHaveLength(1);
    // A database's own word outranks a louder line without one.
    const noisy: PodLog = { pod: 'hyperpage-1', container: 'app', text: Array.from({ length: 5 }, () => JSON.stringify({ level: 50, msg: 'Failed to initialize Redis' })).join('\n') };
    expect(tellingLines([noisy, ...logs]).map((l) => l.line.split(' ')[0])).toEqual(['Failed', 'ERROR:', 'Failed']);
    expect(tellingLines([noisy, ...logs])[0]!.line).toContain('SQLSTATE 42703');
  });
});

describe('distinctAnswers', () => {
  it('one row per request, status and body, with its count', () => {
    const a = { request: 'POST /api/tools/config', status: 500, body: '{"error":"Failed to update tool configuration"}' };
    expect(distinctAnswers([a, a, { ...a, status: 0, body: 'connect ECONNREFUSED 127.0.0.1:1' }, a])).toEqual([
      { ...a, count: 3 },
      { request: a.request, status: 0, body: 'connect ECONNREFUSED 127.0.0.1:1', count: 1 },
    ]);
  });
});

describe('logsSince', () => {
  it("only what each container logged after the cursor; a container that started since, all of it", async () => {
    let logs: PodLog[] = [{ pod: 'a', container: 'c', text: 'old error line\n' }];
    const platform = { logs: async () => logs };
    const cursor = await logCursor(platform, 'ns');
    logs = [
      { pod: 'a', container: 'c', text: 'old error line\nnew error line\n' },
      { pod: 'b', container: 'c', text: 'fresh pod error\n' },
    ];
    expect((await logsSince(platform, 'ns', cursor)).map((l) => [l.pod, l.text.trim()])).toEqual([
      ['a', 'new error line'],
      ['b', 'fresh pod error'],
    ]);
  });
});
