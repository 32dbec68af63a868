// The app's HTTP contract on both engines: a real PostgreSQL, a real SQLite file, the real server process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp, startApp, type AppProcess } from '../test-support/app-process.ts';
import { startTestPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { startFaultProxy } from './fault-proxy.ts';

let pg: TestPostgres;
const dir = mkdtempSync(path.join(tmpdir(), 'app-test-'));
beforeAll(async () => {
  pg = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

async function get(app: AppProcess, p: string) {
  const res = await fetch(app.url + p);
  return { status: res.status, engine: res.headers.get('x-db-engine'), pod: res.headers.get('x-pod-name'), body: (await res.json()) as any };
}

describe.each(['sqlite', 'postgres'] as const)('API contract on %s', (engine) => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startApp(engine === 'sqlite' ? { DB_ENGINE: 'sqlite', DATABASE_PATH: path.join(dir, 'contract.db') } : { DB_ENGINE: 'postgres', DATABASE_URL: pg.url });
  }, 60_000);
  afterAll(async () => {
    expect(await app.stop()).toBe(0);
  });

  it('health checks the database and names the engine and pod', async () => {
    const r = await get(app, '/api/health');
    expect(r.status).toBe(200);
    expect(r.engine).toBe(engine);
    expect(r.pod).toBe('test-pod');
    expect(r.body).toMatchObject({ status: 'healthy', engine, database: { status: 'up' } });
    expect(typeof r.body.database.latencyMs).toBe('number');
  });

  it('tools: enabled list, each tool 200 with enabled flag, unknown 404', async () => {
    expect((await get(app, '/api/tools/enabled')).body.tools).toEqual([
      { name: 'github', enabled: true },
      { name: 'gitlab', enabled: true },
      { name: 'jira', enabled: false },
    ]);
    const gh = await get(app, '/api/tools/github');
    expect(gh).toMatchObject({ status: 200, body: { name: 'github', enabled: true } });
    expect(gh.body.items.length).toBeGreaterThan(0);
    expect(await get(app, '/api/tools/jira')).toMatchObject({ status: 200, body: { enabled: false } });
    expect((await get(app, '/api/tools/bitbucket')).status).toBe(404);
  });

  it('rate limits: 200 per platform, 400 for the runbook\'s "test"', async () => {
    expect(await get(app, '/api/rate-limit/gitlab')).toMatchObject({ status: 200, body: { platform: 'gitlab', enabled: true, limit: 5000 } });
    expect(await get(app, '/api/rate-limit/test')).toMatchObject({ status: 400, body: { error: 'unknown platform: test' } });
  });

  it('users: create, read by id, count, list by prefix; bad input 400; unknown 404', async () => {
    const before = (await get(app, '/api/users/count')).body.count as number;
    const ids: number[] = [];
    for (const i of [1, 2, 1]) {
      const res = await fetch(app.url + '/api/users', { method: 'POST', body: JSON.stringify({ email: `dup-${engine}-${i}@t.local`, name: `n${i}` }) });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    expect(await get(app, `/api/users/${ids[0]}`)).toMatchObject({ status: 200, body: { email: `dup-${engine}-1@t.local`, name: 'n1' } });
    expect((await get(app, '/api/users/count')).body.count).toBe(before + 3);
    const list = await get(app, `/api/users?prefix=dup-${engine}-&limit=2`);
    expect(list.body.users.map((u: { id: number }) => u.id)).toEqual(ids.slice(0, 2));
    expect(list.body.nextAfterId).toBe(ids[1]);
    const rest = await get(app, `/api/users?prefix=dup-${engine}-&afterId=${ids[1]}`);
    expect(rest.body).toEqual({ users: [{ id: ids[2], email: `dup-${engine}-1@t.local`, name: 'n1' }], nextAfterId: null });
    const bad = await fetch(app.url + '/api/users', { method: 'POST', body: '{"email":"nope"}' });
    expect(bad.status).toBe(400);
    expect((await get(app, '/api/users/999999999')).status).toBe(404);
    expect((await get(app, '/api/nothing')).status).toBe(404);
  });
});

describe('start-up errors', () => {
  it.each([
    [{ DB_ENGINE: 'postgresql', DATABASE_URL: 'postgresql://x@127.0.0.1/x' }, /DB_ENGINE must be "sqlite" or "postgres" \(got "postgresql"\)/],
    [{ DATABASE_PATH: '/tmp/x.db' }, /DB_ENGINE must be "sqlite" or "postgres" \(got nothing\)/],
    [{ DB_ENGINE: 'postgres' }, /DATABASE_URL is required/],
    [{ DB_ENGINE: 'sqlite', DATABASE_PATH: '/nonexistent-dir/sub/h.db' }, /DATABASE_PATH \/nonexistent-dir\/sub\/h.db is not writable/],
  ])('%j fails with one clear line', async (env, message) => {
    const { done } = runApp(env as Record<string, string>);
    const r = await done;
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(r.output.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toHaveLength(1);
  });
});

describe('database down and graceful drain (postgres)', () => {
  it('health answers 503 while PostgreSQL is stopped, 200 again after it returns; no secret in the answer', async () => {
    await using app = await startApp({ DB_ENGINE: 'postgres', DATABASE_URL: pg.url });
    expect((await get(app, '/api/health')).status).toBe(200);
    await pg.stop();
    try {
      const r = await get(app, '/api/health');
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ status: 'unhealthy', engine: 'postgres', database: { status: 'down' } });
      expect(JSON.stringify(r.body)).not.toContain(pg.password);
      expect((await get(app, '/api/tools/github')).status).toBe(503);
    } finally {
      await pg.start();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await get(app, '/api/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  }, 60_000);

  it('SIGTERM lets an in-flight request finish, then exits 0', async () => {
    // The fault proxy slows every database round trip so a request is in flight when SIGTERM lands.
    const proxy = await startFaultProxy({ listenHost: '127.0.0.1', listenPort: 0, targetHost: '127.0.0.1', targetPort: pg.port, latencyMs: 0 });
    try {
      const url = new URL(pg.url);
      url.port = String(proxy.port);
      const app = await startApp({ DB_ENGINE: 'postgres', DATABASE_URL: url.toString() });
      expect((await get(app, '/api/health')).status).toBe(200);
      proxy.setLatency(600);
      const inflight = fetch(app.url + '/api/users/count').then(async (r) => ({ status: r.status, connection: r.headers.get('connection'), body: await r.json() }));
      await new Promise((r) => setTimeout(r, 150));
      const exit = app.stop();
      // Answered, and told to close its connection: a keep-alive client must not send more here.
      expect(await inflight).toMatchObject({ status: 200, connection: 'close' });
      expect(await exit).toBe(0);
      expect(app.output()).toContain('drained, database closed');
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
