import type { AppConfig, Engine } from './config.ts';
import { PostgresDatabase } from './db/postgres.ts';
import { SqliteDatabase } from './db/sqlite.ts';
import type { Database } from './db/types.ts';

export function openDatabase(cfg: Pick<AppConfig, 'engine' | 'databasePath' | 'databaseUrl'>): Database {
  const engine: Engine = cfg.engine;
  return engine === 'postgres' ? new PostgresDatabase(cfg.databaseUrl!) : new SqliteDatabase(cfg.databasePath!);
}
