// The latency proxy through the real bin: a round trip through it takes at least the latency twice
// (once each way), measured against a direct round trip to the same echo server.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILL_DATA } from '../test-support/cli.ts';
import { ProxyReadySchema } from './result.ts';

let echo: net.Server;
let echoPort: number;

beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => echo.close(() => r())));

/** Median of 5 round trips of a small message on one connection. */
async function roundTripMs(port: number): Promise<number> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const got = new Promise((r) => s.once('data', r));
    s.write(`ping ${i}`);
    await got;
    times.push(performance.now() - t0);
  }
  s.destroy();
  return times.sort((a, b) => a - b)[2]!;
}

describe('drill-data proxy', () => {
  it('adds the latency it says, each way', async () => {
    const latency = 120;
    const child = spawn(DRILL_DATA, ['proxy', '--listen', '0', '--to', `127.0.0.1:${echoPort}`, '--latency-ms', String(latency), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`proxy exited ${code}`)));
      });
      const ready = ProxyReadySchema.parse(JSON.parse(line));
      expect(ready.latencyMs).toBe(latency);
      const direct = await roundTripMs(echoPort);
      const proxied = await roundTripMs(ready.listen.port);
      expect(proxied, `direct ${direct.toFixed(1)} ms, proxied ${proxied.toFixed(1)} ms`).toBeGreaterThanOrEqual(2 * latency);
      expect(direct).toBeLessThan(latency);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('a bad --to is exit 2 in one line', async () => {
    const child = spawn(DRILL_DATA, ['proxy', '--listen', '0', '--to', 'nowhere', '--latency-ms', '5'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err.trim()).toBe('drill-data proxy: --to must be HOST:PORT (got "nowhere")');
  });
});
