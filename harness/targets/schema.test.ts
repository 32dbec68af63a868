// Target profiles are input: the shipped ones parse, a bad one is one line naming its fields, and a
// feature check as data passes and fails on what the app really answers (a real HTTP server).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeature } from '../kit/features.ts';
import { readBackPath, setWorkloadOf, writeOutcome, writeRequest } from '../kit/workload.ts';
import { builtinTargets, loadTarget } from './load.ts';
import { type TargetProfile } from '../model/target-profile.ts';
import { defineTarget } from './define.ts';
import { TargetProfileError } from '../kit/errors.ts';

describe('target profiles', () => {
  it('the shipped profiles parse', async () => {
    expect(builtinTargets()).toContain('reference');
    // A profile that runs the user's checkout ({{appDir}}) gets a folder that exists; the others ignore it.
    for (const name of builtinTargets()) expect((await loadTarget(name, process.cwd())).name).toBe(name);
  });

  it('an unknown name or a bad profile is one line naming what is wrong', async () => {
    await expect(loadTarget('nope')).rejects.toThrow(/unknown target "nope" \(known: reference/);
    expect(() => defineTarget({ name: 'Bad Name', description: 'x', health: { path: 'health', reflectsDatabase: true }, reads: [], features: [] } as never)).toThrow(TargetProfileError);
    expect(() => defineTarget({ name: 'bad', description: 'x', health: { path: 'health', reflectsDatabase: true }, reads: ['/'], features: [] } as never)).toThrow(
      /target bad: health\.path: an absolute request path.*workload: .*features: /,
    );
  });

  it('{{appDir}} in an image is the user\'s checkout (--app-dir), required when the profile uses it', async () => {
    const { withAppDir } = await import('./load.ts');
    const t = await loadTarget('reference');
    const needs = { ...t, images: { 'x:*': { ...t.images['hyperpage:*']!, command: ['{{appDir}}/server.js'], cwd: '{{appDir}}' } } };
    expect(() => withAppDir(needs, undefined)).toThrow(/target reference runs a checkout of its app: give its folder with --app-dir PATH/);
    expect(() => withAppDir(needs, '/nonexistent-app-dir')).toThrow(/--app-dir \/nonexistent-app-dir does not exist/);
    expect(withAppDir(needs, '/tmp').images['x:*']).toMatchObject({ command: ['/tmp/server.js'], cwd: '/tmp' });
    expect(withAppDir(t, undefined)).toBe(t);
  });

  it('app.build: {context, dockerfile} is optional, strict, and a malformed one is one line naming its field', async () => {
    const ref = await loadTarget('reference');
    const withBuild = (build: unknown) => () => defineTarget({ ...ref, name: 'shop', app: { ...ref.app, build } } as never);
    expect(withBuild(undefined)().app.build).toBeUndefined();
    // dockerfile defaults to the context's Dockerfile, as in docker compose.
    expect(withBuild({ context: '.' })().app.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(withBuild({ dockerfile: 'Dockerfile' })).toThrow(/^target shop: app\.build\.context: Invalid input: expected string, received undefined$/);
    expect(withBuild({ context: '  ' })).toThrow(/^target shop: app\.build\.context: the build context: a folder$/);
    expect(withBuild({ context: '.', dockerfile: '' })).toThrow(/^target shop: app\.build\.dockerfile: a Dockerfile, relative to the context$/);
    expect(withBuild({ context: '.', dockerfile: 7 })).toThrow(/^target shop: app\.build\.dockerfile: Invalid input: expected string, received number$/);
    expect(withBuild({ context: '.', target: 'prod' })).toThrow(/^target shop: app\.build: Unrecognized key: "target"$/);
    expect(withBuild('app/Dockerfile')).toThrow(/^target shop: app\.build: Invalid input: expected object, received string$/);
  });

  it("app.build resolves as the images' paths do: the context from the profile's folder or {{appDir}}, the Dockerfile from the context", async () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    expect((await loadTarget('reference')).app.build).toEqual({ context: root, dockerfile: path.join(root, 'app', 'Dockerfile') });
    expect((await loadTarget('settings-app')).app.build).toEqual({ context: path.join(root, 'fixtures', 'settings-app'), dockerfile: path.join(root, 'fixtures', 'settings-app', 'Dockerfile') });
    expect((await loadTarget('hyperpage', '/tmp')).app.build).toEqual({ context: '/tmp', dockerfile: '/tmp/Dockerfile' });
    // {{appDir}} in the build alone asks for --app-dir too.
    const { withAppDir } = await import('./load.ts');
    const ref = await loadTarget('reference');
    const needs = { ...ref, app: { ...ref.app, build: { context: '{{appDir}}/web', dockerfile: 'Dockerfile.prod' } } };
    expect(() => withAppDir(needs, undefined)).toThrow(/^target reference runs a checkout of its app: give its folder with --app-dir PATH/);
    expect(withAppDir(needs, '/tmp').app.build).toEqual({ context: '/tmp/web', dockerfile: 'Dockerfile.prod' });
    expect(withAppDir(needs, '/tmp').images).toEqual(ref.images);
  });

  it('a write is built from the workload template, JSON- and URL-escaped', async () => {
    const t = await loadTarget('reference');
    const w = writeRequest(setWorkloadOf(t, 'the test'), 'ledger-r1-', 7, 'ledger "7"', 42);
    expect(w).toMatchObject({ key: 'ledger-r1-7@drill.local', method: 'POST', path: '/api/users' });
    // The name is generated (kit/values.ts), the same for the same seed, and JSON-escaped whatever it holds.
    expect(JSON.parse(w.body!)).toEqual({ email: 'ledger-r1-7@drill.local', name: w.values!.name });
    expect(writeRequest(setWorkloadOf(t, 'the test'), 'ledger-r1-', 7, 'x', 42)).toEqual(w);
    for (let n = 1; n <= 40; n++) {
      const r = writeRequest(setWorkloadOf(t, 'the test'), 'ledger-r1-', n, 'x', 42);
      expect(JSON.parse(r.body!).name).toBe(r.values!.name);
    }
    expect(readBackPath(t, 'a b&', '0')).toBe('/api/users?prefix=a%20b%26&afterId=0&limit=5000');
    expect([201, 200, 504, 0, 500].map((s) => writeOutcome(s, t.workload.write.ack))).toEqual(['ok', 'fail', 'unknown', 'unknown', 'fail']);
  });
});

describe('feature checks as data (pass/fail pairs on a real server)', () => {
  let url: string;
  let server: http.Server;
  const answers = new Map<string, { status: number; body: unknown; headers?: Record<string, string> }>();
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const a = answers.get(req.url ?? '') ?? { status: 404, body: { error: 'no route' } };
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const target = (features: TargetProfile['features'], identity: TargetProfile['identity'] = {}) =>
    ({ ...defineTarget({ name: 't', description: 't', health: { path: '/h', reflectsDatabase: true }, reads: ['/h'], workload: REF_WORKLOAD, features: [{ id: 'x', title: 'x', path: '/h', status: 200 }], ...MINIMAL_RUN }), features, identity }) as TargetProfile;
  const spec = (over: Partial<TargetProfile['features'][number]>) => ({ id: 'f', title: 'f', method: 'GET' as const, path: '/f', status: 200, json: [], namesEngine: false, show: [], ...over });

  it('status: 400 expected and answered passes; 500 fails with both in the evidence', async () => {
    answers.set('/f', { status: 400, body: { error: 'unknown platform' } });
    const f = spec({ status: 400, show: ['error'] });
    expect((await runFeature(f, target([f]), url, 'sqlite')).passed).toBe(true);
    answers.set('/f', { status: 500, body: {} });
    const r = await runFeature(f, target([f]), url, 'sqlite');
    expect(r.passed).toBe(false);
    expect(r.evidence).toMatch(/^HTTP 500 error=- in \d+ ms: status 500 \(expected 400\)$/);
    // The answer it got, for the functionality verdict's causes; a passing check keeps none.
    expect(r.answer).toEqual({ request: 'GET /f', status: 500, body: '{}' });
  });

  it('assertions: equals, type and length hold or name the value found', async () => {
    const f = spec({ json: [{ path: 'name', equals: 'github' }, { path: 'enabled', type: 'boolean' }, { path: 'tools.length', equals: 3 }] });
    answers.set('/f', { status: 200, body: { name: 'github', enabled: false, tools: [1, 2, 3] } });
    expect((await runFeature(f, target([f]), url, 'sqlite')).passed).toBe(true);
    answers.set('/f', { status: 200, body: { name: 'gitlab', enabled: 'yes', tools: [1] } });
    const r = await runFeature(f, target([f]), url, 'sqlite');
    expect(r.passed).toBe(false);
    expect(r.evidence).toContain('name="gitlab" (expected "github"); enabled is string (expected boolean); tools.length=1 (expected 3)');
  });

  it('namesEngine: the engine header must name the expected engine; an app naming none fails such a check', async () => {
    const f = spec({ namesEngine: true });
    answers.set('/f', { status: 200, body: {}, headers: { 'x-engine': 'sqlite' } });
    expect((await runFeature(f, target([f], { engineHeader: 'x-engine' }), url, 'sqlite')).passed).toBe(true);
    const wrong = await runFeature(f, target([f], { engineHeader: 'x-engine' }), url, 'postgres');
    expect(wrong.passed).toBe(false);
    expect(wrong.evidence).toContain('engine sqlite (expected postgres)');
    expect((await runFeature(f, target([f]), url, 'sqlite')).evidence).toContain('engine not named (expected sqlite)');
  });
});

const MINIMAL_RUN = {
  app: { image: 't:1', port: 8080, env: { sqlitePath: 'DB_FILE' } },
  baseline: [{ name: 'seed', command: ['t-cli', 'seed'], says: 'seeding' }],
  mapping: { tables: ['kv'] },
};

const REF_WORKLOAD = {
  model: 'set' as const,
  key: '{{prefix}}{{n}}',
  write: { method: 'PUT' as const, path: '/k/{{key}}', ack: [204] },
  readBack: { api: { path: '/k?p={{prefix}}&c={{cursor}}', items: 'items', key: 'k', next: 'next' }, sqlite: { table: 'kv', column: 'k' }, postgres: { table: 'kv', column: 'k' } },
};
