// A health check reads what the profile says the app names (header, body field, or nothing) at the
// profile's path, against a real HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredHealthy, healthCheck, type HealthTarget } from './health.ts';

let server: http.Server;
let url: string;
const answers: Record<string, { status: number; type: string; body: string; headers?: Record<string, string> }> = {
  '/hz': { status: 200, type: 'text/plain', body: 'ok' },
  '/json-body': { status: 200, type: 'application/json', body: '{"status":"healthy","db":"sqlite"}' },
  '/header': { status: 200, type: 'application/json', body: '{"status":"healthy","db":"sqlite"}', headers: { 'x-engine': 'postgres' } },
  '/degraded': { status: 200, type: 'application/json', body: '{"status":"degraded"}' },
  '/down': { status: 503, type: 'text/plain', body: 'down' },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const a = answers[req.url ?? ''] ?? { status: 404, type: 'text/plain', body: '' };
    res.writeHead(a.status, { 'content-type': a.type, ...a.headers }).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const at = (path: string, identity: HealthTarget['identity'] = {}): HealthTarget => ({ health: { path, reflectsDatabase: true }, identity });

describe('healthCheck', () => {
  it("asks the profile's path; the engine comes from its header first, then its body field, else none", async () => {
    expect((await healthCheck(url, 2_000, at('/header', { engineHeader: 'x-engine', engineBodyField: 'db' }))).engine).toBe('postgres');
    expect((await healthCheck(url, 2_000, at('/json-body', { engineHeader: 'x-engine', engineBodyField: 'db' }))).engine).toBe('sqlite');
    expect((await healthCheck(url, 2_000, at('/header'))).engine).toBeUndefined();
  });

  it('healthy: 200, and a JSON status, when there is one, says healthy', async () => {
    const h = async (p: string) => answeredHealthy(await healthCheck(url, 2_000, at(p)));
    expect(await h('/hz')).toBe(true);
    expect(await h('/json-body')).toBe(true);
    expect(await h('/degraded')).toBe(false);
    expect(await h('/down')).toBe(false);
    expect(answeredHealthy(await healthCheck('http://127.0.0.1:9', 500, at('/hz')))).toBe(false);
  });
});
