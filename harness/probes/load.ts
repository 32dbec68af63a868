// Load probe: autocannon against a mix of the app's read endpoints and unique-key writes through
// the service URL. Every response's latency is kept (raw samples file + an HDR histogram), so
// p50…p99 and max are computed from what was measured, not from autocannon's bucketed summary.
// Every write is recorded like a ledger write (ok / fail / unknown, with the pod that answered), so
// the restored engine takes thousands of checked writes per drill, not a few dozen. A target with a
// register workload gets register writes instead: unique values PUT over its fixed keys, each with
// its window, for the register rule (registerWrites).
import { createWriteStream } from 'node:fs';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import type { TargetProfile } from '../model/target-profile.ts';
import type { WriteRecord, LoadSummary, LoadWriteSummary } from '../model/measurements.ts';
import { registerWorkload, registerWriteRequest } from '../kit/register-workload.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import { headerOf, setWorkloadOf, writeId, writeOutcome, writeRequest } from '../kit/workload.ts';

export interface LoadOptions {
  baseUrl: string;
  durationSec: number;
  connections: number;
  /** `baseline` (before the fault), `faulted` (fault in place), `after` (after the rollback). */
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
}

export interface LoadRegisterWrites {
  /** Share of requests that are writes, 0…0.9. */
  ratio: number;
  /** Value prefix: write n writes `<prefix><n>` (unique in the run) to the next key round-robin. */
  prefix: string;
  /** Every write attempted is pushed here with its start; its end and outcome are filled in when (if) it is answered. */
  records: RegisterWriteRecord[];
  /** The keys written round-robin (default: every key of the workload). */
  keys?: readonly string[];
}

export interface LoadWrites {
  /** Share of requests that are writes, 0…0.9. */
  ratio: number;
  /** Key prefix: every write's key starts with it (the profile's key template; checked later in the database itself). */
  prefix: string;
  /** Every write attempted is pushed here, its outcome filled in when (if) it is answered. */
  records: WriteRecord[];
}

