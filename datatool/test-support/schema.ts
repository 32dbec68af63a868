// A small two-engine schema that differs between the engines the way real apps do: other table and
// column names, jsonb/timestamptz/boolean/numeric/bigserial in PostgreSQL, text/integers in SQLite.
import Database from 'better-sqlite3';
import pg from 'pg';

export const PG_SCHEMA = `
CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  display_name text,
  profile jsonb,
  active boolean NOT NULL,
  created_at timestamptz NOT NULL,
  seen_at timestamptz,
  updated_at timestamptz,
  balance numeric(12,2),
  score double precision,
  counter bigint
);
CREATE TABLE settings (key text PRIMARY KEY, value text);`;

export const SQLITE_SCHEMA = `
CREATE TABLE users (user_id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, profile_json TEXT, is_active INTEGER NOT NULL,
  created TEXT NOT NULL, seen_ms INTEGER, updated_s INTEGER, balance TEXT, score REAL, counter INTEGER);
CREATE INDEX users_email ON users (email);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);`;

export const MAPPING = {
  tables: [
    {
      postgres: 'accounts',
      sqlite: 'users',
      key: ['id'],
      columns: [
        { pg: 'id', sqlite: 'user_id', convert: 'bigint-integer' },
        'email',
        { pg: 'display_name', sqlite: 'name' },
        { pg: 'profile', sqlite: 'profile_json', convert: 'jsonb-text' },
        { pg: 'active', sqlite: 'is_active', convert: 'boolean-int' },
        { pg: 'created_at', sqlite: 'created', convert: 'timestamptz-iso' },
        { pg: 'seen_at', sqlite: 'seen_ms', convert: 'timestamptz-epoch-ms' },
        { pg: 'updated_at', sqlite: 'updated_s', convert: 'timestamptz-epoch-s' },
        { pg: 'balance', convert: 'numeric-text' },
        'score',
        'counter',
      ],
    },
    'settings',
  ],
};

export async function createPgSchema(url: string, sql = PG_SCHEMA): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export function createSqlite(file: string, sql = SQLITE_SCHEMA): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}
