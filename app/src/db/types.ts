// What the HTTP layer needs from a database, identical on both engines.
import type { Engine } from '../config.ts';

export interface User {
  id: number;
  email: string;
  name: string;
  createdAt: string;
}

export interface ToolRow {
  tool: string;
  displayName: string;
  config: Record<string, unknown>;
}

export interface RateLimitRow {
  platform: string;
  limit: number;
  remaining: number;
  resetAt: number;
}

export interface Database {
  readonly engine: Engine;
  migrate(): Promise<void>;
  /** A real round trip (SELECT on app data); throws when the database does not answer. */
  ping(): Promise<void>;
  getTool(tool: string): Promise<ToolRow | undefined>;
  getRateLimit(platform: string): Promise<RateLimitRow | undefined>;
  createUser(email: string, name: string): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  countUsers(): Promise<number>;
  listUsers(prefix: string, afterId: number, limit: number): Promise<{ id: number; email: string; name: string }[]>;
  close(): Promise<void>;
}

export function toUser(r: { id: number | string; email: string; name: string; created_at: number | string }): User {
  return { id: Number(r.id), email: r.email, name: r.name, createdAt: new Date(Number(r.created_at)).toISOString() };
}

/** LIKE pattern for a literal prefix. */
export function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}