/** Interleaves writes evenly into the read paths: a sequence of `slots` requests, reads first. */
export function mixSequence(paths: readonly string[], ratio: number, slots = 20): ({ read: string } | { write: true })[] {
  const w = Math.max(0, Math.min(slots - 1, Math.round(ratio * slots)));
  const out: ({ read: string } | { write: true })[] = [];
  let reads = 0;
  let writes = 0;
  for (let i = 0; i < slots; i++) {
    // Bresenham-style spreading; slot 0 is always a read (autocannon builds the first request once).
    if (i > 0 && writes < Math.floor(((i + 1) * w) / slots)) {
      out.push({ write: true });
      writes++;
    } else out.push({ read: paths[reads++ % paths.length]! });
  }
  return out;
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const paths = [...(o.paths ?? o.target.reads)];
  const engineHeader = o.target.identity.engineHeader;
  if (o.writes && o.registerWrites) throw new Error('runLoad: set writes or register writes, not both');
  const ratio = o.writes?.ratio ?? o.registerWrites?.ratio ?? 0;
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
      requests:
        ratio > 0 && o.writes
          ? mixedRequests(paths, o.writes, o.target)
          : ratio > 0 && o.registerWrites
            ? registerMixedRequests(paths, o.registerWrites, o.target)
            : paths.map((p) => ({ method: 'GET' as const, path: p })),
      setupClient(client) {
        // autocannon hands over llhttp's parse: { headers: [name, value, name, value, …] }.
        client.on('headers', (info: unknown) => {
          const flat = (info as { headers?: string[] }).headers ?? [];
          const i = engineHeader ? flat.findIndex((h, k) => k % 2 === 0 && h.toLowerCase() === engineHeader) : -1;
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
      writeRatio: ratio,
      ...(o.writes && ratio > 0 ? { writes: summarizeWrites(o.writes.records, (w) => w.email, o.writes.prefix) } : {}),
      ...(o.registerWrites && ratio > 0 ? { writes: summarizeWrites(o.registerWrites.records, (w) => w.value, o.registerWrites.prefix) } : {}),
    };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    histogram.destroy();
    if (out) await new Promise<void>((r) => out.end(r));
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

type Ctx = { pending?: WriteRecord; t0?: number };

/**
 * autocannon requests for the mix. A write's body is built per send (setupRequest) with a new key;
 * its answer arrives on the same client (no pipelining), so the client's context pairs the two. A
 * write whose answer never comes (timeout, reset connection) stays `unknown`, as in the ledger.
 */
function mixedRequests(paths: readonly string[], w: LoadWrites, target: TargetProfile): autocannon.Request[] {
  let seq = 0;
  const workload = setWorkloadOf(target, 'the load (set writes)');
  return mixSequence(paths, w.ratio).map((slot) => {
    if ('read' in slot) return { method: 'GET' as const, path: slot.read };
    return {
      method: workload.write.method,
      path: writeRequest(workload, w.prefix, 0, '').path,
      headers: { 'content-type': 'application/json' },
      setupRequest(req: autocannon.Request, context: Ctx) {
        const n = ++seq;
        const write = writeRequest(workload, w.prefix, n, `load ${n}`);
        const rec: WriteRecord = { email: write.key, seq: n, t: Date.now(), latencyMs: 0, outcome: 'unknown', status: 0 };
        w.records.push(rec);
        context.pending = rec;
        context.t0 = performance.now();
        return { ...req, path: write.path, body: write.body };
      },
      onResponse(status: number, body: string, context: Ctx, headers?: Record<string, string | string[]>) {
        const rec = context.pending;
        if (!rec) return;
        context.pending = undefined;
        rec.status = status;
        rec.latencyMs = performance.now() - (context.t0 ?? performance.now());
        rec.outcome = writeOutcome(status, workload.write.ack);
        rec.engine = headerOf(headers, target.identity.engineHeader);
        rec.pod = headerOf(headers, target.identity.podHeader);
        if (rec.outcome === 'ok') rec.id = writeId(workload, body);
      },
    } as autocannon.Request;
  });
}

type RegisterCtx = { pending?: RegisterWriteRecord; t0?: number };

/**
 * The mix for a register target: a write slot PUTs value `<prefix><n>` to the next fixed key. Its
 * window starts when autocannon builds it (setupRequest, just before it is sent) and ends when its
 * answer is parsed: both on the safe side of the real one. Unanswered, it stays unknown (it may
 * still land, at any time: the register rule allows for that).
 */
function registerMixedRequests(paths: readonly string[], w: LoadRegisterWrites, target: TargetProfile): autocannon.Request[] {
  let seq = 0;
  const workload = registerWorkload(target);
  const keys = w.keys ?? workload.keys;
  const first = registerWriteRequest(workload, workload.keys[0]!, `${w.prefix}0`);
  return mixSequence(paths, w.ratio).map((slot) => {
    if ('read' in slot) return { method: 'GET' as const, path: slot.read };
    return {
      method: first.method,
      path: first.path,
      headers: { 'content-type': 'application/json' },
      setupRequest(req: autocannon.Request, context: RegisterCtx) {
        const n = ++seq;
        const key = keys[(n - 1) % keys.length]!;
        const value = `${w.prefix}${n}`;
        const write = registerWriteRequest(workload, key, value);
        const startedAt = Date.now();
        const rec: RegisterWriteRecord = { key, value, seq: n, startedAt, endedAt: startedAt, outcome: 'unknown', status: 0, latencyMs: 0 };
        w.records.push(rec);
        context.pending = rec;
        context.t0 = performance.now();
        return { ...req, method: write.method, path: write.path, body: write.body };
      },
      onResponse(status: number, _body: string, context: RegisterCtx, headers?: Record<string, string | string[]>) {
        const rec = context.pending;
        if (!rec) return;
        context.pending = undefined;
        rec.endedAt = Date.now();
        rec.status = status;
        rec.latencyMs = performance.now() - (context.t0 ?? performance.now());
        rec.outcome = writeOutcome(status, workload.write.ack);
        const pod = headerOf(headers, target.identity.podHeader);
        if (pod !== undefined) rec.pod = pod;
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
