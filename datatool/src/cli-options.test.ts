// The options a Job needs: the URL from an environment variable (never on argv), the mapping inline,
// and checksums bounded by key (the rows that existed before a workload kept writing). Real bin,
// real embedded PostgreSQL, real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillData, jsonLine } from '../test-support/cli.ts';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { createPgSchema, createSqlite, MAPPING } from '../test-support/schema.ts';
import { ChecksumResultSchema, CopyResultSchema } from './result.ts';

let server: TestPostgres;
let dir: string;
const env = () => ({ ...process.env, SOURCE_URL: server.url });

beforeAll(async () => {
  server = await startPostgres();
  await createPgSchema(server.url);
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query("INSERT INTO accounts (email, active, created_at) SELECT 'u' || g || '@x', true, '2020-01-01'::timestamptz FROM generate_series(1, 50) g; INSERT INTO settings VALUES ('a', 'one');");
  await c.end();
  dir = mkdtempSync(path.join(tmpdir(), 'datatool-options-'));
}, 120_000);

afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('drill-data options for Jobs', () => {
  it('copy --from-env VAR --mapping-json: verified, and the password is on no argv nor in any output', async () => {
    const file = path.join(dir, 'env.db');
    createSqlite(file);
    const r = await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', JSON.stringify(MAPPING), '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const out = CopyResultSchema.parse(jsonLine(r));
    expect(out.tables.map((t) => [t.table, t.rows.sqlite, t.ok])).toEqual([
      ['users', 50, true],
      ['settings', 1, true],
    ]);
    expect(r.stdout + r.stderr).not.toContain(server.password);
  });

  it('an unset variable, both flags at once, or a bad inline mapping is exit 2 in one line', async () => {
    const file = path.join(dir, 'bad.db');
    createSqlite(file);
    const m = JSON.stringify(MAPPING);
    for (const [args, says] of [
      [['copy', '--from-env', 'NO_SUCH_VAR_X', '--to', file, '--mapping-json', m], /the variable NO_SUCH_VAR_X is not set/],
      [['copy', '--from-env', 'SOURCE_URL', '--from', 'postgres://x@127.0.0.1/y', '--to', file, '--mapping-json', m], /not both/],
      [['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', '{"tables": []}'], /--mapping-json: tables/],
    ] as const) {
      const r = await drillData([...args], env());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(says);
    }
  });

  it('checksum --max-key counts only rows up to the key on both engines: equal before and after later writes', async () => {
    const file = path.join(dir, 'bounded.db');
    createSqlite(file);
    const m = JSON.stringify(MAPPING);
    expect((await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', m], env())).code).toBe(0);
    const sum = async (engine: string, db: string[], extra: string[] = []) => {
      const r = await drillData(['checksum', '--engine', engine, ...db, '--mapping-json', m, ...extra, '--json'], env());
      expect(r.code, r.stderr).toBe(0);
      return ChecksumResultSchema.parse(jsonLine(r)).tables;
    };
    const before = await sum('postgres', ['--db-env', 'SOURCE_URL'], ['--max-key', 'accounts=50']);
    // Later writes on SQLite (ids above the bound) do not change the bounded sum; a change below it does.
    const db = new Database(file);
    db.prepare("INSERT INTO users (user_id, email, is_active, created) VALUES (51, 'late@x', 1, 'x')").run();
    db.close();
    const after = await sum('sqlite', ['--db', file], ['--max-key', 'users=50']);
    expect(after).toEqual(before);
    expect(after.find((t) => t.table === 'users')?.rows).toBe(50);
    const unbounded = await sum('sqlite', ['--db', file]);
    expect(unbounded.find((t) => t.table === 'users')?.rows).toBe(51);
    const db2 = new Database(file);
    db2.prepare("UPDATE users SET email = 'changed@x' WHERE user_id = 7").run();
    db2.close();
    const mutated = await sum('sqlite', ['--db', file], ['--max-key', 'users=50']);
    expect(mutated.find((t) => t.table === 'users')?.checksum).not.toBe(before.find((t) => t.table === 'users')?.checksum);
  });

  it('copy --mode upsert: keys SQLite lacks inserted, SQLite\'s row kept on a conflict (it is newer), verified by every PostgreSQL key found in SQLite', async () => {
    const file = path.join(dir, 'upsert.db');
    createSqlite(file);
    const m = JSON.stringify(MAPPING);
    expect((await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', m], env())).code).toBe(0);
    // What SQLite does while it serves after a rollback: new rows, updated rows; and a row gone.
    const db = new Database(file);
    db.prepare("INSERT INTO users (user_id, email, is_active, created) VALUES (1000, 'sqlite-only@x', 1, 'x')").run();
    db.prepare("UPDATE users SET email = 'newer-on-sqlite@x' WHERE user_id = 3").run();
    db.prepare("UPDATE settings SET value = 'two (sqlite)' WHERE key = 'a'").run();
    db.prepare('DELETE FROM users WHERE user_id = 4').run();
    db.close();
    const r = await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', m, '--mode', 'upsert', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const out = CopyResultSchema.parse(jsonLine(r));
    expect(out.mode).toBe('upsert');
    expect(out.tables.map((t) => [t.table, t.ok, t.rows, t.keys])).toEqual([
      ['users', true, { postgres: 50, sqlite: 51 }, { postgres: 50, foundInSqlite: 50, inserted: 1 }],
      ['settings', true, { postgres: 1, sqlite: 1 }, { postgres: 1, foundInSqlite: 1, inserted: 0 }],
    ]);
    expect(r.stderr).toContain('verified users: 50 of 50 PostgreSQL keys in SQLite (1 inserted, 49 kept SQLite\'s row), SQLite holds 51 rows');
    const after = new Database(file, { readonly: true });
    const emails = after.prepare('SELECT user_id, email FROM users WHERE user_id IN (3, 4, 1000) ORDER BY user_id').all();
    const setting = after.prepare("SELECT value FROM settings WHERE key = 'a'").pluck().get();
    after.close();
    expect(emails).toEqual([
      { user_id: 3, email: 'newer-on-sqlite@x' },
      { user_id: 4, email: 'u4@x' },
      { user_id: 1000, email: 'sqlite-only@x' },
    ]);
    expect(setting).toBe('two (sqlite)');
    // The same copy in mirror mode (the default) makes SQLite PostgreSQL's again: verified by contents.
    const mirror = await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', m, '--json'], env());
    const mirrored = CopyResultSchema.parse(jsonLine(mirror));
    expect(mirrored.tables.map((t) => [t.table, t.ok, t.rows.sqlite, t.keys])).toEqual([
      ['users', true, 50, undefined],
      ['settings', true, 1, undefined],
    ]);
    expect((await drillData(['copy', '--from-env', 'SOURCE_URL', '--to', file, '--mapping-json', m, '--mode', 'merge'], env())).code).toBe(2);
  });

  it('--max-key on an unmapped table is exit 2', async () => {
    const r = await drillData(['checksum', '--engine', 'postgres', '--db-env', 'SOURCE_URL', '--mapping-json', JSON.stringify(MAPPING), '--max-key', 'nope=1'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-key must be TABLE=N with a mapped table/);
  });
});
