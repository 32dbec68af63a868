// Load probe: a mix of the app's read endpoints and unique-key (or register) writes through the
// service URL (load-mix.ts), sent one of two ways:
//  - closed loop (autocannon, N connections each sending its next request when the last is
//    answered): the most the service takes, its capacity. The baseline and the capacity bursts;
//  - open loop at a fixed arrival rate (open-loop.ts): the load after the fault, so a slower service
//    meets the same traffic instead of slowing the load down with it. Its latencies count from each
//    request's intended send time (coordinated omission corrected), beside the latency from the
//    actual send.
// Every response's latency is kept (raw samples file + HDR histograms), so p50…p99 and max are
// computed from what was measured, not from autocannon's bucketed summary. Every write is recorded
// like a ledger write, so the restored engine takes thousands of checked writes per drill.
import { createWriteStream } from 'node:fs';
import autocannon from 'autocannon';
import type { TargetProfile } from '../model/target-profile.ts';
import type { WriteRecord, LoadSummary, LoadWriteSummary } from '../model/measurements.ts';
import { headerOf } from '../kit/workload.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import { loadMix, type LoadRegisterWrites, type LoadWrites, type MixRequest, type MixSlot } from './load-mix.ts';
import { runOpenLoop } from './open-loop.ts';

export { mixSequence, type LoadRegisterWrites, type LoadWrites } from './load-mix.ts';

export interface LoadOptions {
  baseUrl: string;
  durationSec: number;
  /** Closed loop: the connections (an open-loop phase opens what its rate needs, up to MAX_OPEN_LOOP_CONNECTIONS). */
  connections: number;
  /** `baseline` (before the fault), `faulted` (fault in place), `after` (after the rollback), `capacityBefore`, `capacityAfter`. */
  phase: string;
  /** The app under drill: its read mix (`reads`), its write request and the headers it names itself by. */
  target: TargetProfile;
  /** Read paths (default: the profile's `reads`). */
  paths?: readonly string[];
  /** Raw samples as JSONL ({t, latencyMs, status}); kept for the report's timeline. */
  samplesFile?: string;
  timeoutSec?: number;
  signal?: AbortSignal;
  /** Unique-key writes in the mix: this share of all requests (0 → reads only). */
  writes?: LoadWrites;
  /** Or register writes (a register target): this share of all requests. */
  registerWrites?: LoadRegisterWrites;
  /** An open-loop phase at this many requests per second, and where the figure came from; absent: closed loop. */
  rate?: { target: number; source: string };
}

/** The open-loop sender opens connections as requests need them, up to this many. */
export const MAX_OPEN_LOOP_CONNECTIONS = 1024;

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const paths = [...(o.paths ?? o.target.reads)];
  const engineHeader = o.target.identity.engineHeader;
  const slots = loadMix(paths, o.target, { writes: o.writes, registerWrites: o.registerWrites });
  const ratio = o.writes?.ratio ?? o.registerWrites?.ratio ?? 0;
  const rec = new LatencyRecorder();
  const engines: Record<string, number> = {};
  const countEngine = (engine: string | undefined) => {
    engines[engine ?? 'none'] = (engines[engine ?? 'none'] ?? 0) + 1;
  };
  const out = o.samplesFile ? createWriteStream(o.samplesFile) : undefined;
  const sample = (t: number, latencyMs: number, status: number) => out?.write(`{"t":${Math.round(t)},"latencyMs":${latencyMs.toFixed(3)},"status":${status}}\n`);
  try {
    const common = { phase: o.phase, paths, writeRatio: ratio, engines };
    // Built after the phase: the writes' outcomes are all in.
    const writes = () => (o.writes && ratio > 0 ? { writes: summarizeWrites(o.writes.records, (w) => w.email, o.writes.prefix) } : o.registerWrites && ratio > 0 ? { writes: summarizeWrites(o.registerWrites.records, (w) => w.value, o.registerWrites.prefix) } : {});
    if (o.rate) {
      let errors = 0;
      const r = await runOpenLoop({
        baseUrl: o.baseUrl,
        rate: o.rate.target,
        durationSec: o.durationSec,
        slots,
        maxConnections: MAX_OPEN_LOOP_CONNECTIONS,
        timeoutMs: (o.timeoutSec ?? 10) * 1000,
        signal: o.signal,
        onAnswer(a) {
          // No answer (status 0) is an error, not a non-2xx answer.
          rec.record(a.latencyMs, a.correctedMs, a.status === 0 ? undefined : a.status);
          if (a.status === 0) errors++;
          else countEngine(headerOf(a.headers, engineHeader));
          sample(a.intendedAt, a.correctedMs, a.status);
        },
      });
      o.signal?.throwIfAborted();
      return {
        ...common,
        ...rec.summary(),
        requests: r.answered,
        durationMs: Math.round(r.durationMs),
        rps: r.achievedRate,
        errors,
        timeouts: 0,
        non2xx: rec.non2xx,
        connections: r.maxInFlight,
        generator: 'open-loop',
        rate: { target: o.rate.target, source: o.rate.source, sent: r.sentRate, achieved: r.achievedRate, late: r.late, lateShare: r.sent ? round(r.late / r.sent) : 0 },
        ...writes(),
      };
    }
    const r = await closedLoop(o, slots, countEngine, (status, latencyMs) => {
      rec.record(latencyMs, undefined, status);
      sample(Date.now() - latencyMs, latencyMs, status);
    });
    return {
      ...common,
      ...rec.summary(),
      requests: rec.count,
      durationMs: r.durationMs,
      rps: round((rec.count / r.durationMs) * 1000),
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: rec.non2xx,
      connections: o.connections,
      generator: 'closed-loop',
      ...writes(),
    };
  } finally {
    rec.destroy();
    if (out) await new Promise<void>((r) => out.end(r));
  }
}

