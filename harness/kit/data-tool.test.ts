// drill-data Jobs as Kubernetes objects (the URL from the app secret through an env var, never on
// argv; the profile's mapping inline; salvage with the PostgreSQL claim, as root), and their result
// lines read with the tool's own schemas — here from the real bin's output on a real SQLite file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DataChecksumResultSchema, CopyResultSchema } from '../../datatool/contract.ts';
import { MappingSchema } from '../../datatool/contract.ts';
import { REPO_ROOT } from './repo.ts';
import { TOPOLOGY } from './topology.ts';
import { assertValidManifest } from '../platform/schema.ts';
import { assertCopied, DATA_TOOL_IMAGE, dataToolJob, mappedPostgresTables, PGDATA_DIR, readResult, URL_ENV } from './data-tool.ts';
import { CliContractError } from './app-cli.ts';
import type { JobResult } from '../model/platform.ts';

const MAPPING = MappingSchema.parse({ tables: ['users', { postgres: { table: 'accounts', schema: 'app' }, sqlite: 'kv', key: ['id'], columns: ['id', { pg: 'v', convert: 'jsonb-text' }] }] });
const dir = mkdtempSync(path.join(tmpdir(), 'data-tool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (res: Partial<JobResult>): JobResult => ({ name: 'drill-data-x', succeeded: true, exitCode: 0, logs: '', durationMs: 1, ...res });

describe('dataToolJob', () => {
  it('runs drill-data in its image with the URL from the app secret in an env var, the mapping inline, and no password on argv', () => {
    const j = dataToolJob({ args: ['copy', '--from-env', URL_ENV, '--to', TOPOLOGY.sqlitePath, '--mode', 'mirror'], mapping: MAPPING });
    assertValidManifest(j);
    const c = j.spec!.template.spec!.containers[0]!;
    expect(c.image).toBe(DATA_TOOL_IMAGE);
    expect(c.command!.slice(0, 4)).toEqual(['drill-data', 'copy', '--from-env', URL_ENV]);
    expect(c.command!.at(-1)).toBe('--json');
    const inline = c.command![c.command!.indexOf('--mapping-json') + 1]!;
    expect(MappingSchema.parse(JSON.parse(inline))).toEqual(MAPPING);
    expect(c.env).toContainEqual({ name: URL_ENV, valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } });
    expect(c.command!.join(' ')).not.toMatch(/postgres(ql)?:\/\//);
    expect(c.securityContext).toBeUndefined();
    expect(j.spec!.template.spec!.volumes!.map((v) => v.persistentVolumeClaim?.claimName)).toEqual([TOPOLOGY.sqlitePvc]);
  });

  it('a salvage Job mounts the PostgreSQL claim and runs as root to read its 0700 data directory', () => {
    const j = dataToolJob({ args: ['salvage', '--data-dir', PGDATA_DIR], mapping: MAPPING, mountPostgresData: true });
    assertValidManifest(j);
    const c = j.spec!.template.spec!.containers[0]!;
    expect(c.volumeMounts).toContainEqual({ name: 'postgres-data', mountPath: '/pgdata' });
    expect(c.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
  });

  it('names the PostgreSQL table each mapped table reads (schema.table)', () => {
    expect(mappedPostgresTables(MAPPING)).toEqual([
      { sqlite: 'users', postgres: 'public.users' },
      { sqlite: 'kv', postgres: 'app.accounts' },
    ]);
  });
});

describe('reading drill-data results', () => {
  it("parses the real bin's checksum line among its progress lines", () => {
    const file = path.join(dir, 'a.db');
    const db = new Database(file);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'a'), (2, 'b'), (3, 'c');");
    db.close();
    const bin = path.join(REPO_ROOT, 'bin', 'drill-data');
    const out = execFileSync(bin, ['checksum', '--engine', 'sqlite', '--db', file, '--mapping-json', '{"tables":["users"]}', '--max-key', 'users=2', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const r = readResult(job({ logs: `users: 2 rows, sha256 …\n${out}` }), DataChecksumResultSchema, 'checksum');
    expect(r.out?.tables).toEqual([{ table: 'users', rows: 2, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('no result line (the tool failed first) is undefined; a line that breaks the schema throws naming the field', () => {
    expect(readResult(job({ succeeded: false, exitCode: 2, logs: 'drill-data copy: cannot connect to PostgreSQL' }), CopyResultSchema, 'copy').out).toBeUndefined();
    expect(() => readResult(job({ logs: '{"command":"copy","ok":"yes"}' }), CopyResultSchema, 'copy')).toThrow(CliContractError);
  });

  it('assertCopied passes a verified copy and otherwise names the tables that differ and the last log line', () => {
    const t = { table: 'users', postgresTable: 'public.users', ok: true, rows: { postgres: 3, sqlite: 3 }, checksum: { postgres: 'a', sqlite: 'a' }, copyMs: 1, verifyMs: 1 };
    const ok = { command: 'copy' as const, ok: true, tables: [t], rows: 3, copyMs: 1, verifyMs: 1, rowsPerSec: 3000, batch: 5000, mode: 'mirror' as const };
    expect(assertCopied('copy', { res: job({}), out: ok })).toBe(ok);
    const bad = { ...ok, ok: false, tables: [{ ...t, ok: false, rows: { postgres: 3, sqlite: 2 } }] };
    expect(() => assertCopied('drill-data copy', { res: job({ succeeded: false, exitCode: 1, logs: 'x\nmismatch in users' }), out: bad })).toThrow('drill-data copy failed (exit 1): users 3→2: mismatch in users');
    expect(() => assertCopied('drill-data copy', { res: job({ succeeded: false, exitCode: 2, logs: 'cannot connect' }), out: undefined })).toThrow('drill-data copy failed (exit 2): cannot connect');
  });
});
