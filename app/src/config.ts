// The app's environment, read as Hyperpage reads it, except that a DB_ENGINE other than exactly
// "sqlite" or "postgres" is a start-up error (the real app silently fell back to SQLite).
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface AppConfig {
  engine: Engine;
  databasePath?: string;
  databaseUrl?: string;
  port: number;
  host: string;
  pod: string;
  version: string;
  shutdownGraceMs: number;
  tools: { github: boolean; gitlab: boolean; jira: boolean };
  rateLimiting: boolean;
  /** ADDED_LATENCY_MS: every answer waits this long first — the drill's "slowed app" mutation. */
  addedLatencyMs: number;
}

export function parseEngine(raw: string | undefined): Engine {
  if (raw === 'sqlite' || raw === 'postgres') return raw;
  throw new ConfigError(`DB_ENGINE must be "sqlite" or "postgres" (got ${raw === undefined ? 'nothing' : JSON.stringify(raw)})`);
}

/** postgresql://user:***@host/db — never print a password. */
export function redactUrl(url: string): string {
  return url.replace(/(:\/\/[^:@/\s]+:)[^@/\s]+@/, '$1***@');
}

export function assertWritableSqlitePath(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK | constants.R_OK);
  } catch (err) {
    throw new ConfigError(`DATABASE_PATH ${file} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const engine = parseEngine(env.DB_ENGINE);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got ${JSON.stringify(env.PORT)})`);
  const grace = Number(env.SHUTDOWN_GRACE_MS ?? 10_000);
  const addedLatencyMs = Number(env.ADDED_LATENCY_MS ?? 0);
  if (!Number.isInteger(addedLatencyMs) || addedLatencyMs < 0) throw new ConfigError(`ADDED_LATENCY_MS must be a whole number of ms >= 0 (got ${JSON.stringify(env.ADDED_LATENCY_MS)})`);
  const cfg: AppConfig = {
    engine,
    port,
    host: env.HOST ?? '0.0.0.0',
    pod: env.HOSTNAME ?? 'local',
    version: env.APP_VERSION ?? '0.1.0',
    shutdownGraceMs: Number.isFinite(grace) && grace > 0 ? grace : 10_000,
    tools: { github: env.ENABLE_GITHUB === 'true', gitlab: env.ENABLE_GITLAB === 'true', jira: env.ENABLE_JIRA === 'true' },
    rateLimiting: env.ENABLE_RATE_LIMITING === 'true',
    addedLatencyMs,
  };
  if (engine === 'postgres') {
    if (!env.DATABASE_URL) throw new ConfigError('DATABASE_URL is required when DB_ENGINE=postgres');
    cfg.databaseUrl = env.DATABASE_URL;
  } else {
    const file = env.DATABASE_PATH;
    if (!file) throw new ConfigError('DATABASE_PATH is required when DB_ENGINE=sqlite');
    assertWritableSqlitePath(file);
    cfg.databasePath = file;
  }
  return cfg;
}
