// The HTTP API of the reference app (Hyperpage's contract). Every response names the engine and
// pod that served it, so the drill can tell which database actually answered.
import http from 'node:http';
import type { AppConfig } from './config.ts';
import { TOOLS, type Tool } from './db/schema.ts';
import type { Database } from './db/types.ts';

const HEALTH_TIMEOUT_MS = 2_000;
const started = Date.now();

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms))),
  ]);
}

/** A short reason for a database failure, with no connection string or password in it. */
function dbReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = (e.message ?? String(err)).replace(/:\/\/[^@\s]*@/g, '://***@').split('\n')[0]!;
  return (e.code ? `${e.code}: ${msg}` : msg).slice(0, 200);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 64 * 1024) throw new HttpError(413, 'body too large');
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

export function createHandler(cfg: AppConfig, db: Database) {
  const toolEnabled = (t: Tool) => cfg.tools[t];

  async function route(req: http.IncomingMessage, url: URL): Promise<Reply> {
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    if (parts[0] !== 'api') throw new HttpError(404, `no route ${url.pathname}`);

    if (parts[1] === 'health' && parts.length === 2 && method === 'GET') {
      const t0 = performance.now();
      try {
        await withTimeout(db.ping(), HEALTH_TIMEOUT_MS, 'database check');
        return {
          status: 200,
          body: {
            status: 'healthy',
            engine: db.engine,
            database: { status: 'up', latencyMs: Math.round((performance.now() - t0) * 100) / 100 },
            pod: cfg.pod,
            version: cfg.version,
            uptimeSec: Math.round((Date.now() - started) / 1000),
          },
        };
      } catch (err) {
        return { status: 503, body: { status: 'unhealthy', engine: db.engine, database: { status: 'down', error: dbReason(err) }, pod: cfg.pod } };
      }
    }

    if (parts[1] === 'tools' && method === 'GET') {
      if (parts[2] === 'enabled' && parts.length === 3) {
        return { status: 200, body: { tools: TOOLS.map((name) => ({ name, enabled: toolEnabled(name) })) } };
      }
      const name = parts[2];
      if (parts.length === 3 && name && (TOOLS as readonly string[]).includes(name)) {
        const row = await db.getTool(name);
        if (!row) throw new HttpError(503, `tool configuration for ${name} missing`);
        const { items, ...config } = row.config as { items?: unknown[] } & Json;
        return { status: 200, body: { name, displayName: row.displayName, enabled: toolEnabled(name as Tool), config, items: items ?? [] } };
      }
      throw new HttpError(404, `unknown tool: ${name ?? ''}`);
    }

    if (parts[1] === 'rate-limit' && parts.length === 3 && method === 'GET') {
      const platform = parts[2]!;
      if (!(TOOLS as readonly string[]).includes(platform)) throw new HttpError(400, `unknown platform: ${platform}`);
      const row = await db.getRateLimit(platform);
      if (!row) throw new HttpError(503, `rate limit state for ${platform} missing`);
      return {
        status: 200,
        body: { platform, enabled: cfg.rateLimiting, limit: row.limit, remaining: row.remaining, resetAt: new Date(row.resetAt).toISOString() },
      };
    }

    if (parts[1] === 'users') {
      if (parts.length === 2 && method === 'POST') {
        const body = (await readJson(req)) as { email?: unknown; name?: unknown } | null;
        const email = body?.email;
        const name = body?.name;
        if (typeof email !== 'string' || !email.includes('@') || email.length > 320) throw new HttpError(400, 'email must be a string with @');
        if (typeof name !== 'string' || name.length === 0 || name.length > 200) throw new HttpError(400, 'name must be a non-empty string');
        return { status: 201, body: { ...(await db.createUser(email, name)) } };
      }
      if (parts.length === 2 && method === 'GET') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const afterId = Number(url.searchParams.get('afterId') ?? 0);
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000), 5000);
        if (!Number.isInteger(afterId) || afterId < 0 || !Number.isInteger(limit) || limit < 1) throw new HttpError(400, 'afterId and limit must be whole numbers');
        const users = await db.listUsers(prefix, afterId, limit);
        return { status: 200, body: { users, nextAfterId: users.length === limit ? users[users.length - 1]!.id : null } };
      }
      if (parts.length === 3 && parts[2] === 'count' && method === 'GET') {
        return { status: 200, body: { count: await db.countUsers() } };
      }
      if (parts.length === 3 && method === 'GET') {
        const id = Number(parts[2]);
        if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'id must be a positive whole number');
        const user = await db.getUser(id);
        if (!user) throw new HttpError(404, `no user ${id}`);
        return { status: 200, body: { ...user } };
      }
    }
    throw new HttpError(404, `no route ${method} ${url.pathname}`);
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let reply: Reply;
    if (cfg.addedLatencyMs > 0) await new Promise((r) => setTimeout(r, cfg.addedLatencyMs));
    try {
      reply = await route(req, new URL(req.url ?? '/', 'http://app'));
    } catch (err) {
      reply =
        err instanceof HttpError
          ? { status: err.status, body: { error: err.message } }
          : { status: 503, body: { error: `database error: ${dbReason(err)}` } };
    }
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-db-engine': db.engine,
      'x-pod-name': cfg.pod,
    });
    res.end(payload);
  };
}
