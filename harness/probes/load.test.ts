import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoad } from './load.ts';
import { startTestServer } from './test-server.ts';

describe('load probe (autocannon) against a real HTTP server', () => {
  it('computes percentiles from every raw latency and counts engines and non-2xx', async () => {
    await using srv = await startTestServer();
    srv.state.delayMs = 40;
    const samplesFile = path.join(mkdtempSync(path.join(tmpdir(), 'load-')), 'load.jsonl');
    const s = await runLoad({ baseUrl: srv.url, durationSec: 1, connections: 4, phase: 'after', paths: ['/api/health', '/nope'], samplesFile });
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
    const s = await runLoad({ baseUrl: srv.url, durationSec: 2, connections: 2, phase: 'after', paths: ['/api/health'] });
    expect(s.p99, `p99 ${s.p99} ms`).toBeGreaterThan(500);
  });
});
