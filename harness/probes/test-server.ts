// A small real HTTP server for probe tests, with the app's contract and knobs to misbehave:
// fail health, change engine, slow down, acknowledge writes it then loses, duplicate writes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer extends AsyncDisposable {
  url: string;
  state: {
    healthy: boolean;
    engine: string;
    delayMs: number;
    /** The next k acknowledged writes are not stored. */
    dropNext: number;
    /** The next k writes are stored twice. */
    duplicateNext: number;
    /** Writes hang (never answered) while true. */
    hangWrites: boolean;
    users: { id: number; email: string }[];
  };
}

export async function startTestServer(): Promise<TestServer> {
  const state: TestServer['state'] = { healthy: true, engine: 'postgres', delayMs: 0, dropNext: 0, duplicateNext: 0, hangWrites: false, users: [] };
  let nextId = 1;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      const s = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'x-db-engine': state.engine, 'x-pod-name': 'test' });
      res.end(s);
    };
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    if (url.pathname === '/api/health') return state.healthy ? send(200, { status: 'healthy', engine: state.engine }) : send(503, { status: 'unhealthy' });
    if (url.pathname === '/api/users' && req.method === 'POST') {
      let raw = '';
      for await (const c of req) raw += c;
      if (state.hangWrites) return; // never answered
      if (!state.healthy) return send(503, { error: 'down' });
      const { email } = JSON.parse(raw) as { email: string };
      const id = nextId++;
      if (state.dropNext > 0) state.dropNext--;
      else {
        state.users.push({ id, email });
        if (state.duplicateNext > 0) {
          state.duplicateNext--;
          state.users.push({ id: nextId++, email });
        }
      }
      return send(201, { id, email });
    }
    if (url.pathname === '/api/users' && req.method === 'GET') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const afterId = Number(url.searchParams.get('afterId') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      const users = state.users.filter((u) => u.email.startsWith(prefix) && u.id > afterId).sort((a, b) => a.id - b.id).slice(0, limit);
      return send(200, { users, nextAfterId: users.length === limit ? users[users.length - 1]!.id : null });
    }
    send(404, { error: 'no route' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
