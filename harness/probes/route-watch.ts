// Route watch: which engines the app Service routes to, judged from the outside. An app that names no
// engine in its answers (settings-app: `identity: {}`) can still be timed to "restored on SQLite" and
// can still fire "PostgreSQL unavailable": the platform knows which ready pods the Service's selector
// matches and what engine each was configured with (the profile's engine env var).
// It polls getService → spec.selector → listPods (ready pods only) every ~100 ms and keeps only the
// changes. Platform errors while polling are counted, never thrown into the drill.
import type { V1Pod } from '@kubernetes/client-node';
import type { Platform } from '../model/platform.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import type { Sample } from '../model/measurements.ts';

/** 'postgres' | 'sqlite' | `unknown:<raw value>` (an undeclared engine value) | 'unknown' (no such env var). */
export type RoutedEngine = string;

export interface RouteChange {
  /** When the poll that saw this state answered, ms since epoch. */
  t: number;
  /** Ready routed pods per engine ({} when the Service routes to none). */
  engines: Record<RoutedEngine, number>;
}

export interface RouteWatchOptions {
  platform: Pick<Platform, 'getService' | 'listPods'>;
  namespace: string;
  service: string;
  app: Pick<TargetProfile['app'], 'env' | 'engines'>;
  intervalMs?: number;
}

export interface RouteSummary {
  polls: number;
  errors: number;
  lastError?: string;
  changes: number;
  /** The changes as one line, seconds relative to `origin` ("-5.2 s postgres×3 → +1.0 s none → +2.1 s sqlite×3"). */
  timeline: string;
}

export class RouteWatch implements AsyncDisposable {
  readonly timeline: RouteChange[] = [];
  polls = 0;
  errors = 0;
  lastError?: string;
  readonly #o: Required<RouteWatchOptions>;
  #running = false;
  #loop?: Promise<void>;
  #timer?: NodeJS.Timeout;
  #wake?: () => void;

  constructor(o: RouteWatchOptions) {
    this.#o = { intervalMs: 100, ...o };
  }

  /** Starts polling; resolves once the first poll has answered (so the probes that start next have a route). */
  async start(): Promise<this> {
    if (this.#running) return this;
    this.#running = true;
    await this.#poll();
    this.#loop = this.#run();
    return this;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, this.#o.intervalMs);
      });
      if (!this.#running) break;
      await this.#poll();
    }
  }

  async #poll(): Promise<void> {
    const { platform, namespace, service, app } = this.#o;
    this.polls++;
    try {
      const svc = await platform.getService(namespace, service);
      if (!svc) throw new Error(`service ${namespace}/${service} not found`);
      const selector = svc.spec?.selector ?? {};
      // A Service without a selector gets no endpoints from the platform (listPods({}) would list every pod).
      const pods = Object.keys(selector).length ? await platform.listPods(namespace, selector) : [];
      this.#record(Date.now(), routedEngines(pods, app));
    } catch (err) {
      // Unknown state: the timeline keeps the last one seen; the summary says how often this happened.
      this.errors++;
      this.lastError = err instanceof Error ? err.message : String(err);
    }
  }

  #record(t: number, engines: Record<string, number>): void {
    const last = this.timeline.at(-1);
    if (last && sameCounts(last.engines, engines)) return;
    this.timeline.push({ t, engines });
  }

  /** The single engine every routed ready pod had at t; 'mixed' if several; undefined if none (or before the first poll). */
  engineAt(t: number): RoutedEngine | 'mixed' | undefined {
    let at: RouteChange | undefined;
    for (const c of this.timeline) {
      if (c.t > t) break;
      at = c;
    }
    return at ? singleEngine(at.engines) : undefined;
  }

  /** Sets each sample's `route` from the timeline (done again at the end, when the whole timeline is known). */
  annotate(samples: Sample[]): Sample[] {
    for (const s of samples) s.route = this.engineAt(s.t);
    return samples;
  }

  summary(origin: number): RouteSummary {
    return {
      polls: this.polls,
      errors: this.errors,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      changes: this.timeline.length,
      timeline: describeTimeline(this.timeline, origin),
    };
  }

  /** Stops polling (waits for a poll in flight); the timeline stays readable. */
  async stop(): Promise<RouteChange[]> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#wake?.();
    await this.#loop;
    return this.timeline;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

const isReady = (p: V1Pod) =>
  !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The engine a pod was configured with: its engine env var mapped through the profile's values. */
export function podEngine(pod: V1Pod, app: RouteWatchOptions['app']): RoutedEngine {
  for (const c of pod.spec?.containers ?? []) {
    const v = c.env?.find((e) => e.name === app.env.engine);
    if (!v) continue;
    // valueFrom (a secret or config map): not resolved here.
    if (v.value === undefined) return 'unknown';
    if (v.value === app.engines.postgres) return 'postgres';
    if (v.value === app.engines.sqlite) return 'sqlite';
    // An undeclared value (Hyperpage's `postgresql`): recorded raw; what the app made of it is the landed-writes check's to find.
    return `unknown:${v.value}`;
  }
  return 'unknown';
}

/** Ready pods per engine. */
export function routedEngines(pods: readonly V1Pod[], app: RouteWatchOptions['app']): Record<RoutedEngine, number> {
  const out: Record<string, number> = {};
  for (const p of pods) {
    if (!isReady(p)) continue;
    const e = podEngine(p, app);
    out[e] = (out[e] ?? 0) + 1;
  }
  return out;
}

function singleEngine(engines: Record<string, number>): RoutedEngine | 'mixed' | undefined {
  const present = Object.keys(engines).filter((k) => engines[k]! > 0);
  return present.length === 0 ? undefined : present.length === 1 ? present[0] : 'mixed';
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function describeTimeline(timeline: readonly RouteChange[], origin: number): string {
  if (!timeline.length) return 'no poll answered';
  return timeline
    .map((c) => {
      const s = (c.t - origin) / 1000;
      const counts = Object.entries(c.engines).map(([e, n]) => `${e}×${n}`).join(' + ') || 'none';
      return `${s >= 0 ? '+' : ''}${s.toFixed(1)} s ${counts}`;
    })
    .join(' → ');
}
