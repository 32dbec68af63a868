// "Monitor application stability" after the restore, from the outside: the serving pods, polled
// through the platform from the switch to the end of the run. Every container restart (with its
// exit code, reason and the last lines it logged), every period a pod was not Ready after it had
// been, and every pod that came or went while nothing scaled the deployment is recorded. The app's
// own health answers are the availability probe's; this watch reads the platform's pod status.
import type { V1Pod } from '@kubernetes/client-node';
import type { PodStability, StabilityReport } from '../model/measurements.ts';
import type { Platform } from '../model/platform.ts';
import { sleep } from '../kit/wait.ts';

export interface StabilityWatchOptions {
  platform: Platform;
  namespace: string;
  /** The serving pods: the restored deployment's selector. */
  selector: Record<string, string>;
  intervalMs?: number;
  /** Lines of a restarted container's log kept for the report. */
  logLines?: number;
}

const isReady = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export class StabilityWatch implements AsyncDisposable {
  readonly #o: Required<StabilityWatchOptions>;
  readonly #pods = new Map<string, Omit<PodStability, 'unready'> & { unready: { from: number; to?: number }[]; restartCounts: Record<string, number>; ready: boolean; everReady: boolean }>();
  #running = false;
  #loop: Promise<void> | undefined;
  #startedAt = 0;
  #polls = 0;
  #errors = 0;
  #lastError: string | undefined;
  #first = true;

  constructor(o: StabilityWatchOptions) {
    this.#o = { intervalMs: 250, logLines: 5, ...o };
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#startedAt = Date.now();
    this.#loop = (async () => {
      while (this.#running) {
        await this.poll();
        if (this.#running) await sleep(this.#o.intervalMs).catch(() => undefined);
      }
    })();
    return this;
  }

  /** One look at the serving pods (the loop's, and a last one at stop). */
  async poll(): Promise<void> {
    let pods: V1Pod[];
    try {
      pods = await this.#o.platform.listPods(this.#o.namespace, this.#o.selector);
    } catch (err) {
      this.#errors++;
      this.#lastError = (err as Error).message.split('\n')[0];
      return;
    }
    this.#polls++;
    const now = Date.now();
    const seen = new Set<string>();
    for (const p of pods) {
      const name = p.metadata?.name ?? '?';
      // A pod on its way out (scale-down, eviction) is not serving: its going is judged below.
      if (p.metadata?.deletionTimestamp) continue;
      seen.add(name);
      let s = this.#pods.get(name);
      if (!s) {
        s = { pod: name, firstSeenAt: now, lastSeenAt: now, appeared: !this.#first, gone: false, restarts: [], unready: [], restartCounts: {}, ready: false, everReady: false };
        for (const c of p.status?.containerStatuses ?? []) s.restartCounts[c.name] = c.restartCount;
        this.#pods.set(name, s);
      }
      s.lastSeenAt = now;
      for (const c of p.status?.containerStatuses ?? []) {
        const before = s.restartCounts[c.name] ?? 0;
        if (c.restartCount > before) {
          const t = c.lastState?.terminated;
          s.restarts.push({ at: now, container: c.name, count: c.restartCount - before, ...(t?.exitCode !== undefined ? { exitCode: t.exitCode } : {}), ...(t?.reason ? { reason: t.reason } : {}), lastLines: await this.#lastLines(name, c.name) });
        }
        s.restartCounts[c.name] = c.restartCount;
      }
      const ready = isReady(p);
      // Not Ready after having been Ready: an unready period, open until it is Ready again.
      if (!ready && s.everReady && s.ready) s.unready.push({ from: now });
      if (ready && !s.ready) {
        const open = s.unready.at(-1);
        if (open && open.to === undefined) open.to = now;
      }
      // A pod that never got Ready while watched is unready for the whole watch.
      if (!ready && !s.everReady && s.unready.length === 0 && now - s.firstSeenAt >= this.#o.intervalMs * 4) s.unready.push({ from: s.firstSeenAt });
      if (ready && !s.everReady) {
        s.everReady = true;
        const open = s.unready.at(-1);
        if (open && open.to === undefined) open.to = now;
      }
      s.ready = ready;
    }
    for (const s of this.#pods.values()) if (!seen.has(s.pod) && !s.gone) s.gone = true;
    this.#first = false;
  }

  async #lastLines(pod: string, container: string): Promise<string[]> {
    const logs = await this.#o.platform.logs(this.#o.namespace).catch(() => []);
    const text = logs.find((l) => l.pod === pod && l.container === container)?.text ?? '';
    return text.trimEnd().split('\n').filter(Boolean).slice(-this.#o.logLines);
  }

  /** Stops the watch after a last look; the report of everything seen since start. */
  async stop(): Promise<StabilityReport> {
    if (this.#running) {
      this.#running = false;
      await this.#loop;
      await this.poll();
    }
    const end = Date.now();
    const pods = [...this.#pods.values()].map(({ restartCounts: _r, ready: _ready, everReady: _e, ...s }) => ({ ...s, unready: s.unready.map((u) => ({ from: u.from, to: u.to ?? end })) }));
    const restarts = pods.reduce((n, p) => n + p.restarts.reduce((m, r) => m + r.count, 0), 0);
    const unreadyPeriods = pods.reduce((n, p) => n + p.unready.length, 0);
    return {
      startedAt: this.#startedAt,
      watchedMs: this.#startedAt ? end - this.#startedAt : 0,
      polls: this.#polls,
      errors: this.#errors,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      pods,
      restarts,
      unreadyPeriods,
      unreadyMs: pods.reduce((n, p) => n + p.unready.reduce((m, u) => m + (u.to - u.from), 0), 0),
      churn: pods.filter((p) => p.appeared || p.gone).length,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#running = false;
    await this.#loop;
  }
}