/** autocannon, closed loop: `connections` clients, each sending its next request when the last is answered. */
async function closedLoop(
  o: LoadOptions,
  slots: readonly MixSlot[],
  onEngine: (engine: string | undefined) => void,
  onResponse: (status: number, latencyMs: number) => void,
): Promise<{ durationMs: number; errors: number; timeouts: number }> {
  const engineHeader = o.target.identity.engineHeader;
  const started = Date.now();
  let settle!: (r: { err?: Error; result?: autocannon.Result }) => void;
  const finished = new Promise<{ err?: Error; result?: autocannon.Result }>((r) => (settle = r));
  const instance = autocannon(
    {
      url: o.baseUrl,
      connections: o.connections,
      duration: o.durationSec,
      timeout: o.timeoutSec ?? 10,
      requests: autocannonRequests(slots),
      setupClient(client) {
        // autocannon hands over llhttp's parse: { headers: [name, value, name, value, …] }.
        // One lookup per answer on the hot path, no header object built.
        client.on('headers', (info: unknown) => {
          const flat = (info as { headers?: string[] }).headers ?? [];
          const i = engineHeader ? flat.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === engineHeader) : -1;
          onEngine(i >= 0 ? String(flat[i + 1]) : undefined);
        });
      },
    },
    (err: Error | null, result: autocannon.Result) => settle(err ? { err } : { result }),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => onResponse(statusCode, responseTime));
  const onAbort = () => instance.stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { err, result } = await finished;
    if (err || !result) throw new Error(`load probe could not run: ${err?.message ?? 'no result'}`);
    return { durationMs: Date.now() - started, errors: result.errors, timeouts: result.timeouts };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

type Ctx = { pending?: MixRequest };

/**
 * The mix as autocannon requests. A write is built per send (setupRequest); its answer arrives on
 * the same client (no pipelining), so the client's context pairs the two. A write whose answer never
 * comes (timeout, reset connection) stays `unknown`, as in the ledger.
 */
function autocannonRequests(slots: readonly MixSlot[]): autocannon.Request[] {
  return slots.map((slot) => {
    if ('read' in slot) return { method: 'GET' as const, path: slot.read };
    return {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/json' },
      setupRequest(req: autocannon.Request, context: Ctx) {
        const m = slot.write();
        context.pending = m;
        return { ...req, method: m.method, path: m.path, body: m.body };
      },
      onResponse(status: number, body: string, context: Ctx, headers?: Record<string, string | string[]>) {
        const m = context.pending;
        context.pending = undefined;
        m?.answered?.(status, body, headers ?? {});
      },
    } as autocannon.Request;
  });
}

/**
 * What the writes of one load phase came to: set writes (filtered by their key's prefix) or register
 * writes (by their value's), in one shape; okByPod `?` when the app names no pod.
 */
export function summarizeWrites<R extends { outcome: WriteRecord['outcome']; pod?: string }>(records: readonly R[], id: (r: R) => string, prefix?: string): LoadWriteSummary {
  const s: LoadWriteSummary = { attempted: 0, ok: 0, fail: 0, unknown: 0, okByPod: {} };
  for (const r of records) {
    if (prefix && !id(r).startsWith(prefix)) continue;
    s.attempted++;
    s[r.outcome]++;
    if (r.outcome === 'ok') s.okByPod[r.pod ?? '?'] = (s.okByPod[r.pod ?? '?'] ?? 0) + 1;
  }
  return s;
}
