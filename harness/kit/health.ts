// One GET of the target's health path through a URL, as the drill sees it: status, the engine the app
// names (its engine header first, then its body field, as the profile declares), latency, and the
// error when nothing answered. Never throws.
import { request } from 'undici';
import type { TargetProfile } from '../model/target-profile.ts';

export interface HealthSample {
  status: number;
  engine?: string;
  body?: { status?: string; [field: string]: unknown };
  latencyMs: number;
  error?: string;
}

/** What a health check needs of the profile: where health is, and where (if anywhere) the app names its engine. */
export type HealthTarget = Pick<TargetProfile, 'health' | 'identity'>;

export async function healthCheck(baseUrl: string, timeoutMs: number, target: HealthTarget): Promise<HealthSample> {
  const t0 = performance.now();
  try {
    const res = await request(new URL(target.health.path, baseUrl), {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    let body: HealthSample['body'];
    try {
      const parsed: unknown = JSON.parse(text);
      body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as HealthSample['body']) : undefined;
    } catch {
      body = undefined;
    }
    const { engineHeader, engineBodyField } = target.identity;
    const header = engineHeader ? res.headers[engineHeader] : undefined;
    const field = engineBodyField ? body?.[engineBodyField] : undefined;
    return {
      status: res.statusCode,
      engine: (Array.isArray(header) ? header[0] : header) ?? (typeof field === 'string' ? field : undefined),
      body,
      latencyMs: performance.now() - t0,
    };
  } catch (err) {
    return { status: 0, latencyMs: performance.now() - t0, error: (err as Error).message };
  }
}

/**
 * A healthy answer: 200, and when the body is JSON with a `status` field, it says "healthy" (an app
 * answering 200 `{status:"degraded"}` is not). A text/plain 200 (an app whose health has no body) is healthy.
 */
export function answeredHealthy(h: HealthSample): boolean {
  return h.status === 200 && (h.body?.status === undefined || h.body.status === 'healthy');
}

/** "HTTP 503 engine=postgres unhealthy" / "HTTP - engine=- connect ECONNREFUSED …": one answer in a line. */
export function describeHealth(h: HealthSample | undefined): string {
  return `HTTP ${h?.status ?? '-'} engine=${h?.engine ?? '-'} ${h?.error ?? h?.body?.status ?? ''}`.trim();
}
