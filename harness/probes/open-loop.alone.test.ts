// The load after the fault at a fixed arrival rate, against real HTTP servers: a fast one holds
// the rate; a server whose every answer costs CPU (a capacity a fraction of the rate) fails
// performance on the rate it takes and on the corrected p99, where a closed loop of 10
// connections would have passed it; a server whose answers wait 150 ms without using CPU passes
// (its capacity is intact, only its latency grew).
// Rates and latencies are what these tests judge, so the file runs alone on the machine (vitest
// project "alone", `*.alone.test.ts`), never beside other tests: in a fresh-clone CI run beside two
// unit files and a drill, the fast server's corrected p99 measured 679.94 ms.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { performanceVerdict } from '../criteria/performance.criterion.ts';
import { drilledOutcome } from '../drill/testing/outcome.ts';
import type { LoadSummary, WriteRecord } from '../model/measurements.ts';
import target from '../../targets/reference.ts';
import { runLoad } from './load.ts';
import { startCpuServer } from './test-cpu-server.ts';
import { startTestServer } from './test-server.ts';

const judged = (after: LoadSummary) => performanceVerdict(drilledOutcome({ load: { after } }));
const paths = ['/api/health'];

describe('load after the fault: open loop at a fixed rate', () => {
  it('holds its rate against a fast server, every latency counted from when it was due, and writes recorded', async () => {
    await using srv = await startTestServer();
    const samplesFile = path.join(mkdtempSync(path.join(tmpdir(), 'open-loop-')), 'load.jsonl');
    const records: WriteRecord[] = [];
    const s = await runLoad({ baseUrl: srv.url, target, paths, durationSec: 2, connections: 10, phase: 'after', rate: { target: 300, source: 'test' }, samplesFile, writes: { ratio: 0.25, prefix: 'ol-', records } });
    expect(s.generator).toBe('open-loop');
    expect(s.rate!.sent, JSON.stringify(s.rate)).toBeGreaterThanOrEqual(0.95 * 300);
    expect(s.rate!.achieved, JSON.stringify(s.rate)).toBeGreaterThanOrEqual(0.95 * 300);
    expect(s.requests).toBeGreaterThanOrEqual(570);
    // Corrected from the intended send time: never below the latency from the actual send.
    expect(s.corrected!.p99).toBeGreaterThanOrEqual(s.p99 - 0.01);
    expect(readFileSync(samplesFile, 'utf8').trim().split('\n')).toHaveLength(s.requests);
    // A quarter of the mix were writes, each recorded with its outcome as the ledger does.
    expect(records.length).toBeGreaterThan(100);
    expect(records.every((r) => r.outcome === 'ok' && r.engine === 'postgres')).toBe(true);
    expect(s.writes!.ok).toBe(records.length);
    expect(judged(s).passed, judged(s).evidence).toBe(true);
  }, 30_000);

  it('a server whose every answer costs 10 ms of CPU fails performance at the rate; a closed loop saw a fraction of its corrected p99', async () => {
    await using srv = await startCpuServer(10);
    const closed = await runLoad({ baseUrl: srv.url, target, paths, durationSec: 2, connections: 10, phase: 'after' });
    // What the criterion used to measure: 10 connections, each waiting for its answer, so p99 ≈ 10 × 10 ms
    // (a loaded machine adds its connection start): the slow service gets less traffic, and looks fast.
    expect(closed.rps).toBeLessThan(110);
    const open = await runLoad({ baseUrl: srv.url, target, paths, durationSec: 2, connections: 10, phase: 'after', rate: { target: 300, source: 'test' } });
    const v = judged(open);
    expect(v.passed, v.evidence).toBe(false);
    expect(v.evidence).toMatch(/FAILED on rate: [\d.]+ of the 300 req\/s wanted were answered/);
    expect(v.evidence).toMatch(/FAILED on latency: corrected p99 \d+/);
    expect(open.corrected!.p99, JSON.stringify(open.corrected)).toBeGreaterThan(500);
    // The same service, the closed loop's p99 a fraction of the corrected one: the omission the fixed rate corrects.
    expect(closed.p99 * 3, `closed p99 ${closed.p99} ms, corrected ${open.corrected!.p99} ms`).toBeLessThan(open.corrected!.p99);
    expect(v.says).toMatch(/answered [\d.]+ of the 300 req\/s it was sent/);
  }, 60_000);

  it('a server whose answers wait 150 ms without using CPU passes: its capacity is intact', async () => {
    await using srv = await startTestServer();
    srv.state.delayMs = 150;
    const s = await runLoad({ baseUrl: srv.url, target, paths, durationSec: 2, connections: 10, phase: 'after', rate: { target: 200, source: 'test' } });
    const v = judged(s);
    expect(v.passed, v.evidence).toBe(true);
    expect(s.rate!.achieved).toBeGreaterThanOrEqual(0.95 * 200);
    expect(s.corrected!.p50).toBeGreaterThanOrEqual(149);
    // More requests in flight than the closed loop's 10 connections: the sender opened what the rate needed.
    expect(s.connections).toBeGreaterThan(10);
  }, 30_000);
});
