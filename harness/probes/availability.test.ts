import { describe, expect, it } from 'vitest';
import { AvailabilityProbe, summarize, timeToRestore } from './availability.ts';
import { type Sample } from '../model/measurements.ts';
import { startTestServer } from './test-server.ts';
import target from '../../targets/reference.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('availability probe against a real HTTP server', () => {
  it('measures the downtime window, failures, and the engine switch', async () => {
    await using srv = await startTestServer();
    await using probe = new AvailabilityProbe({ baseUrl: srv.url, target, intervalMs: [20, 30] }).start();
    await sleep(300);
    srv.state.healthy = false;
    const downAt = Date.now();
    await sleep(400);
    srv.state.engine = 'sqlite';
    srv.state.healthy = true;
    const upAt = Date.now();
    await sleep(400);
    const samples = await probe.stop();
    const s = summarize(samples);
    expect(s.failed).toBeGreaterThanOrEqual(8);
    expect(s.downtimeMs).toBeGreaterThanOrEqual(300);
    expect(s.downtimeMs).toBeLessThan(upAt - downAt + 150);
    expect(s.longestFailureRun.count).toBe(s.failed);
    expect(s.engineFirstSeen.map((e) => e.engine)).toEqual(['postgres', 'sqlite']);
    expect(s.mixedEngineMs).toBe(0);
    const ttr = timeToRestore(samples, downAt, 'sqlite', 3)!;
    expect(ttr).toBeGreaterThanOrEqual(upAt - downAt - 40);
    expect(ttr).toBeLessThan(upAt - downAt + 150);
    expect(timeToRestore(samples, downAt, 'postgres', 3)).toBeUndefined();
  });

  it('open loop: a slow answer is a failed health check with its real latency, and sampling goes on meanwhile', async () => {
    await using srv = await startTestServer();
    await using probe = new AvailabilityProbe({ baseUrl: srv.url, target, intervalMs: [20, 30], timeoutMs: 200, giveUpMs: 2_000 }).start();
    await sleep(150);
    srv.state.delayMs = 600;
    await sleep(400);
    srv.state.delayMs = 0;
    await sleep(200);
    const samples = await probe.stop();
    expect(samples.map((x) => x.t), 'in start order').toEqual([...samples.map((x) => x.t)].sort((a, b) => a - b));
    const late = samples.filter((x) => x.lateStatus !== undefined);
    // Requests started during the 400 ms of slowness (one every 20-30 ms): each answered late, none waited for another.
    expect(late.length).toBeGreaterThanOrEqual(10);
    for (const x of late) {
      expect(x).toMatchObject({ status: 0, lateStatus: 200, engine: 'postgres' });
      expect(x.latencyMs).toBeGreaterThanOrEqual(590);
      expect(x.error).toMatch(/no answer within 200 ms \(HTTP 200 after \d+ ms\)/);
    }
    expect(samples.at(-1)!.status).toBe(200);
  });

  it('records a dead server as status 0 with the error', async () => {
    const srv = await startTestServer();
    const url = srv.url;
    await srv[Symbol.asyncDispose]();
    await using probe = new AvailabilityProbe({ baseUrl: url, target, intervalMs: [10, 20], timeoutMs: 500 }).start();
    await sleep(100);
    const samples = await probe.stop();
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((x) => x.status === 0 && x.error)).toBe(true);
  });
});

describe('summarize (pure)', () => {
  const mk = (t: number, status: number, engine = 'postgres'): Sample => ({ t, status, latencyMs: 5, engine });
  it('computes mixed-engine serving and a late relapse resets time-to-restore', () => {
    const samples = [mk(0, 200), mk(100, 200, 'sqlite'), mk(200, 200), mk(300, 200, 'sqlite'), mk(400, 503), mk(500, 200, 'sqlite'), mk(600, 200, 'sqlite')];
    const s = summarize(samples);
    expect(s.mixedEngineMs).toBe(100);
    expect(s.unavailableMs).toBe(100);
    expect(timeToRestore(samples, 0, 'sqlite', 2)).toBe(500);
  });
});

describe('an app that names no engine: judged on where the Service routed (route)', () => {
  // Healthy on PostgreSQL pods until 1 s, down until 2 s, then answers from SQLite pods (no engine field anywhere).
  const routed = (t: number, status: number, route: string | undefined): Sample => ({ t, status, latencyMs: 5, route });
  const run = (after: (t: number) => Sample) => Array.from({ length: 40 }, (_, i) => i * 100).map((t) => (t < 1_000 ? routed(t, 200, 'postgres') : t < 2_000 ? routed(t, 0, undefined) : after(t)));

  it('restore found through the route', () => {
    const samples = run((t) => routed(t, 200, 'sqlite'));
    expect(timeToRestore(samples, 1_000, 'sqlite', 5)).toBe(1_000);
    expect(summarize(samples)).toMatchObject({ engineFrom: 'route', engines: { postgres: 10, sqlite: 20 }, engineFirstSeen: [{ engine: 'postgres', t: 0 }, { engine: 'sqlite', t: 2_000 }] });
  });

  it('a Service that never routes to SQLite is never restored', () => {
    expect(timeToRestore(run((t) => routed(t, 200, 'postgres')), 1_000, 'sqlite', 5)).toBeUndefined();
    // Routed to pods given an undeclared engine value (Hyperpage's `postgresql`): not SQLite either.
    expect(timeToRestore(run((t) => routed(t, 200, 'unknown:postgresql')), 1_000, 'sqlite', 5)).toBeUndefined();
  });

  it('routed to SQLite but unhealthy is not restored', () => {
    expect(timeToRestore(run((t) => routed(t, 503, 'sqlite')), 1_000, 'sqlite', 5)).toBeUndefined();
  });

  it('what the app says wins over the route; both sources make engineFrom mixed', () => {
    // The app says postgres while the Service routes to SQLite pods: judged on the app's word.
    const says = run((t) => ({ ...routed(t, 200, 'sqlite'), engine: 'postgres' }));
    expect(timeToRestore(says, 1_000, 'sqlite', 5)).toBeUndefined();
    expect(summarize(says).engineFrom).toBe('mixed');
    expect(summarize([{ t: 0, status: 200, latencyMs: 1, engine: 'sqlite', route: 'sqlite' }]).engineFrom).toBe('app');
    expect(summarize([{ t: 0, status: 503, latencyMs: 1 }]).engineFrom).toBe('none');
  });

  it('a Service routing to both engines at once counts as mixed serving', () => {
    const samples = [routed(0, 200, 'postgres'), routed(100, 200, 'mixed'), routed(200, 200, 'mixed'), routed(400, 200, 'mixed'), routed(500, 200, 'sqlite')];
    const s = summarize(samples);
    expect(s.mixedEngineMs).toBe(300);
    expect(s.engineFirstSeen.map((e) => e.engine)).toEqual(['postgres', 'sqlite']);
    expect(timeToRestore(samples, 0, 'sqlite', 1)).toBe(500);
  });
});
