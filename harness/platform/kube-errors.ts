// Turns what @kubernetes/client-node throws (ApiException, node-fetch AbortError/FetchError, ws
// errors) into one line that names the object and the API server's own reason.
import { ApiException } from '@kubernetes/client-node';
import { PlatformError } from './types.ts';

/** The API server answered with an error status (rejected manifest, not found, conflict, forbidden). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    message: string,
    /** HTTP status the API server answered. */
    readonly status: number,
    /** Status.reason, e.g. "Invalid", "NotFound", "AlreadyExists", "Conflict", "Forbidden". */
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
}

function statusBody(body: unknown): StatusBody {
  if (body && typeof body === 'object') return body as StatusBody;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return {};
}

export function httpStatusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : err instanceof KubeApiError ? err.status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return httpStatusOf(err) === 404;
}

/**
 * One line for a failed API call. Status answers become KubeApiError (procedures may expect some,
 * e.g. a rejected runbook manifest); no answer at all becomes a PlatformError (infrastructure, exit 3).
 */
export function toKubeError(err: unknown, what: string, server: string, timeoutMs: number): Error {
  if (err instanceof KubeApiError || err instanceof PlatformError) return err;
  if (err instanceof ApiException) {
    const s = statusBody(err.body);
    const reason = s.reason ?? '';
    const message = (s.message ?? '').replace(/\s+/g, ' ').trim();
    return new KubeApiError(`${what}: API server answered ${err.code}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`, err.code, reason || undefined);
  }
  const e = err as { name?: string; type?: string; code?: string; message?: string };
  if (e?.name === 'AbortError' || e?.type === 'aborted' || e?.name === 'TimeoutError') {
    return new PlatformError(`${what}: no answer from the API server at ${server} within ${Math.round(timeoutMs / 100) / 10}s`, 3);
  }
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ECONNRESET' || e?.code === 'ENOTFOUND' || e?.code === 'EHOSTUNREACH') {
    return new PlatformError(`${what}: API server at ${server} unreachable (${e.code})`, 3);
  }
  return new PlatformError(`${what}: ${e?.message ?? String(err)}`, 3, { cause: err });
}
