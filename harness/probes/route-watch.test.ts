import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FIXTURE_IMAGE, fixtureDeployment, fixtureImages, fixtureService, namespace } from '../platform/local/fixtures/objects.ts';
import { createLocalPlatform } from '../platform/local/platform.ts';
import { until } from '../platform/testing/helpers.ts';
import { AvailabilityProbe, summarize, timeToRestore } from './availability.ts';
import { describeTimeline, podEngine, routedEngines, RouteWatch } from './route-watch.ts';

const NS = 'route-watch';
const READY_MS = 30_000;
// Hyperpage's engine variable and values (its `postgresql` is not one of them).
const app = { env: { engine: 'DB_ENGINE', databaseUrl: 'DATABASE_URL', sqlitePath: 'DATABASE_PATH' }, engines: { postgres: 'postgres', sqlite: 'sqlite' } };

const pod = (env: Record<string, string> | undefined, ready = true, deleting = false): V1Pod => ({
  metadata: { name: 'p', ...(deleting ? { deletionTimestamp: new Date() } : {}) },
  spec: { containers: [{ name: 'app', image: FIXTURE_IMAGE, ...(env ? { env: Object.entries(env).map(([name, value]) => ({ name, value })) } : {}) }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('route-watch: the engine of a pod, from its env (pure)', () => {
  it('maps the declared values, keeps an undeclared one raw, and says unknown without the variable', () => {
    expect(podEngine(pod({ DB_ENGINE: 'postgres' }), app)).toBe('postgres');
    expect(podEngine(pod({ DB_ENGINE: 'sqlite' }), app)).toBe('sqlite');
    expect(podEngine(pod({ DB_ENGINE: 'postgresql' }), app)).toBe('unknown:postgresql');
    expect(podEngine(pod({ OTHER: 'x' }), app)).toBe('unknown');
    expect(podEngine(pod(undefined), app)).toBe('unknown');
    // The profile's own values: an app whose engine variable says `pg`/`lite`.
    expect(podEngine(pod({ STORE: 'lite' }), { ...app, env: { ...app.env, engine: 'STORE' }, engines: { postgres: 'pg', sqlite: 'lite' } })).toBe('sqlite');
  });

  it('counts ready pods only (not-ready and terminating ones receive no traffic)', () => {
    const pods = [pod({ DB_ENGINE: 'postgres' }), pod({ DB_ENGINE: 'postgres' }, false), pod({ DB_ENGINE: 'sqlite' }), pod({ DB_ENGINE: 'sqlite' }, true, true)];
    expect(routedEngines(pods, app)).toEqual({ postgres: 1, sqlite: 1 });
    expect(routedEngines([pod({ DB_ENGINE: 'postgres' }, false)], app)).toEqual({});
  });

  it('describes the timeline relative to an origin', () => {
    expect(describeTimeline([{ t: 1_000, engines: { postgres: 3 } }, { t: 3_500, engines: {} }, { t: 4_000, engines: { sqlite: 2, postgres: 1 } }], 3_000)).toBe(
      '-2.0 s postgres×3 → +0.5 s none → +1.0 s sqlite×2 + postgres×1',
    );
    expect(describeTimeline([], 0)).toBe('no poll answered');
  });
});

describe('route-watch on the local platform (real pods, real Service)', () => {
  it('follows the Service selector: mixed, sqlite, an undeclared value raw, none; not-ready pods never count', async () => {
    await using platform = await createLocalPlatform({ images: fixtureImages(), resyncMs: 100, handleSignals: false });
    const dep = (name: string, color: string, env: Record<string, string>) => fixtureDeployment({ name, ns: NS, labels: { app: 'web', color, dep: name }, env });
    await platform.apply([
      namespace(NS),
      dep('pg', 'blue', { DB_ENGINE: 'postgres' }),
      dep('lite', 'green', { DB_ENGINE: 'sqlite' }),
      dep('odd', 'odd', { DB_ENGINE: 'postgresql' }),
      // Same colour as the SQLite pods, but never ready: the Service routes nothing to it.
      dep('sick', 'green', { DB_ENGINE: 'postgres', HEALTH: 'fail' }),
      fixtureService('web', { app: 'web', color: 'blue' }, NS),
    ]);
    for (const d of ['pg', 'lite', 'odd']) await platform.waitForReady(NS, d, 1, { timeoutMs: READY_MS });
    await until('the never-ready pod running', async () => ((await platform.listPods(NS, { dep: 'sick' }))[0]?.status?.phase === 'Running' ? true : undefined));

    await using watch = await new RouteWatch({ platform, namespace: NS, service: 'web', app, intervalMs: 50 }).start();
    const t0 = Date.now();
    expect(watch.engineAt(t0)).toBe('postgres');
    expect(watch.engineAt(watch.timeline[0]!.t - 1), 'before the first poll nothing is known').toBeUndefined();

    await platform.patchServiceSelector(NS, 'web', { color: 'green' });
    const tLite = await until('routed to sqlite', async () => (watch.engineAt(Date.now()) === 'sqlite' ? Date.now() : undefined));
    // Three polls later still sqlite: the running, never-ready pod of the same colour is not counted.
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.timeline.at(-1)!.engines).toEqual({ sqlite: 1 });

    await platform.patchServiceSelector(NS, 'web', { color: 'odd' });
    await until('routed to the undeclared value', async () => (watch.engineAt(Date.now()) === 'unknown:postgresql' ? true : undefined));
    await platform.scale(NS, 'odd', 0);
    await until('routed to nothing', async () => (watch.timeline.at(-1)!.engines && Object.keys(watch.timeline.at(-1)!.engines).length === 0 ? true : undefined));
    expect(watch.engineAt(Date.now())).toBeUndefined();
    await platform.scale(NS, 'odd', 1);
    await platform.waitForReady(NS, 'odd', 1, { timeoutMs: READY_MS });

    // A selector that matches two engines' ready pods: 'mixed'.
    await platform.apply(dep('pg2', 'odd', { DB_ENGINE: 'postgres' }));
    await platform.waitForReady(NS, 'pg2', 1, { timeoutMs: READY_MS });
    await until('mixed', async () => (watch.engineAt(Date.now()) === 'mixed' ? true : undefined));

    const timeline = await watch.stop();
    expect(timeline.map((c) => Object.keys(c.engines).sort().join('+') || 'none')).toEqual(['postgres', 'sqlite', 'unknown:postgresql', 'none', 'unknown:postgresql', 'postgres+unknown:postgresql']);
    expect(watch.engineAt(t0)).toBe('postgres');
    expect(watch.engineAt(tLite)).toBe('sqlite');
    expect(watch.errors).toBe(0);
    const polls = watch.polls;
    await new Promise((r) => setTimeout(r, 150));
    expect(watch.polls, 'stopped means stopped').toBe(polls);
  });

  it('a platform error while polling is counted with its message, never thrown', async () => {
    await using platform = await createLocalPlatform({ images: fixtureImages(), resyncMs: 100, handleSignals: false });
    await using watch = await new RouteWatch({ platform, namespace: NS, service: 'ghost', app, intervalMs: 20 }).start();
    await new Promise((r) => setTimeout(r, 150));
    await watch.stop();
    expect(watch.polls).toBeGreaterThanOrEqual(3);
    expect(watch.errors).toBe(watch.polls);
    expect(watch.lastError).toBe(`service ${NS}/ghost not found`);
    expect(watch.timeline).toEqual([]);
    expect(watch.summary(0)).toMatchObject({ errors: watch.polls, changes: 0, timeline: 'no poll answered' });
  });

  it('an app that names no engine: time to restore found through the route, and never on a Service that stays on PostgreSQL', async () => {
    await using platform = await createLocalPlatform({ images: fixtureImages(), resyncMs: 100, handleSignals: false });
    await platform.apply([
      namespace(NS),
      fixtureDeployment({ name: 'pg', ns: NS, labels: { app: 'web', color: 'blue' }, env: { DB_ENGINE: 'postgres' } }),
      fixtureDeployment({ name: 'lite', ns: NS, labels: { app: 'web', color: 'green' }, env: { DB_ENGINE: 'sqlite' } }),
      fixtureService('web', { app: 'web', color: 'blue' }, NS),
    ]);
    await platform.waitForReady(NS, 'pg', 1, { timeoutMs: READY_MS });
    await platform.waitForReady(NS, 'lite', 1, { timeoutMs: READY_MS });
    await using watch = await new RouteWatch({ platform, namespace: NS, service: 'web', app, intervalMs: 50 }).start();
    // The fixture names no engine: `identity: {}` as the settings app.
    await using probe = new AvailabilityProbe({
      baseUrl: await platform.serviceUrl(NS, 'web'),
      target: { health: { path: '/api/health', reflectsDatabase: true }, identity: {} },
      intervalMs: [20, 30],
      onSample: (x) => void (x.route = watch.engineAt(x.t)),
    }).start();
    await new Promise((r) => setTimeout(r, 300));
    const trigger = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    await platform.patchServiceSelector(NS, 'web', { color: 'green' });
    const switched = Date.now();
    await new Promise((r) => setTimeout(r, 600));
    const samples = watch.annotate(await probe.stop());
    await watch.stop();
    expect(samples.every((x) => x.engine === undefined)).toBe(true);
    const ttr = timeToRestore(samples, trigger, 'sqlite', 5);
    expect(ttr, 'restored through the route').toBeDefined();
    expect(ttr!).toBeGreaterThanOrEqual(switched - trigger - 60);
    expect(ttr!).toBeLessThan(switched - trigger + 250);
    expect(summarize(samples)).toMatchObject({ engineFrom: 'route', engineFirstSeen: [{ engine: 'postgres' }, { engine: 'sqlite' }] });
    // Only the samples of before the switch: the Service never routed to SQLite.
    expect(timeToRestore(samples.filter((x) => x.t < switched - 100), trigger, 'sqlite', 5)).toBeUndefined();
  });
});
