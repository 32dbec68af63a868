// Availability prober: GET the target's health path through the service every 50–100 ms (jittered), every
// answer recorded with its time, status, latency and the engine/pod that served it.
import type { Sample, AvailabilitySummary } from '../model/measurements.ts';

// Open loop: a request starts on schedule whether or not earlier ones have answered, so a hanging
// service does not slow the sampling down. An answer later than the health timeout (2 s) is a failed
// health check, but the request goes on (up to 10 s) so its real latency is known: that is what the
// runbook's "response time > 5 s" trigger needs.
import { Agent, request } from 'undici';
import type { TargetProfile } from '../model/target-profile.ts';
export const isHealthy = (s: Sample) => s.status === 200;

/** The engine a sample is judged on: what the app says, else where the Service routed. */
export const engineOf = (s: Sample): string | undefined => s.engine ?? s.route;

export interface AvailabilityOptions {
  baseUrl: string;
  intervalMs?: [number, number];
  /** An answer later than this is a failed health check. */
  timeoutMs?: number;
  /** A request without an answer is given up after this (its latency is then this). */
  giveUpMs?: number;
  /** Requests in flight at most (the schedule waits beyond it). */
  maxInFlight?: number;
  /** The health path, and the header/body field/header by which the app names its engine and pod (if it does). */
  target: Pick<TargetProfile, 'health' | 'identity'>;
  onSample?: (s: Sample) => void;
}

export class AvailabilityProbe implements AsyncDisposable {
  readonly samples: Sample[] = [];
  readonly #agent: Agent;
  readonly #opts: Required<Omit<AvailabilityOptions, 'onSample'>> & Pick<AvailabilityOptions, 'onSample'>;
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop?: Promise<void>;
  #timer?: NodeJS.Timeout;
  #wake?: () => void;

  constructor(opts: AvailabilityOptions) {
    this.#opts = { intervalMs: [50, 100], timeoutMs: 2_000, giveUpMs: 10_000, maxInFlight: 128, ...opts };
    this.#opts.giveUpMs = Math.max(this.#opts.giveUpMs, this.#opts.timeoutMs);
    this.#agent = new Agent({ keepAliveTimeout: 2_000, connections: this.#opts.maxInFlight });
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#loop = this.#run();
    return this;
  }

  async #run(): Promise<void> {
    const [lo, hi] = this.#opts.intervalMs;
    const url = this.#opts.baseUrl + this.#opts.target.health.path;
    while (this.#running) {
      const p = probeOnce(this.#agent, url, this.#opts.target.identity, this.#opts.timeoutMs, this.#opts.giveUpMs).then((s) => {
        this.samples.push(s);
        this.#opts.onSample?.(s);
      });
      this.#inFlight.add(p);
      void p.finally(() => this.#inFlight.delete(p));
      if (this.#inFlight.size >= this.#opts.maxInFlight) await Promise.race(this.#inFlight);
      if (!this.#running) break;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, lo + Math.random() * (hi - lo));
      });
    }
    await Promise.all(this.#inFlight);
  }

  /** Stops sampling; waits for the requests in flight (the give-up time at most). Samples in start order. */
  async stop(): Promise<Sample[]> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#wake?.();
    await this.#loop;
    this.samples.sort((a, b) => a.t - b.t);
    return this.samples;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await this.#agent.close();
  }
}

