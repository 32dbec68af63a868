// The latency proxy: a TCP relay that delays every chunk in both directions by a fixed latency
// (order kept), put between an app and its PostgreSQL to inject the performance fault.
import net from 'node:net';

export interface LatencyProxy extends AsyncDisposable {
  host: string;
  port: number;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

function delayedPipe(from: net.Socket, to: net.Socket, latency: () => number): void {
  from.on('data', (chunk) => {
    const ms = latency();
    if (ms <= 0) to.write(chunk);
    else setTimeout(() => to.writable && to.write(chunk), ms);
  });
  from.on('end', () => setTimeout(() => to.end(), latency()));
  from.on('error', () => to.destroy());
}

export function startLatencyProxy(opts: { listenHost?: string; listenPort: number; targetHost: string; targetPort: number; latencyMs: number }): Promise<LatencyProxy> {
  let latency = opts.latencyMs;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(opts.targetPort, opts.targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayedPipe(client, upstream, () => latency);
    delayedPipe(upstream, client, () => latency);
  });
  const host = opts.listenHost ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort, host, () => {
      const close = () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        });
      resolve({ host, port: (server.address() as net.AddressInfo).port, setLatency: (ms) => void (latency = ms), close, [Symbol.asyncDispose]: close });
    });
  });
}

export function parseHostPort(v: string, what: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new Error(`${what} must be HOST:PORT (got ${JSON.stringify(v)})`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}
