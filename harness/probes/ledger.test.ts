import { describe, expect, it } from 'vitest';
import { checkLedger, WriteLedger } from './ledger.ts';
import { type WriteRecord } from '../model/measurements.ts';
import { startTestServer } from './test-server.ts';
import target from '../../targets/reference.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('write ledger against a real HTTP server', () => {
  it('reports exactly k lost when the server drops k acknowledged writes', async () => {
    await using srv = await startTestServer();
    await using ledger = new WriteLedger({ baseUrl: srv.url, target, runId: 'k', rate: 100, concurrency: 2 }).start();
    await sleep(200);
    srv.state.dropNext = 7;
    await sleep(300);
    const writes = await ledger.stop();
    const c = checkLedger(writes, await ledger.readBack());
    expect(c.ok).toBe(writes.length);
    expect(c.lost).toBe(7);
    expect(c.lostEmails).toHaveLength(7);
    expect(c.unexpected + c.duplicated).toBe(0);
  });

  it('counts refused writes as fail, unanswered ones as unknown, and catches duplicates', async () => {
    await using srv = await startTestServer();
    await using ledger = new WriteLedger({ baseUrl: srv.url, target, runId: 'u', timeoutMs: 300 });
    await ledger.write();
    srv.state.duplicateNext = 1;
    await ledger.write();
    srv.state.healthy = false;
    expect((await ledger.write()).outcome).toBe('fail');
    srv.state.healthy = true;
    srv.state.hangWrites = true;
    expect((await ledger.write()).outcome).toBe('unknown');
    srv.state.hangWrites = false;
    const c = checkLedger(ledger.writes, await ledger.readBack());
    expect(c).toMatchObject({ attempted: 4, ok: 2, fail: 1, unknown: 1, lost: 0, duplicated: 1, recovered: 0 });
  });
});

describe('checkLedger (the set rule)', () => {
  const w = (email: string, outcome: WriteRecord['outcome']): WriteRecord => ({ email, seq: 0, t: 0, latencyMs: 1, outcome, status: 0 });
  it.each([
    ['all present', [w('a', 'ok'), w('b', 'ok')], ['a', 'b'], { lost: 0, recovered: 0, unexpected: 0, duplicated: 0 }],
    ['one lost', [w('a', 'ok'), w('b', 'ok')], ['a'], { lost: 1, unexpected: 0 }],
    ['unknown may be present', [w('a', 'unknown'), w('b', 'unknown')], ['a'], { lost: 0, recovered: 1 }],
    ['never attempted appears', [w('a', 'ok')], ['a', 'zzz'], { unexpected: 1 }],
    ['refused write appears', [w('a', 'fail')], ['a'], { unexpected: 1 }],
    ['twice', [w('a', 'ok')], ['a', 'a'], { duplicated: 1, lost: 0 }],
  ])('%s', (_n, writes, found, expected) => {
    expect(checkLedger(writes, found)).toMatchObject(expected);
  });
});
