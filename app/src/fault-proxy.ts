// A TCP proxy that delays every chunk in both directions by a fixed latency (order kept): the
// performance-issues fault puts it between the app and PostgreSQL.
import net from 'node:net';

export interface FaultProxy {
  port: number;
  close(): Promise<void>;
  setLatency(ms: number): void;
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

export function startFaultProxy(opts: { listenHost: string; listenPort: number; targetHost: string; targetPort: number; latencyMs: number }): Promise<FaultProxy> {
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
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort, opts.listenHost, () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        setLatency: (ms) => void (latency = ms),
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export function parseHostPort(v: string, what: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(v);
  if (!m || !m[1]) throw new Error(`${what} must be HOST:PORT (got ${JSON.stringify(v)})`);
  return { host: m[1], port: Number(m[2]) };
}
