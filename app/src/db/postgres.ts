// PostgreSQL engine: a small pg pool with connect and statement timeouts, so a dead or
// unreachable server gives fast 503s instead of hung requests.
import pg from 'pg';
import { MIGRATIONS, referenceRows } from './schema.ts';
import { likePrefix, toUser, type Database, type RateLimitRow, type ToolRow, type User } from './types.ts';

// BIGINT as JS numbers: ids and epoch-ms timestamps stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export function createPool(url: string, max = 5): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 10_000,
    statement_timeout: 5_000,
    query_timeout: 6_000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

const MIGRATION_LOCK = 7_214_001;

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Three replicas start at once: one migrates, the others wait for it.
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await c.query(m.postgres);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
    }
    const ref = referenceRows();
    for (const r of ref.tool_configs) await c.query('INSERT INTO tool_configs VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', r);
    for (const r of ref.rate_limits) await c.query('INSERT INTO rate_limits VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', r);
    for (const r of ref.app_state) await c.query('INSERT INTO app_state VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', r);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export class PostgresDatabase implements Database {
  readonly engine = 'postgres' as const;
  readonly #pool: pg.Pool;

  constructor(url: string) {
    this.#pool = createPool(url);
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.#pool);
  }

  async ping(): Promise<void> {
    await this.#pool.query("SELECT value FROM app_state WHERE key = 'schema_version'");
  }

  async getTool(tool: string): Promise<ToolRow | undefined> {
    const r = (await this.#pool.query('SELECT tool, display_name, config FROM tool_configs WHERE tool = $1', [tool])).rows[0] as
      | { tool: string; display_name: string; config: string }
      | undefined;
    return r && { tool: r.tool, displayName: r.display_name, config: JSON.parse(r.config) as Record<string, unknown> };
  }

  async getRateLimit(platform: string): Promise<RateLimitRow | undefined> {
    const r = (await this.#pool.query('SELECT platform, limit_total, remaining, reset_at FROM rate_limits WHERE platform = $1', [platform]))
      .rows[0] as { platform: string; limit_total: number; remaining: number; reset_at: number } | undefined;
    return r && { platform: r.platform, limit: r.limit_total, remaining: r.remaining, resetAt: r.reset_at };
  }

  async createUser(email: string, name: string): Promise<User> {
    const r = await this.#pool.query(
      'INSERT INTO users (email, name, created_at) VALUES ($1, $2, $3) RETURNING id, email, name, created_at',
      [email, name, Date.now()],
    );
    return toUser(r.rows[0]);
  }

  async getUser(id: number): Promise<User | undefined> {
    const r = (await this.#pool.query('SELECT id, email, name, created_at FROM users WHERE id = $1', [id])).rows[0];
    return r && toUser(r);
  }

  async countUsers(): Promise<number> {
    return Number((await this.#pool.query('SELECT COUNT(*)::bigint AS n FROM users')).rows[0].n);
  }

  async listUsers(prefix: string, afterId: number, limit: number): Promise<{ id: number; email: string; name: string }[]> {
    const r = await this.#pool.query("SELECT id, email, name FROM users WHERE email LIKE $1 ESCAPE '\\' AND id > $2 ORDER BY id LIMIT $3", [
      likePrefix(prefix),
      afterId,
      limit,
    ]);
    return r.rows as { id: number; email: string; name: string }[];
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
