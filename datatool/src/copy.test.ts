// copy and checksum against a real embedded PostgreSQL and real SQLite files, through the real bin.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillData, jsonLine } from '../test-support/cli.ts';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { createPgSchema, createSqlite, MAPPING } from '../test-support/schema.ts';
import { keysFoundInSqlite } from './copy.ts';
import { parseMapping } from './mapping.ts';
import { PG_SESSION_SQL, resolveOnPostgres } from './resolve.ts';
import { ChecksumResultSchema, CopyResultSchema } from './result.ts';

let server: TestPostgres;
let dir: string;
let mappingFile: string;
const pgRows: Record<string, unknown>[] = [];

// Values chosen to break a naive copy: escapes, unicode, NULLs, integers beyond 2^53, pre-1970
// times with milliseconds, false booleans, nested JSON, trailing zeros in numerics.
const SEED = `
INSERT INTO accounts (email, display_name, profile, active, created_at, seen_at, updated_at, balance, score, counter) VALUES
 ('a@x', E'tab\\there\\nnew line \\\\ back', '{"b": [1, 2, {"c": null}], "a": "é"}', true, '2024-02-29 23:59:59.123+00', '2024-01-01 00:00:00.5+02', '2030-05-05 05:05:05+00', 12.50, 0.1, 9007199254740993),
 ('b@x', NULL, NULL, false, '1969-12-31 23:59:59.001+00', '1969-12-31 23:59:59.5+00', NULL, -0.01, -1e-7, -9223372036854775808),
 ('c@x', 'Zoë 🚀', '[]', true, '2000-01-01 00:00:00+00', NULL, '1970-01-01 00:00:00+00', NULL, NULL, 0);
INSERT INTO accounts (email, active, created_at) SELECT 'bulk' || g || '@x', g % 2 = 0, '2020-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 20000) g;
INSERT INTO settings VALUES ('b', 'two'), ('A', 'one'), ('a', E'with\\ttab'), ('é', NULL);`;

beforeAll(async () => {
  server = await startPostgres();
  await createPgSchema(server.url);
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(SEED);
  pgRows.push(...(await c.query("SELECT * FROM accounts WHERE email NOT LIKE 'bulk%' ORDER BY id")).rows);
  await c.end();
  dir = mkdtempSync(path.join(tmpdir(), 'datatool-copy-'));
  mappingFile = path.join(dir, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(MAPPING));
}, 120_000);

afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freshSqlite(name: string, schema?: string): string {
  const file = path.join(dir, name);
  createSqlite(file, schema);
  return file;
}

