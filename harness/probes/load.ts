// Load probe: autocannon against a mix of the app's read endpoints through the service URL.
// Every response's latency is kept (raw samples file + an HDR histogram), so p50…p99 and max are
// computed from what was measured, not from autocannon's bucketed summary.
import { createWriteStream } from 'node:fs';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';

/** The read mix: what users hit after a rollback (health, tools, rate limits, users). */
export const READ_MIX = [
  '/api/health',
  '/api/tools/enabled',
  '/api/tools/github',
  '/api/rate-limit/github',
  '/api/users/count',
  '/api/tools/gitlab',
  '/api/rate-limit/jira',
] as const;

export interface LoadOptions {
  baseUrl: string;
  durationSec: number;
  connections: number;
  /** `baseline` (before the fault), `faulted` (fault in place), `after` (after the rollback). */
  phase: string;
  paths?: readonly string[];
  /** Raw samples as JSONL ({t, latencyMs, status}); kept for the report's timeline. */
  samplesFile?: string;
  timeoutSec?: number;
  signal?: AbortSignal;
}

export interface LoadSummary {
  phase: string;
  requests: number;
  durationMs: number;
  rps: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses by the engine that served them (x-db-engine). */
  engines: Record<string, number>;
  connections: number;
  paths: string[];
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const paths = [...(o.paths ?? READ_MIX)];
  // Microseconds, so sub-millisecond answers keep 3 significant digits.
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const engines: Record<string, number> = {};
  const out = o.samplesFile ? createWriteStream(o.samplesFile) : undefined;
  let non2xx = 0;
  let requests = 0;
  let maxMs = 0;
  const started = Date.now();
  let settle!: (r: { err?: Error; result?: autocannon.Result }) => void;
  const finished = new Promise<{ err?: Error; result?: autocannon.Result }>((r) => (settle = r));
  const instance = autocannon(
    {
      url: o.baseUrl,
      connections: o.connections,
      duration: o.durationSec,
      timeout: o.timeoutSec ?? 10,
      requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
      setupClient(client) {
        // autocannon hands over llhttp's parse: { headers: [name, value, name, value, …] }.
        client.on('headers', (info: unknown) => {
          const flat = (info as { headers?: string[] }).headers ?? [];
          const i = flat.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === 'x-db-engine');
          const engine = i >= 0 ? String(flat[i + 1]) : 'none';
          engines[engine] = (engines[engine] ?? 0) + 1;
        });
      },
    },
    (err: Error | null, result: autocannon.Result) => settle(err ? { err } : { result }),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    requests++;
    maxMs = Math.max(maxMs, responseTime);
    histogram.recordValue(Math.max(1, Math.round(responseTime * 1000)));
    if (statusCode < 200 || statusCode >= 300) non2xx++;
    out?.write(`{"t":${Math.round(Date.now() - responseTime)},"latencyMs":${responseTime.toFixed(3)},"status":${statusCode}}\n`);
  });
  const onAbort = () => instance.stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { err, result } = await finished;
    if (err || !result) throw new Error(`load probe could not run: ${err?.message ?? 'no result'}`);
    const durationMs = Date.now() - started;
    // HDR reports a bucket's highest equivalent value: never above the largest raw latency.
    const ms = (p: number) => round(Math.min(histogram.getValueAtPercentile(p) / 1000, maxMs));
    return {
      phase: o.phase,
      requests,
      durationMs,
      rps: round((requests / durationMs) * 1000),
      p50: ms(50),
      p90: ms(90),
      p95: ms(95),
      p99: ms(99),
      max: round(maxMs),
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx,
      engines,
      connections: o.connections,
      paths,
    };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    histogram.destroy();
    if (out) await new Promise<void>((r) => out.end(r));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