export async function probeOnce(agent: Agent, url: string, identity: TargetProfile['identity'], timeoutMs: number, giveUpMs = timeoutMs): Promise<Sample> {
  const t = Date.now();
  const t0 = performance.now();
  try {
    const res = await request(url, { dispatcher: agent, headersTimeout: giveUpMs, bodyTimeout: giveUpMs, signal: AbortSignal.timeout(giveUpMs) });
    const body = await res.body.text();
    const latencyMs = performance.now() - t0;
    let engine = identity.engineHeader ? header(res.headers[identity.engineHeader]) : undefined;
    if (!engine && identity.engineBodyField) {
      try {
        const v = (JSON.parse(body) as Record<string, unknown>)[identity.engineBodyField];
        engine = typeof v === 'string' ? v : undefined;
      } catch {
        /* not JSON */
      }
    }
    const pod = identity.podHeader ? header(res.headers[identity.podHeader]) : undefined;
    if (latencyMs > timeoutMs) {
      return { t, status: 0, latencyMs, lateStatus: res.statusCode, engine, pod, error: `no answer within ${timeoutMs} ms (HTTP ${res.statusCode} after ${Math.round(latencyMs)} ms)` };
    }
    return { t, status: res.statusCode, latencyMs, engine, pod };
  } catch (err) {
    return { t, status: 0, latencyMs: performance.now() - t0, error: (err as Error).message };
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function summarize(samples: readonly Sample[]): AvailabilitySummary {
  const failedIdx = samples.map((s, i) => (isHealthy(s) ? -1 : i)).filter((i) => i >= 0);
  let longest = { count: 0, ms: 0 };
  let unavailableMs = 0;
  for (let i = 0; i < samples.length; ) {
    if (isHealthy(samples[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < samples.length && !isHealthy(samples[j + 1]!)) j++;
    const end = samples[j + 1]?.t ?? samples[j]!.t + samples[j]!.latencyMs;
    const ms = end - samples[i]!.t;
    unavailableMs += ms;
    if (j - i + 1 > longest.count) longest = { count: j - i + 1, ms };
    i = j + 1;
  }
  const first = failedIdx[0];
  const last = failedIdx[failedIdx.length - 1];
  const downtimeStart = first !== undefined ? samples[first]!.t : undefined;
  const recovery = last !== undefined ? samples[last + 1] : undefined;
  const downtimeEnd = last !== undefined ? (recovery?.t ?? samples[last]!.t + samples[last]!.latencyMs) : undefined;
  const engines: Record<string, number> = {};
  const firstSeen: { engine: string; t: number }[] = [];
  const lastSeen = new Map<string, number>();
  let fromApp = 0;
  let fromRoute = 0;
  // The Service routing to pods of several engines at once ('mixed'): first and last such answer.
  let routeMixed: [number, number] | undefined;
  for (const s of samples) {
    const engine = engineOf(s);
    if (!engine || !isHealthy(s)) continue;
    if (s.engine) fromApp++;
    else fromRoute++;
    engines[engine] = (engines[engine] ?? 0) + 1;
    if (engine === 'mixed') {
      routeMixed = [routeMixed?.[0] ?? s.t, s.t];
      continue;
    }
    if (!firstSeen.some((f) => f.engine === engine)) firstSeen.push({ engine, t: s.t });
    lastSeen.set(engine, s.t);
  }
  let mixedEngineMs = routeMixed ? routeMixed[1] - routeMixed[0] : 0;
  if (firstSeen.length >= 2) {
    // Overlap of the [first, last] answer windows of the first two engines seen.
    const [a, b] = firstSeen;
    mixedEngineMs = Math.max(mixedEngineMs, Math.min(lastSeen.get(a!.engine)!, lastSeen.get(b!.engine)!) - Math.max(a!.t, b!.t));
  }
  const lat = samples.filter(isHealthy).map((s) => s.latencyMs).sort((x, y) => x - y);
  return {
    total: samples.length,
    failed: failedIdx.length,
    errorRate: samples.length ? failedIdx.length / samples.length : 0,
    downtimeMs: downtimeStart !== undefined && downtimeEnd !== undefined ? downtimeEnd - downtimeStart : 0,
    downtimeStart,
    downtimeEnd,
    unavailableMs,
    longestFailureRun: longest,
    engines,
    engineFirstSeen: firstSeen,
    mixedEngineMs,
    p99LatencyMs: lat.length ? lat[Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)]! : 0,
    lastAt: samples.length ? samples[samples.length - 1]!.t : undefined,
    engineFrom: fromApp && fromRoute ? 'mixed' : fromApp ? 'app' : fromRoute ? 'route' : 'none',
  };
}

/**
 * Time to restore: from `from` to the start of the first run of `consecutive` healthy answers on
 * `engine` (what the app says, else where the Service routed: engineOf) after which no answer fails.
 * undefined when the service never got there.
 */
export function timeToRestore(samples: readonly Sample[], from: number, engine: string, consecutive = 5): number | undefined {
  const after = samples.filter((s) => s.t >= from);
  let streakStart: number | undefined;
  let streak = 0;
  let restoredAt: number | undefined;
  for (const s of after) {
    if (isHealthy(s) && engineOf(s) === engine) {
      if (streak === 0) streakStart = s.t;
      streak++;
      if (streak >= consecutive && restoredAt === undefined) restoredAt = streakStart;
    } else {
      streak = 0;
      restoredAt = undefined;
    }
  }
  return restoredAt === undefined ? undefined : restoredAt - from;
}
