// A Service port on 127.0.0.1. HTTP ports: a reverse proxy that picks, per request and
// round-robin, a ready endpoint of the Service's current selector (a selector patch is effective
// for the very next request; no endpoint → 503 at once). Other ports (postgres): a TCP proxy that
// picks a ready endpoint per connection, as kube-proxy does.
import http from 'node:http';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Agent } from 'undici';

export interface Endpoint {
  pod: string;
  port: number;
}

/** Endpoints of the Service port right now (ready, not terminating, matching the current selector). */
export type EndpointSource = () => Endpoint[];

export interface ServicePortProxy {
  readonly protocol: 'http' | 'tcp';
  readonly localPort: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Header exposing which pod answered (local platform only; probes use it to attribute responses). */
export const ENDPOINT_HEADER = 'x-local-endpoint';

function jsonError(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startHttpProxy(service: string, endpoints: EndpointSource): Promise<ServicePortProxy> {
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 10_000, connections: 128, headersTimeout: 300_000, bodyTimeout: 300_000 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const eps = endpoints();
    if (eps.length === 0) {
      jsonError(res, 503, { error: 'no ready endpoints', service });
      req.resume();
      return;
    }
    const ep = eps[next++ % eps.length]!;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    const fwd = req.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-for'] = typeof headers['x-forwarded-for'] === 'string' ? `${headers['x-forwarded-for']}, ${fwd}` : fwd;
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
    agent
      .request({
        origin: `http://127.0.0.1:${ep.port}`,
        path: req.url ?? '/',
        method: (req.method ?? 'GET') as 'GET',
        headers,
        body: hasBody ? req : undefined,
        signal: abort.signal,
      })
      .then(async (up) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        out[ENDPOINT_HEADER] = ep.pod;
        res.writeHead(up.statusCode, out);
        await pipeline(up.body, res);
      })
      .catch((err: Error & { code?: string }) => {
        if (abort.signal.aborted) return;
        jsonError(res, 502, { error: 'bad gateway', service, endpoint: ep.pod, cause: err.code ?? err.message });
      });
  });
  server.keepAliveTimeout = 5000;
  const sockets = new Sockets();
  server.on('connection', (s) => sockets.track(s));
  const localPort = await listen(server);
  return {
    protocol: 'http',
    localPort,
    async close() {
      await sockets.closeServer(server);
      await agent.destroy().catch(() => undefined);
    },
  };
}

export async function startTcpProxy(_service: string, endpoints: EndpointSource): Promise<ServicePortProxy> {
  let next = 0;
  const sockets = new Sockets();
  const track = (s: net.Socket) => sockets.track(s);
  const server = net.createServer((client) => {
    track(client);
    const eps = endpoints();
    if (eps.length === 0) {
      client.destroy(); // like a Service without endpoints: connection refused/reset
      return;
    }
    const ep = eps[next++ % eps.length]!;
    const upstream = net.connect({ host: '127.0.0.1', port: ep.port });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const done = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', done);
    upstream.once('error', done);
    client.once('close', done);
    upstream.once('close', done);
  });
  const localPort = await listen(server);
  return {
    protocol: 'tcp',
    localPort,
    close: () => sockets.closeServer(server),
  };
}

/** A proxy's open sockets, destroyed on close so a close never waits on a kept-alive connection. */
class Sockets {
  private readonly open = new Set<net.Socket>();

  track(s: net.Socket): void {
    this.open.add(s);
    s.once('close', () => this.open.delete(s));
  }

  async closeServer(server: net.Server): Promise<void> {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of this.open) s.destroy();
    await closed;
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve((server.address() as net.AddressInfo).port));
  });
}
