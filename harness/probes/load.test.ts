import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoad } from './load.ts';
import { startTestServer } from './test-server.ts';
import target from '../../targets/reference.ts';

describe('load probe (autocannon) against a real HTTP server', () => {
  it('computes percentiles from every raw latency and counts engines and non-2xx', async () => {
    await using srv = await startTestServer();
    srv.state.delayMs = 40;
    const samplesFile = path.join(mkdtempSync(path.join(tmpdir(), 'load-')), 'load.jsonl');
    const s = await runLoad({ baseUrl: srv.url, target, durationSec: 1, connections: 4, phase: 'after', paths: ['/api/health', '/nope'], samplesFile });
    const rows = readFileSync(samplesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { latencyMs: number; status: number });
    expect(rows.length).toBe(s.requests);
    expect(s.requests).toBeGreaterThan(20);
    // Every answer waited 40 ms in the server: no percentile can be below it.
    expect(s.p50).toBeGreaterThanOrEqual(39);
    expect(s.p99).toBeGreaterThanOrEqual(s.p50);
    expect(s.max).toBeGreaterThanOrEqual(s.p99);
    const sorted = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
    expect(s.max).toBeCloseTo(sorted.at(-1)!, 0);
    // Half the mix is a 404.
    expect(s.non2xx).toBe(rows.filter((r) => r.status === 404).length);
    expect(s.non2xx).toBeGreaterThan(0);
    expect(s.engines['postgres']).toBe(s.requests);
    expect(s.errors).toBe(0);
  });

  it('a slowed server shows in p99', async () => {
    await using srv = await startTestServer();
    srv.state.delayMs = 600;
    const s = await runLoad({ baseUrl: srv.url, target, durationSec: 2, connections: 2, phase: 'after', paths: ['/api/health'] });
    expect(s.p99, `p99 ${s.p99} ms`).toBeGreaterThan(500);
  });
});

describe('load probe: writes in the mix', () => {
  it('spreads writes evenly, never first', async () => {
    const { mixSequence } = await import('./load.ts');
    const seq = mixSequence(['/a', '/b'], 0.25);
    expect(seq).toHaveLength(20);
    expect('read' in seq[0]!).toBe(true);
    expect(seq.filter((x) => 'write' in x)).toHaveLength(5);
    expect(mixSequence(['/a'], 0).every((x) => 'read' in x)).toBe(true);
  });

  it('every write has its own key and its answer recorded; what the server stored matches the acknowledged ones', async () => {
    await using srv = await startTestServer();
    const records: import('../model/measurements.ts').WriteRecord[] = [];
    const s = await runLoad({ baseUrl: srv.url, target, durationSec: 1, connections: 4, phase: 'after', paths: ['/api/health'], writes: { ratio: 0.5, prefix: 'load-t-', records } });
    expect(s.writes!.attempted).toBe(records.length);
    expect(s.writes!.ok).toBeGreaterThan(50);
    expect(new Set(records.map((r) => r.email)).size).toBe(records.length);
    const stored = new Set(srv.state.users.map((u) => u.email));
    for (const r of records.filter((x) => x.outcome === 'ok')) expect(stored.has(r.email), r.email).toBe(true);
    expect(s.writes!.okByPod['test']).toBe(s.writes!.ok);
    expect(s.writeRatio).toBe(0.5);
  });

  it('a refused write is recorded as fail, an unanswered one as unknown', async () => {
    await using srv = await startTestServer();
    srv.state.healthy = false;
    const records: import('../model/measurements.ts').WriteRecord[] = [];
    await runLoad({ baseUrl: srv.url, target, durationSec: 1, connections: 2, phase: 'after', paths: ['/api/health'], writes: { ratio: 0.5, prefix: 'load-f-', records } });
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((r) => r.status !== 0).every((r) => r.outcome === 'fail' && r.status === 503)).toBe(true);
    srv.state.healthy = true;
    srv.state.hangWrites = true;
    const hung: import('../model/measurements.ts').WriteRecord[] = [];
    await runLoad({ baseUrl: srv.url, target, durationSec: 2, connections: 1, phase: 'after', paths: ['/api/health'], timeoutSec: 1, writes: { ratio: 0.5, prefix: 'load-h-', records: hung } });
    expect(hung.length).toBeGreaterThan(0);
    expect(hung.every((r) => r.outcome === 'unknown')).toBe(true);
  });
});
