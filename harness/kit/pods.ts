import { noPodsMatching, selectorText } from './conditions.ts';
import { waitFor } from '../platform/wait.ts';
import type { Platform } from '../model/platform.ts';
import { TOPOLOGY } from './topology.ts';
import type { V1Deployment } from '@kubernetes/client-node';

/** Waits until a deployment has no pods left (scaled to 0 and drained). */
export async function waitForNoPods(
  platform: Platform,
  namespace: string,
  selector: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  const t0 = Date.now();
  await waitFor(noPodsMatching(platform, namespace, selector), {
    describe: `no pods matching ${selectorText(selector)} in ${namespace}`,
    timeoutMs,
    intervalMs: 200,
    signal,
  });
  return Date.now() - t0;
}

/** The PostgreSQL server's pods (the baseline's `hyperpage-postgres` deployment). */
export const POSTGRES_PODS = { app: 'hyperpage', component: 'database' } as const;

/** `pg_isready` in the PostgreSQL pod, with what it said (or why it could not run at all). */
export async function pgIsReady(platform: Platform, signal?: AbortSignal): Promise<{ accepting: boolean; detail: string }> {
  const firstLine = (s: string) => s.trim().split('\n')[0]?.trim().slice(0, 200) ?? '';
  try {
    const r = await platform.exec(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, ['pg_isready', '-U', 'hyperpage', '-d', 'hyperpage'], { timeoutMs: 5_000, signal });
    // pg_isready: 0 accepting, 1 rejecting (starting up), 2 no response, 3 no attempt.
    return { accepting: r.exitCode === 0, detail: `pg_isready exit ${r.exitCode}${firstLine(r.stdout || r.stderr) ? ` (${firstLine(r.stdout || r.stderr)})` : ''}` };
  } catch (err) {
    return { accepting: false, detail: `pg_isready could not run: ${firstLine((err as Error).message)}` };
  }
}

/** True when the PostgreSQL server accepts connections (pg_isready in its pod). */
export async function postgresAcceptsConnections(platform: Platform, signal?: AbortSignal): Promise<boolean> {
  return (await pgIsReady(platform, signal)).accepting;
}

/** Scales a deployment to 0 and waits until its pods are gone; returns how long that took. */
export async function scaleToZero(platform: Platform, deployment: string, selector: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  await platform.scale(TOPOLOGY.namespace, deployment, 0);
  return waitForNoPods(platform, TOPOLOGY.namespace, { ...selector }, timeoutMs, signal);
}

export function selectorOf(dep: V1Deployment): Record<string, string> {
  return { ...(dep.spec?.selector?.matchLabels ?? {}) };
}
