// The open-loop sender: requests at a fixed arrival rate, request i due at start + i / rate,
// whether or not the earlier ones were answered (k6's constant-arrival-rate, wrt2's model). Each
// latency counts from the request's intended send time, so a request the service could not take in
// time counts as late instead of being quietly left out (coordinated omission). A request is late
// when it left more than one interval after it was due, or when every connection was busy (it
// queued). Requests still in flight when the phase ends are waited for, up to the timeout: they are
// the slow tail.
//
// Why not autocannon's overallRate: it is a per-second quota per connection (its client resets a
// counter every second and sends back-to-back until the quota is spent), so the load comes in bursts
// at each second's start, not at a fixed rate.
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Headers, MixSlot } from './load-mix.ts';

export interface OpenLoopOptions {
  baseUrl: string;
  /** Requests per second. */
  rate: number;
  durationSec: number;
  slots: readonly MixSlot[];
  /** The most connections the sender opens (they open as needed). */
  maxConnections: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each answer (or failure: status 0), with its latency from the intended send time and from the actual send. */
  onAnswer(a: OpenLoopAnswer): void;
}

export interface OpenLoopAnswer {
  /** ms since epoch the request was due. */
  intendedAt: number;
  status: number;
  /** From the intended send time to the answer. */
  correctedMs: number;
  /** From the actual send to the answer. */
  latencyMs: number;
  late: boolean;
  headers: Headers;
  error?: string;
}

export interface OpenLoopResult {
  /** Requests sent (answered or not). */
  sent: number;
  /** Of those, answered (any status). */
  answered: number;
  /** From the first send to the last answer (the drain of the requests still in flight included). */
  durationMs: number;
  /** Sent per second of the sending window: what the sender held. */
  sentRate: number;
  /** Answers per second over the answers' window (first to last answer, at least the sending window): what the service took. */
  achievedRate: number;
  late: number;
  /** The most requests in flight at once. */
  maxInFlight: number;
}

export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(o.baseUrl, { connections: o.maxConnections, pipelining: 1, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs, connectTimeout: o.timeoutMs });
  const intervalMs = 1000 / o.rate;
  const inFlight = new Set<Promise<void>>();
  let maxInFlight = 0;
  let late = 0;
  let sent = 0;
  let answered = 0;
  let firstAnswer = Infinity;
  let lastAnswer = 0;
  const perfToEpoch = Date.now() - performance.now();
  const t0 = performance.now();
  const endAt = t0 + o.durationSec * 1000;

  const send = (i: number) => {
    const due = t0 + i * intervalMs;
    const slot = o.slots[i % o.slots.length]!;
    const req = 'read' in slot ? { method: 'GET' as const, path: slot.read } : slot.write();
    const at = performance.now();
    const isLate = at - due > Math.max(intervalMs, 2) || inFlight.size >= o.maxConnections;
    if (isLate) late++;
    sent++;
    const p = pool
      .request({ method: req.method, path: req.path, ...(req.body === undefined ? {} : { body: req.body, headers: { 'content-type': 'application/json' } }) })
      .then(async (res) => {
        const body = await res.body.text();
        const end = performance.now();
        answered++;
        firstAnswer = Math.min(firstAnswer, end);
        lastAnswer = Math.max(lastAnswer, end);
        req.answered?.(res.statusCode, body, res.headers);
        o.onAnswer({ intendedAt: Math.round(due + perfToEpoch), status: res.statusCode, correctedMs: end - due, latencyMs: end - at, late: isLate, headers: res.headers });
      })
      .catch((err: Error) => {
        const end = performance.now();
        o.onAnswer({ intendedAt: Math.round(due + perfToEpoch), status: 0, correctedMs: end - due, latencyMs: end - at, late: isLate, headers: {}, error: err.message });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
  };

  // One listener for the whole phase (not one per request): an abort ends every request in flight.
  const onAbort = () => void pool.destroy().catch(() => undefined);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let next = 0;
    while (!o.signal?.aborted) {
      const now = performance.now();
      if (now >= endAt) break;
      // Every request due by now goes out now (a timer that fired late sends its backlog at once, each counted late).
      const due = Math.min(Math.floor((now - t0) / intervalMs), Math.ceil((endAt - t0) / intervalMs) - 1);
      for (; next <= due; next++) send(next);
      await sleep(Math.max(0, t0 + next * intervalMs - performance.now()));
    }
    const sendingMs = performance.now() - t0;
    await Promise.allSettled([...inFlight]);
    const durationMs = Math.max(sendingMs, lastAnswer - t0);
    const perSec = (n: number, ms: number) => (ms > 0 ? Math.round((n / ms) * 1000 * 100) / 100 : 0);
    // The answers' own window (first to last answer), never shorter than the sending one: a service
    // that answers every request 150 ms late still takes the full rate; one that drains a queue for
    // seconds after the sending stopped does not.
    const answerWindow = Math.max(sendingMs, answered > 0 ? lastAnswer - firstAnswer : 0);
    return { sent, answered, durationMs, sentRate: perSec(sent, sendingMs), achievedRate: perSec(answered, answerWindow), late, maxInFlight };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.destroy().catch(() => undefined);
  }
}
