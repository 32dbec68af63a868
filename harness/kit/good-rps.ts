// Throughput that counts only what the service did: 2xx answers per second.
import type { LoadSummary } from '../model/measurements.ts';

/** Answers per second that were 2xx: a closed-loop burst against a service that fails fast would otherwise read as capacity. */
export function goodRps(s: Pick<LoadSummary, 'rps' | 'requests' | 'errors' | 'non2xx'>): number {
  if (s.requests <= 0) return 0;
  const good = Math.max(0, s.requests - s.errors - s.non2xx);
  return Math.round(s.rps * (good / s.requests) * 100) / 100;
}