describe('drill-data copy', () => {
  it('copies through renames and every conversion, verified, and each value round-trips', async () => {
    const file = freshSqlite('ok.db');
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile, '--batch', '1000', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = CopyResultSchema.parse(jsonLine(r));
    expect(result.ok).toBe(true);
    expect(result.tables.map((t) => [t.table, t.rows.postgres, t.rows.sqlite])).toEqual([
      ['users', 20003, 20003],
      ['settings', 4, 4],
    ]);
    expect(r.stderr).not.toContain(server.password);

    const db = new Database(file, { readonly: true });
    db.defaultSafeIntegers(true);
    const got = db.prepare('SELECT * FROM users WHERE user_id <= 3 ORDER BY user_id').all() as Record<string, unknown>[];
    expect(got).toHaveLength(3);
    for (const [i, row] of got.entries()) {
      const src = pgRows[i]!;
      expect(row.user_id).toBe(BigInt(src.id as string));
      expect(row.name).toBe(src.display_name);
      expect(row.profile_json === null ? null : JSON.parse(row.profile_json as string)).toEqual(src.profile);
      expect(row.is_active).toBe(src.active ? 1n : 0n);
      expect(row.created).toBe((src.created_at as Date).toISOString());
      expect(row.seen_ms).toBe(src.seen_at === null ? null : BigInt((src.seen_at as Date).getTime()));
      expect(row.updated_s).toBe(src.updated_at === null ? null : BigInt(Math.floor((src.updated_at as Date).getTime() / 1000)));
      expect(row.balance).toBe(src.balance);
      expect(row.score).toBe(src.score);
      expect(row.counter).toBe(BigInt(src.counter as string));
    }
    expect(got[0]!.counter).toBe(9007199254740993n);
    expect(got[0]!.name).toBe('tab\there\nnew line \\ back');
    expect(got[0]!.balance).toBe('12.50');
    expect(got[1]!.seen_ms).toBe(-500n);
    // The app's index survives the load (dropped for speed, rebuilt before COMMIT).
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'users_email'").get()).toEqual({ name: 'users_email' });
    db.close();
  });

  it('replaces what the table held before (one transaction per table)', async () => {
    const file = freshSqlite('stale.db');
    const db = new Database(file);
    db.prepare("INSERT INTO settings VALUES ('stale', 'x')").run();
    db.close();
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile, '--tables', 'settings', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(CopyResultSchema.parse(jsonLine(r)).tables.map((t) => t.table)).toEqual(['settings']);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT COUNT(*) AS n FROM settings WHERE key = 'stale'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('a missing SQLite column is one clear line, exit 2, and nothing is written', async () => {
    const file = freshSqlite('missing.db', `CREATE TABLE users (user_id INTEGER PRIMARY KEY, email TEXT, name TEXT, profile_json TEXT, is_active INTEGER,
      created TEXT, seen_ms INTEGER, balance TEXT, score REAL, counter INTEGER); CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
      INSERT INTO settings VALUES ('keep', 'me');`);
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('SQLite table "users" has no column "updated_s"');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT key FROM settings').all()).toEqual([{ key: 'keep' }]);
    db.close();
  });

  it('a missing PostgreSQL column, a missing table and a conversion on the wrong type are exit 2 naming them', async () => {
    const file = freshSqlite('bad.db');
    const cases: [unknown, string][] = [
      [{ tables: [{ postgres: 'accounts', sqlite: 'users', columns: [{ pg: 'nope', sqlite: 'email' }] }] }, 'has no column "nope"'],
      [{ tables: ['missing_table'] }, 'missing_table does not exist'],
      [{ tables: [{ postgres: 'accounts', sqlite: 'users', columns: [{ pg: 'id', sqlite: 'user_id' }, { pg: 'email', convert: 'boolean-int' }] }] }, 'accounts.email is text: conversion boolean-int needs boolean'],
      [{ tables: [{ name: 'settings', columns: ['key'], convert: 'x' }] }, 'Unrecognized key'],
    ];
    for (const [mapping, message] of cases) {
      const f = path.join(dir, 'bad-mapping.yaml');
      writeFileSync(f, JSON.stringify(mapping));
      const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', f]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it('an unreachable server is exit 2 with the password masked', async () => {
    const url = server.url.replace(/:(\d+)\//, ':1/');
    const r = await drillData(['copy', '--from', url, '--to', freshSqlite('x.db'), '--mapping', mappingFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot connect to PostgreSQL at postgresql://drill:***@127.0.0.1:1/appdb');
    expect(r.stderr).not.toContain(server.password);
  });

  it('a row SQLite refuses mid-copy is exit 3 naming the table, and that table keeps what it held', async () => {
    // An unmapped NOT NULL column without a default: SQLite refuses the first batch.
    const file = freshSqlite('refused.db', `CREATE TABLE users (user_id INTEGER PRIMARY KEY, email TEXT, name TEXT, profile_json TEXT, is_active INTEGER,
      created TEXT, seen_ms INTEGER, updated_s INTEGER, balance TEXT, score REAL, counter INTEGER, tenant TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT); INSERT INTO users (user_id, tenant) VALUES (42, 'old');`);
    const t0 = performance.now();
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('writing users into SQLite: NOT NULL constraint failed: users.tenant');
    expect(performance.now() - t0).toBeLessThan(15_000);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT user_id, tenant FROM users').all()).toEqual([{ user_id: 42, tenant: 'old' }]);
    db.close();
  });

  it('a lossy SQLite column fails verification: exit 1 naming the table and both checksums', async () => {
    // INTEGER affinity turns the text '007' into 7: the stored value is not the one sent.
    const file = freshSqlite('lossy.db', 'CREATE TABLE settings (key TEXT PRIMARY KEY, value INTEGER);');
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query("CREATE TABLE codes (key text PRIMARY KEY, value text); INSERT INTO codes VALUES ('x', '007')");
    await c.end();
    const f = path.join(dir, 'lossy.yaml');
    writeFileSync(f, 'tables:\n  - postgres: codes\n    sqlite: settings\n');
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', f, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const result = CopyResultSchema.parse(jsonLine(r));
    expect(result.ok).toBe(false);
    expect(result.tables[0]!.rows).toEqual({ postgres: 1, sqlite: 1 });
    expect(r.stderr).toMatch(/mismatch in settings: rows postgres 1 vs sqlite 1, checksum [0-9a-f]{64} vs [0-9a-f]{64}/);
  });
});

describe('drill-data copy --mode upsert (the recovery after a rollback: SQLite has served since)', () => {
  it('keysFoundInSqlite: every PostgreSQL key looked up in SQLite as copied (escapes, unicode, case), the lacking ones named', async () => {
    const file = freshSqlite('keys.db');
    expect((await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile])).code).toBe(0);
    const db = new Database(file);
    db.prepare('DELETE FROM users WHERE user_id = 7').run();
    db.prepare("DELETE FROM settings WHERE key = 'é'").run();
    db.close();
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      await c.query(PG_SESSION_SQL);
      const found = async (i: number) => keysFoundInSqlite(c, await resolveOnPostgres(c, parseMapping(JSON.stringify(MAPPING))[i]!), file);
      expect(await found(0)).toEqual({ postgres: 20003, found: 20002, missing: ['7'] });
      expect(await found(1)).toEqual({ postgres: 4, found: 3, missing: ['é'] });
    } finally {
      await c.end();
    }
    // The upsert puts them back and verifies all of them.
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile, '--mode', 'upsert', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(CopyResultSchema.parse(jsonLine(r)).tables.map((t) => [t.table, t.keys])).toEqual([
      ['users', { postgres: 20003, foundInSqlite: 20003, inserted: 1 }],
      ['settings', { postgres: 4, foundInSqlite: 4, inserted: 1 }],
    ]);
  });

  it('a PostgreSQL key that does not stay in SQLite fails verification: exit 1 naming the table and the key', async () => {
    const file = freshSqlite('upsert-lost.db');
    // A SQLite trigger that swallows one inserted key: the INSERT succeeds, the row is not there.
    const db = new Database(file);
    db.exec("CREATE TRIGGER swallow AFTER INSERT ON settings WHEN NEW.key = 'A' BEGIN DELETE FROM settings WHERE key = NEW.key; END;");
    db.close();
    const r = await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile, '--mode', 'upsert', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const out = CopyResultSchema.parse(jsonLine(r));
    expect(out.tables.find((t) => t.table === 'settings')).toMatchObject({ ok: false, keys: { postgres: 4, foundInSqlite: 3, inserted: 4 } });
    expect(out.tables.find((t) => t.table === 'users')).toMatchObject({ ok: true, keys: { postgres: 20003, foundInSqlite: 20003, inserted: 20003 } });
    expect(r.stderr).toContain('MISMATCH settings: 3 of 4 PostgreSQL keys in SQLite (4 inserted, 0 kept SQLite\'s row), SQLite holds 3 rows; missing: "A"');
  });
});

describe('drill-data checksum', () => {
  it('agrees across engines after a copy, and differs after one stored value is changed (mutation)', async () => {
    const file = freshSqlite('sum.db');
    expect((await drillData(['copy', '--from', server.url, '--to', file, '--mapping', mappingFile])).code).toBe(0);
    const sums = async () => {
      const a = await drillData(['checksum', '--engine', 'postgres', '--db', server.url, '--mapping', mappingFile, '--json']);
      const b = await drillData(['checksum', '--engine', 'sqlite', '--db', file, '--mapping', mappingFile, '--json']);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      return [ChecksumResultSchema.parse(jsonLine(a)).tables, ChecksumResultSchema.parse(jsonLine(b)).tables] as const;
    };
    const [pgSums, sqliteSums] = await sums();
    expect(sqliteSums).toEqual(pgSums);

    const db = new Database(file);
    // One character of one converted value in one of 20,003 rows.
    db.prepare("UPDATE users SET created = replace(created, '.123Z', '.124Z') WHERE user_id = 1").run();
    db.close();
    const [pgAfter, sqliteAfter] = await sums();
    expect(pgAfter).toEqual(pgSums);
    expect(sqliteAfter.find((t) => t.table === 'users')!.checksum).not.toBe(pgSums.find((t) => t.table === 'users')!.checksum);
    expect(sqliteAfter.find((t) => t.table === 'users')!.rows).toBe(20003);
    expect(sqliteAfter.find((t) => t.table === 'settings')).toEqual(pgSums.find((t) => t.table === 'settings'));
  });
});
