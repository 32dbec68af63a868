// The CLI against a real PostgreSQL and real SQLite files: sync both ways with verification,
// tamper detection, idempotent re-runs, salvage of a damaged data directory, usage errors.
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN } from '../test-support/app-process.ts';
import { startTestPostgres, type TestPostgres } from '../test-support/postgres.ts';

let pg: TestPostgres;
const dir = mkdtempSync(path.join(tmpdir(), 'app-cli-'));
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
beforeAll(async () => {
  pg = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json?: any;
}
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(CLI_BIN, args, { env: { PATH: process.env.PATH ?? '', DATABASE_URL: pg.url, ...env }, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        json = undefined;
      }
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, json });
    });
  });
}

/** A file of the given lines. */
function usersFile(lines: string[]): string {
  const f = path.join(dir, `users-${lines.length}-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

describe('hyperpage-cli sync', () => {
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');

  it('round trip SQLite → PostgreSQL → SQLite keeps every table equal (counts and checksums)', async () => {
    expect((await cli(['seed', '--users', '5000', '--engine', 'sqlite', '--json'], { DATABASE_PATH: a })).code).toBe(0);
    const fwd = await cli(['sync', '--from', 'sqlite', '--to', 'postgres', '--mode', 'mirror', '--json'], { DATABASE_PATH: a });
    expect(fwd.code, fwd.stderr).toBe(0);
    expect(fwd.json.ok).toBe(true);
    expect(fwd.json.tables.find((t: { name: string }) => t.name === 'users')).toMatchObject({ sourceRows: 5000, targetRows: 5000, ok: true });
    const back = await cli(['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'mirror', '--json'], { DATABASE_PATH: b });
    expect(back.code, back.stderr).toBe(0);
    const sa = await cli(['checksum', '--engine', 'sqlite', '--json'], { DATABASE_PATH: a });
    const sb = await cli(['checksum', '--engine', 'sqlite', '--json'], { DATABASE_PATH: b });
    const sp = await cli(['checksum', '--engine', 'postgres', '--json']);
    expect(sb.json.tables).toEqual(sa.json.tables);
    expect(sp.json.tables).toEqual(sa.json.tables);
  });

  it('seeds the users of --users-file after the deterministic ones, names kept byte for byte through the forward sync', async () => {
    const names = ['Zoë 😀 \u200f\u05e9\u05dc\u05d5\u05dd', "'); DROP TABLE x; --", '  ws\t', 'a\u0301'.repeat(100)];
    const file = usersFile(names.map((name, i) => JSON.stringify({ email: `given-${i}@t`, name })));
    const c = path.join(dir, 'given.db');
    const r = await cli(['seed', '--users', '3', '--engine', 'sqlite', '--users-file', file, '--json'], { DATABASE_PATH: c });
    expect(r.code, r.stderr).toBe(0);
    const db = new BetterSqlite3(c, { readonly: true });
    const rows = db.prepare("SELECT id, name FROM users WHERE email LIKE 'given-%' ORDER BY id").all() as { id: number; name: string }[];
    db.close();
    expect(rows).toEqual(names.map((name, i) => ({ id: 4 + i, name })));
  });

  it('identity continues after copied ids: a new PostgreSQL row gets id 5001', async () => {
    const { default: pgmod } = await import('pg');
    const c = new pgmod.Client({ connectionString: pg.url });
    await c.connect();
    const r = await c.query("INSERT INTO users (email, name, created_at) VALUES ('after@t', 'x', 1) RETURNING id");
    await c.query('DELETE FROM users WHERE id = $1', [r.rows[0].id]);
    await c.end();
    expect(Number(r.rows[0].id)).toBe(5001);
  });

  it('detects a corrupted row in the target and names the table (exit 1)', async () => {
    const db = new BetterSqlite3(b);
    db.prepare("UPDATE users SET name = 'tampered' WHERE id = 4242").run();
    db.close();
    const v = await cli(['sync', '--from', 'postgres', '--to', 'sqlite', '--verify-only', '--json'], { DATABASE_PATH: b });
    expect(v.code).toBe(1);
    expect(v.json.ok).toBe(false);
    expect(v.json.tables.filter((t: { ok: boolean }) => !t.ok).map((t: { name: string }) => t.name)).toEqual(['users']);
    expect(v.stderr).toContain('mismatch in: users');
  });

  it('is idempotent: re-running upsert repairs the row and converges; --max-id bounds a snapshot', async () => {
    const first = await cli(['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'upsert', '--json'], { DATABASE_PATH: b });
    const again = await cli(['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'upsert', '--json'], { DATABASE_PATH: b });
    expect([first.code, again.code]).toEqual([0, 0]);
    const db = new BetterSqlite3(b);
    db.prepare("INSERT INTO users (email, name, created_at) VALUES ('extra@t', 'x', 1)").run();
    db.close();
    const bounded = await cli(['checksum', '--engine', 'sqlite', '--max-id', 'users=5000', '--json'], { DATABASE_PATH: b });
    const full = await cli(['checksum', '--engine', 'sqlite', '--json'], { DATABASE_PATH: b });
    const pgSum = await cli(['checksum', '--engine', 'postgres', '--json']);
    expect(bounded.json.tables[0]).toEqual(pgSum.json.tables[0]);
    expect(full.json.tables[0].rows).toBe(5001);
    // upsert keeps the target-only row and still verifies the source's key range.
    expect((await cli(['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'upsert'], { DATABASE_PATH: b })).code).toBe(0);
  });

  it.each([
    [['sync', '--from', 'postgresql', '--to', 'sqlite'], /--from must be sqlite or postgres/],
    [['sync', '--from', 'sqlite', '--to', 'sqlite'], /must differ/],
    [['sync', '--from', 'sqlite', '--to', 'postgres', '--mode', 'merge'], /--mode must be mirror or upsert/],
    [['seed', '--users=-5', '--engine', 'sqlite'], /--users must be a whole number/],
    [['frobnicate'], /unknown command/],
    [['checksum', '--engine', 'sqlite', '--max-id', 'nope=1'], /--max-id must be TABLE=N/],
    [['seed', '--users', '1', '--engine', 'sqlite', '--users-file', path.join(dir, 'missing.jsonl')], /--users-file .*missing\.jsonl: ENOENT/],
    [['seed', '--users', '1', '--engine', 'sqlite', '--users-file', usersFile(['{"email":"a@t"}'])], /--users-file .*: line 1 is not \{"email": string, "name": string\}/],
  ])('usage error %j exits 2 with one line', async (args, msg) => {
    const r = await cli(args, { DATABASE_PATH: path.join(dir, 'u.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toHaveLength(1);
  });

  it('a dead database: exit 2, one line naming it, never its password', async () => {
    const r = await cli(['checksum', '--engine', 'postgres'], { DATABASE_URL: 'postgresql://hyperpage:sup3r-secret@127.0.0.1:1/hyperpage' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'))).toEqual([expect.stringMatching(/^hyperpage-cli: cannot connect to PostgreSQL at postgresql:\/\/\*\*\*@127\.0\.0\.1:1\/hyperpage: .*ECONNREFUSED/)]);
    expect(r.stderr).toContain('***');
    expect(r.stderr).not.toContain('sup3r-secret');
  });
});

describe('hyperpage-cli salvage', () => {
  it('reads every committed row out of a data directory whose server cannot start (PG_VERSION damaged)', async () => {
    await using src = await startTestPostgres();
    const s = path.join(dir, 'salvage-src.db');
    expect((await cli(['seed', '--users', '3000', '--engine', 'sqlite'], { DATABASE_PATH: s })).code).toBe(0);
    expect((await cli(['sync', '--from', 'sqlite', '--to', 'postgres', '--mode', 'mirror'], { DATABASE_PATH: s, DATABASE_URL: src.url })).code).toBe(0);
    const before = await cli(['checksum', '--engine', 'postgres', '--json'], { DATABASE_URL: src.url });
    await src.stop();
    writeFileSync(path.join(src.dataDir, 'PG_VERSION'), 'corrupted\n');
    await expect(src.start()).rejects.toThrow();
    // Under root (the salvage Job on kind), the SQLite file stays its folder owner's, here nobody's: the app pods must still write it.
    const owned = path.join(dir, 'owned-by-nobody');
    mkdirSync(owned);
    if (asRoot) chownSync(owned, NOBODY, NOBODY);
    const out = path.join(owned, 'salvaged.db');
    const r = await cli(['salvage', '--pgdata', src.dataDir, '--to', 'sqlite', '--mode', 'mirror', '--json'], { DATABASE_PATH: out, DATABASE_URL: src.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.repairs.join(' ')).toMatch(/PG_VERSION was "corrupted"/);
    const after = await cli(['checksum', '--engine', 'sqlite', '--json'], { DATABASE_PATH: out });
    expect(after.json.tables).toEqual(before.json.tables);
    if (asRoot) expect(statSync(out).uid, 'owner of the salvaged SQLite file').toBe(NOBODY);
  }, 120_000);
});
