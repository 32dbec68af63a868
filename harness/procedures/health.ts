// One GET of the health path (default /api/health) through a URL, as the drill sees it: status, engine (header first, then body),
// latency, and the error when nothing answered. Never throws.
import { request } from 'undici';

export interface HealthSample {
  status: number;
  engine?: string;
  body?: { status?: string; engine?: string };
  latencyMs: number;
  error?: string;
}

export async function healthCheck(baseUrl: string, timeoutMs = 3000, path = '/api/health'): Promise<HealthSample> {
  const t0 = performance.now();
  try {
    const res = await request(new URL(path, baseUrl), {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    let body: HealthSample['body'];
    try {
      body = JSON.parse(text) as HealthSample['body'];
    } catch {
      body = undefined;
    }
    const header = res.headers['x-db-engine'];
    return {
      status: res.statusCode,
      engine: (Array.isArray(header) ? header[0] : header) ?? body?.engine,
      body,
      latencyMs: performance.now() - t0,
    };
  } catch (err) {
    return { status: 0, latencyMs: performance.now() - t0, error: (err as Error).message };
  }
}

/** "HTTP 503 engine=postgres unhealthy" / "HTTP - engine=- connect ECONNREFUSED …": one answer in a line. */
export function describeHealth(h: HealthSample | undefined): string {
  return `HTTP ${h?.status ?? '-'} engine=${h?.engine ?? '-'} ${h?.error ?? h?.body?.status ?? ''}`.trim();
}
