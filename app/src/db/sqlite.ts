// SQLite engine: better-sqlite3 in WAL mode, so several replicas can share one file on a volume.
import { chownSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, referenceRows } from './schema.ts';
import { likePrefix, toUser, type Database, type RateLimitRow, type ToolRow, type User } from './types.ts';

export function openSqlite(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Under root (the salvage Job runs as root to read PostgreSQL's 0700 data directory), what this
 * process creates for the database (the file, its -wal and -shm) would be root's and unwritable
 * for the app pods: call before opening; the returned function, after closing, gives them to
 * whoever owned the file already, or else its folder.
 */
export function keepSqliteOwner(file: string): () => void {
  if (process.getuid?.() !== 0) return () => undefined;
  const { uid, gid } = statSync(existsSync(file) ? file : path.dirname(path.resolve(file)));
  return () => {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chownSync(f, uid, gid);
  };
}

/** Applies pending migrations and reference rows in one IMMEDIATE transaction (replicas start at once). */
export function migrateSqlite(db: BetterSqlite3.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
    }
    const ref = referenceRows();
    for (const r of ref.tool_configs) db.prepare('INSERT OR IGNORE INTO tool_configs VALUES (?, ?, ?, ?)').run(...r);
    for (const r of ref.rate_limits) db.prepare('INSERT OR IGNORE INTO rate_limits VALUES (?, ?, ?, ?)').run(...r);
    for (const r of ref.app_state) db.prepare('INSERT OR IGNORE INTO app_state VALUES (?, ?, ?)').run(...r);
  });
  apply.immediate();
}

export class SqliteDatabase implements Database {
  readonly engine = 'sqlite' as const;
  readonly #db: BetterSqlite3.Database;

  constructor(file: string) {
    this.#db = openSqlite(file);
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.#db);
  }

  async ping(): Promise<void> {
    this.#db.prepare("SELECT value FROM app_state WHERE key = 'schema_version'").get();
  }

  async getTool(tool: string): Promise<ToolRow | undefined> {
    const r = this.#db.prepare('SELECT tool, display_name, config FROM tool_configs WHERE tool = ?').get(tool) as
      | { tool: string; display_name: string; config: string }
      | undefined;
    return r && { tool: r.tool, displayName: r.display_name, config: JSON.parse(r.config) as Record<string, unknown> };
  }

  async getRateLimit(platform: string): Promise<RateLimitRow | undefined> {
    const r = this.#db.prepare('SELECT platform, limit_total, remaining, reset_at FROM rate_limits WHERE platform = ?').get(platform) as
      | { platform: string; limit_total: number; remaining: number; reset_at: number }
      | undefined;
    return r && { platform: r.platform, limit: r.limit_total, remaining: r.remaining, resetAt: r.reset_at };
  }

  async createUser(email: string, name: string): Promise<User> {
    const r = this.#db
      .prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, ?) RETURNING id, email, name, created_at')
      .get(email, name, Date.now()) as { id: number; email: string; name: string; created_at: number };
    return toUser(r);
  }

  async getUser(id: number): Promise<User | undefined> {
    const r = this.#db.prepare('SELECT id, email, name, created_at FROM users WHERE id = ?').get(id) as
      | { id: number; email: string; name: string; created_at: number }
      | undefined;
    return r && toUser(r);
  }

  async countUsers(): Promise<number> {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  async listUsers(prefix: string, afterId: number, limit: number): Promise<{ id: number; email: string; name: string }[]> {
    return this.#db
      .prepare("SELECT id, email, name FROM users WHERE email LIKE ? ESCAPE '\\' AND id > ? ORDER BY id LIMIT ?")
      .all(likePrefix(prefix), afterId, limit) as { id: number; email: string; name: string }[];
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
