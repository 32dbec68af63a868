// The preflight checks on real apps, each as a pass/fail pair: the reference app (strict engine,
// health that queries the database, writes on PostgreSQL) and the same app with the defect the
// premise is about (Hyperpage's engine rule, its blind health as a mutant, a missing table); the
// settings app's SQLite file migrated or fresh. Real processes, a real PostgreSQL, sqlite3 and psql.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT, TSX_LOADER } from '../../app/test-support/app-process.ts';
import { freePort, startTestPostgres, type TestPostgres } from '../../app/test-support/postgres.ts';
import { CLI_BIN as SETTINGS_CLI } from '../../fixtures/settings-app/test-support/process.ts';
import { loadTarget } from '../targets/load.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import {
  checkBaselineAcknowledgesWrites,
  checkEngineValueStrict,
  checkHealthReflectsDatabase,
  checkSqliteSchemaBeforeTraffic,
  probeWrite,
  type DatabaseReader,
  type StartOutcome,
} from './preflight.ts';

const run = promisify(execFile);

/** sqlite3 on a file and psql on a URL, from this host (what exec runs in the pods on a platform). */
function hostReader(sqliteFile: string, pgUrl: string): DatabaseReader {
  return {
    async query(engine, sql) {
      try {
        if (engine === 'sqlite') return (await run('sqlite3', ['-readonly', sqliteFile, sql])).stdout;
        const child = execFile('psql', ['-v', 'ON_ERROR_STOP=1', '-qtA', pgUrl]);
        const out = new Promise<string>((resolve, reject) => {
          let stdout = '';
          let stderr = '';
          child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
          child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`psql exit ${code}: ${stderr.trim().split('\n')[0]}`))));
        });
        child.stdin!.end(sql);
        return await out;
      } catch (err) {
        throw new Error(((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0]);
      }
    },
  };
}

