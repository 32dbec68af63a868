// Shared "took effect" measurement: the runbook's first automatic trigger, N consecutive failed
// health checks through the service.
import { healthCheck, sleep } from '../procedures/actions.ts';
import type { FaultEffect } from './types.ts';

export async function waitForConsecutiveHealthFailures(
  serviceUrl: string,
  opts: { consecutive: number; timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<FaultEffect> {
  const t0 = Date.now();
  let streak = 0;
  let total = 0;
  const statuses = new Map<number, number>();
  while (Date.now() - t0 < opts.timeoutMs) {
    const h = await healthCheck(serviceUrl, 2_000);
    total++;
    statuses.set(h.status, (statuses.get(h.status) ?? 0) + 1);
    streak = h.status === 200 && h.body?.status === 'healthy' ? 0 : streak + 1;
    if (streak >= opts.consecutive) {
      return {
        effective: true,
        evidence: `${streak} consecutive failed health checks within ${((Date.now() - t0) / 1000).toFixed(1)} s (${describe(statuses)})`,
      };
    }
    await sleep(opts.intervalMs ?? 200, opts.signal);
  }
  return {
    effective: false,
    evidence: `no ${opts.consecutive} consecutive failed health checks in ${(opts.timeoutMs / 1000).toFixed(0)} s (${total} checks: ${describe(statuses)})`,
  };
}

function describe(statuses: Map<number, number>): string {
  return [...statuses].map(([s, n]) => `${n}× ${s === 0 ? 'no answer' : `HTTP ${s}`}`).join(', ');
}
