// How the app reacts to a fault already proven on its component: its health path and one feature
// path of its profile through the service, sampled for a few seconds. An observation of the suspect,
// never the proof that the fault took effect.
import { request } from 'undici';
import { answeredHealthy, healthCheck } from '../kit/health.ts';
import { done, notYet, waitFor } from '../kit/wait.ts';
import type { TargetProfile } from '../model/target-profile.ts';

export type ReactionTarget = Pick<TargetProfile, 'health' | 'identity' | 'features' | 'faults'>;

/** The profile's reaction path; else its first feature check off the health path (undefined: health alone). */
export function reactionPath(target: ReactionTarget): string | undefined {
  return target.faults.reactionPath ?? target.features.find((f) => f.path !== target.health.path)?.path;
}

export interface AppReaction {
  windowMs: number;
  samples: number;
  /** Health answers that were healthy (200, and a JSON status, if any, "healthy"). */
  healthy: number;
  /** "HTTP 503" / "no answer" → count, for health and the feature endpoint. */
  health: Record<string, number>;
  feature: Record<string, number>;
  /** One sentence with the numbers, for the journal and FaultEffect.appReaction. */
  text: string;
}

async function featureStatus(url: string): Promise<number> {
  try {
    const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

const label = (status: number) => (status === 0 ? 'no answer' : `HTTP ${status}`);
const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');

export async function observeAppReaction(
  serviceUrl: string,
  target: ReactionTarget,
  opts: { windowMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<AppReaction> {
  const featurePath = reactionPath(target);
  const t0 = Date.now();
  const health: Record<string, number> = {};
  const feature: Record<string, number> = {};
  let samples = 0;
  let healthy = 0;
  // One sample per look, at least one even when a slow app takes the whole window to answer it; an
  // interrupted drill ends the window early with what was sampled.
  await waitFor(
    async () => {
      const [h, f] = await Promise.all([healthCheck(serviceUrl, 2_000, target), featurePath ? featureStatus(new URL(featurePath, serviceUrl).href) : undefined]);
      samples++;
      const ok = answeredHealthy(h);
      if (ok) healthy++;
      const key = ok ? 'HTTP 200 healthy' : label(h.status);
      health[key] = (health[key] ?? 0) + 1;
      if (f !== undefined) feature[label(f)] = (feature[label(f)] ?? 0) + 1;
      return Date.now() - t0 >= opts.windowMs || opts.signal?.aborted ? done(samples) : notYet(`${samples} samples`);
    },
    { describe: `the app's reaction over ${opts.windowMs} ms`, timeoutMs: opts.windowMs + 60_000, intervalMs: opts.intervalMs ?? 250 },
  );
  const windowMs = Date.now() - t0;
  const text = `over ${(windowMs / 1000).toFixed(1)} s: GET ${target.health.path} ${describe(health)}${featurePath ? `; GET ${featurePath} ${describe(feature)}` : ''}`;
  return { windowMs, samples, healthy, health, feature, text };
}