/** The reference app (or its mutant) as a child process: serving once it says "listening on", refused if it exits first. */
async function launch(env: Record<string, string>, mutants?: string): Promise<StartOutcome> {
  const port = await freePort();
  const script = mutants ? path.join(APP_ROOT, 'test-support', 'mutant-main.ts') : path.join(APP_ROOT, 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...(mutants ? [`--mutants=${mutants}`] : [])], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const t0 = Date.now();
  while (!out.includes('listening on')) {
    if (child.exitCode !== null) return { refused: true, detail: `exit code ${child.exitCode}: ${out.trim().split('\n').at(-1)}` };
    if (Date.now() - t0 > 30_000) {
      child.kill('SIGKILL');
      return { refused: true, detail: 'not listening after 30 s' };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    refused: false,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serving(o: StartOutcome): Promise<Extract<StartOutcome, { refused: false }>> {
  if (o.refused) throw new Error(`app did not start: ${o.detail}`);
  return o;
}

describe('preflight on the reference app and its defects', () => {
  let pg: TestPostgres;
  let dir: string;
  let sqliteFile: string;
  let reader: DatabaseReader;
  let target: TargetProfile;
  beforeAll(async () => {
    pg = await startTestPostgres();
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
    sqliteFile = path.join(dir, 'app.db');
    reader = hostReader(sqliteFile, pg.url);
    target = await loadTarget('reference');
  });
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ DATABASE_URL: pg.url, DATABASE_PATH: sqliteFile });

  it('engine value: the reference app refuses DB_ENGINE=postgresql (holds); with Hyperpage\'s rule it is served by SQLite, judged from where the write landed (fails)', async () => {
    const strict = await checkEngineValueStrict({ target, reader, start: (v) => launch({ ...env(), DB_ENGINE: v }) });
    expect(strict.holds).toBe(true);
    expect(strict.measured).toMatch(/^DB_ENGINE=postgresql: refused at start \(exit code [1-9]/);

    // The PostgreSQL baseline as a drill has it (the app migrates its schema on start), so the probe is looked for in both databases.
    await (await serving(await launch({ ...env(), DB_ENGINE: 'postgres' }))).stop();
    // Hyperpage at 151e93f: exactly "postgres" selects PostgreSQL, anything else SQLite.
    const hyperpageRule = (v: string) => launch({ ...env(), DB_ENGINE: v === 'postgres' ? 'postgres' : 'sqlite' });
    const lax = await checkEngineValueStrict({ target, reader, start: hyperpageRule });
    expect(lax.holds).toBe(false);
    expect(lax.measured).toBe('DB_ENGINE=postgresql: started and served, write HTTP 201 landed in sqlite: served by sqlite');
  });

  it('health: the reference app answers 503 while PostgreSQL is down (holds); the health-blind mutant answers 200 (fails)', async () => {
    const down = async () => {
      const r = await run('pg_isready', ['-h', '127.0.0.1', '-p', String(pg.port)]).catch((e: { code?: number; stdout?: string }) => e);
      return 'code' in r && r.code ? `pg_isready exit ${r.code}: ${(r.stdout ?? '').trim()}` : null;
    };
    const hooks = { stopDatabase: () => pg.stop(), startDatabase: () => pg.start(), databaseDown: down, samples: 3, intervalMs: 100 };

    const app = await serving(await launch({ ...env(), DB_ENGINE: 'postgres' }));
    try {
      const r = await checkHealthReflectsDatabase({ target, baseUrl: app.baseUrl, ...hooks });
      expect(r.holds, r.evidence.join('\n')).toBe(true);
      expect(r.measured).toMatch(/^0 of 3 health answers 2xx while PostgreSQL was down \(503 ×3; pg_isready exit 2: .*no response\)$/);
    } finally {
      await app.stop();
    }

    const blind = await serving(await launch({ ...env(), DB_ENGINE: 'postgres' }, 'health-blind'));
    try {
      const r = await checkHealthReflectsDatabase({ target, baseUrl: blind.baseUrl, ...hooks });
      expect(r.holds).toBe(false);
      expect(r.measured).toMatch(/^3 of 3 health answers 2xx while PostgreSQL was down \(200 ×3; pg_isready exit 2/);
    } finally {
      await blind.stop();
    }
  });

  it('baseline writes: acknowledged and in PostgreSQL (holds); with the table gone, none acknowledged (fails)', async () => {
    const app = await serving(await launch({ ...env(), DB_ENGINE: 'postgres' }));
    try {
      const ok = await checkBaselineAcknowledgesWrites({ target, baseUrl: app.baseUrl, reader, tag: 'ok' });
      expect(ok.holds, ok.evidence.join('\n')).toBe(true);
      expect(ok.measured).toBe('3 of 3 writes acknowledged (HTTP 201 ×3); 3 of 3 found in PostgreSQL');

      await reader.query('postgres', 'DROP TABLE users CASCADE');
      const broken = await checkBaselineAcknowledgesWrites({ target, baseUrl: app.baseUrl, reader, tag: 'gone' });
      expect(broken.holds).toBe(false);
      expect(broken.measured).toMatch(/^0 of 3 writes acknowledged \(HTTP 5\d\d ×3\); 0 of 3 found in PostgreSQL$/);
      expect(broken.evidence[0]).toMatch(/in PostgreSQL: unreadable \(psql exit 3: ERROR: {2}relation "users" does not exist/);
    } finally {
      await app.stop();
    }
  });
});

describe('preflight: the SQLite schema before traffic (settings app)', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(path.join(tmpdir(), 'preflight-sqlite-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file its CLI migrated holds; a fresh file and a missing one fail, naming what is missing', async () => {
    const target = await loadTarget('settings-app');
    const migrated = path.join(dir, 'migrated.db');
    await run(SETTINGS_CLI, ['seed', '--engine', 'sqlite'], { env: { PATH: process.env.PATH ?? '', SETTINGS_DB_FILE: migrated } });
    const ok = await checkSqliteSchemaBeforeTraffic({ target, reader: hostReader(migrated, 'postgresql://unused') });
    expect(ok.holds, ok.evidence.join('\n')).toBe(true);
    expect(ok.measured).toBe("all 1 needed table(s) present (kv); the workload's read returned 8 row(s)");

    const fresh = path.join(dir, 'fresh.db');
    await run('sqlite3', [fresh, 'PRAGMA user_version = 0; VACUUM;']);
    const bad = await checkSqliteSchemaBeforeTraffic({ target, reader: hostReader(fresh, 'postgresql://unused') });
    expect(bad.holds).toBe(false);
    expect(bad.measured).toBe('missing kv (the file has 0 tables)');

    const none = await checkSqliteSchemaBeforeTraffic({ target, reader: hostReader(path.join(dir, 'absent.db'), 'postgresql://unused') });
    expect(none.holds).toBe(false);
    expect(none.measured).toMatch(/^the SQLite file could not be read: .*unable to open database/);
  });

  it('probe writes follow the profile: a new key per write (set), a new value round-robin over the fixed keys (register)', async () => {
    const ref = await loadTarget('reference');
    expect(probeWrite(ref, 't', 2)).toMatchObject({ key: 'preflight-t-2@drill.local', value: 'preflight-t-2@drill.local', method: 'POST', path: '/api/users' });
    const reg = await loadTarget('settings-app');
    const p = probeWrite(reg, 't', 9);
    expect(p).toMatchObject({ key: 'locale', value: 'preflight-t-9', method: 'PUT', path: '/v1/settings/locale', body: '{"value":"preflight-t-9"}' });
  });
});
