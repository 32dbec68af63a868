// salvage from the data directory of a stopped server whose PG_VERSION was garbled: a server will
// not start on it as it is, the tool repairs a copy and reads it out through the mapping.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillData, jsonLine } from '../test-support/cli.ts';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { createPgSchema, createSqlite, MAPPING } from '../test-support/schema.ts';
import { SalvageResultSchema } from './result.ts';

let server: TestPostgres;
let dir: string;

beforeAll(async () => {
  server = await startPostgres();
  await createPgSchema(server.url);
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`INSERT INTO accounts (email, active, created_at, profile) SELECT 'u' || g, g % 3 = 0, now(), jsonb_build_object('n', g) FROM generate_series(1, 5000) g;
    INSERT INTO settings VALUES ('k', 'v')`);
  await c.end();
  // Stopped with its data in place, as after a crash of the pod.
  await server.stop();
  dir = mkdtempSync(path.join(tmpdir(), 'datatool-salvage-'));
}, 120_000);

afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('drill-data salvage', () => {
  it('repairs a garbled PG_VERSION on a copy, reads every mapped table out, verified; the original stays as it was', async () => {
    const versionFile = path.join(server.dataDir, 'PG_VERSION');
    writeFileSync(versionFile, '\u0000\u00ffgarbage\n');
    const mappingFile = path.join(dir, 'mapping.yaml');
    writeFileSync(mappingFile, JSON.stringify(MAPPING));
    const file = path.join(dir, 'salvaged.db');
    createSqlite(file);
    // --work-dir: where the copy goes (the harness gives it a memory-backed volume); emptied after.
    const work = path.join(dir, 'work');
    mkdirSync(work);
    chmodSync(dir, 0o755); // run as root, the server is the postgres user: it must reach the copy
    const r = await drillData(['salvage', '--data-dir', server.dataDir, '--to', file, '--mapping', mappingFile, '--work-dir', work, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = SalvageResultSchema.parse(jsonLine(r));
    expect(result.ok).toBe(true);
    expect(result.database).toBe('appdb');
    expect(result.tables.map((t) => [t.table, t.rows.sqlite])).toEqual([
      ['users', 5000],
      ['settings', 1],
    ]);
    expect(result.repairs.join('; ')).toMatch(/PG_VERSION was ".*garbage", rewritten to 15/);
    expect(readFileSync(versionFile, 'utf8')).toContain('garbage');
    expect(existsSync(path.join(server.dataDir, 'postmaster.pid'))).toBe(false);
    expect(r.stderr).toMatch(/copied in \d+ ms/);
    expect(readdirSync(work)).toEqual([]);
  }, 120_000);

  it('a directory that is not a data directory is exit 2 in one line', async () => {
    const r = await drillData(['salvage', '--data-dir', dir, '--to', path.join(dir, 'x.db'), '--mapping', path.join(dir, 'mapping.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`drill-data salvage: ${dir} is not a PostgreSQL data directory (no global/)`);
  });
});
