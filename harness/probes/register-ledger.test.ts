// The register ledger against the real settings service (fixtures/settings-app) on a real SQLite
// file, read back through its API during the workload and straight from the file with the sqlite3
// CLI (as the drill execs it in a pod). Pass/fail pairs: the app → every read legal and every
// acknowledged write pinned by its read-back; its mutant (one acknowledged PUT in 5, or in 100, not
// written) → exactly one stale read-back per dropped PUT, and the direct read's stale last values.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../../fixtures/settings-app/test-support/postgres.ts';
import { CLI_BIN, startSettingsApp } from '../../fixtures/settings-app/test-support/process.ts';
import { loadTarget } from '../targets/load.ts';
import { type TargetProfile, type TargetProfileInput } from '../model/target-profile.ts';
import { defineTarget } from '../targets/define.ts';
import { TargetProfileError } from '../kit/errors.ts';
import { WriteLedger } from './ledger.ts';
import { setWorkloadOf } from '../kit/workload.ts';
import { httpFeatureChecks } from '../kit/features.ts';
import { runLoad } from './load.ts';
import { pinnedValues } from '../kit/register-rule.ts';
import { RegisterLedger } from './register-ledger.ts';
import { ledgerKeys, parseDirectRows, postgresDirectSql, registerWorkload, registerWriteRequest, sqliteDirectCommand } from '../kit/register-workload.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';

const exec = promisify(execFile);
/** What `settings-cli seed` writes (its README), in key order. */
const SEED = { theme: 'light', locale: 'en-US', timezone: 'UTC', page_size: '25', beta: 'false', motd: 'welcome', retention_days: '30', digest_hour: '8' };
const dir = mkdtempSync(path.join(tmpdir(), 'register-ledger-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const target = await loadTarget('settings-app');
const w = registerWorkload(target);
/** The profile with its values the bare tokens (`reg-<run>-<n>`): what the rule's exact expectations below name. */
const tokenOnly: TargetProfile = { ...target, workload: { ...w, value: undefined } };

/** The profile's direct query on the file, through the sqlite3 CLI (no shell). */
async function sqliteDirect(file: string): Promise<string> {
  const [cmd, ...args] = sqliteDirectCommand(w, file);
  return (await exec(cmd!, args)).stdout;
}

/** A fresh SQLite file seeded by the app's own CLI (each key its initial value). */
async function seededFile(name: string): Promise<string> {
  const file = path.join(dir, `${name}.db`);
  await exec(CLI_BIN, ['seed', '--engine', 'sqlite'], { env: { PATH: process.env.PATH ?? '', SETTINGS_DB_FILE: file } });
  return file;
}

describe('register workload in a profile', () => {
  it('the settings-app profile parses as a register; the set ledger and set writes refuse it in one line', () => {
    expect(w.keys).toHaveLength(8);
    expect(() => setWorkloadOf(target, 'the load')).toThrow(new TargetProfileError('target settings-app has a register workload: the load writes a set (use the register ledger)'));
    expect(() => new WriteLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x' })).toThrow('target settings-app has a register workload: the set ledger writes a set');
  });

  it('a register profile must name its key in paths, its value in the body, and read with one SELECT', async () => {
    const base = (await import('../../targets/settings-app.ts')).default;
    const bad = (workload: object) => () => defineTarget({ ...(base as TargetProfileInput), workload: { ...w, ...workload } as never });
    expect(bad({})).not.toThrow();
    expect(bad({ write: { ...w.write, path: '/v1/settings' } })).toThrow(/workload\.write\.path: the write path names the key/);
    expect(bad({ write: { ...w.write, body: '{"value":"x"}' } })).toThrow(/workload\.write\.body/);
    expect(bad({ direct: { ...w.direct, sqlite: 'DELETE FROM kv' } })).toThrow(/workload\.direct\.sqlite: one SELECT statement/);
    expect(bad({ direct: { ...w.direct, postgres: 'SELECT 1; DROP TABLE app_settings' } })).toThrow(/workload\.direct\.postgres: one statement only/);
    expect(bad({ keys: ['a|b'] })).toThrow(/workload\.keys\.0: a register key/);
    expect(bad({ keys: ['a', 'a'] })).toThrow(/keys must be distinct/);
    expect(bad({ model: 'queue' })).toThrow(/workload\.model/);
  });

  it('builds the write and the direct reads; parses key|value rows (a "|" in a value, other keys, a wrong shape)', () => {
    expect(registerWriteRequest(w, 'page size', 'a"b')).toEqual({ method: 'PUT', path: '/v1/settings/page%20size', body: '{"value":"a\\"b"}' });
    expect(sqliteDirectCommand(w, '/data/s.db')).toEqual(['sqlite3', '-readonly', '-cmd', '.timeout 10000', '/data/s.db', "SELECT k, json_extract(v, '$') FROM kv WHERE active = 1"]);
    expect(postgresDirectSql(w)).toBe("SELECT setting_key, setting_value #>> '{}' FROM app_settings WHERE is_active;\n");
    expect(parseDirectRows(w, 'theme|dark|blue\nlocale|\nfeature_x|1\ntheme|light\n')).toEqual({
      rows: [
        { key: 'theme', value: 'dark|blue' },
        { key: 'locale', value: '' },
        { key: 'theme', value: 'light' },
      ],
      otherKeys: 1,
    });
    expect(() => parseDirectRows(w, '8\n')).toThrow('direct read: a row without "key|value": "8"');
  });

  it('each worker has keys of its own (disjoint, all covered); more workers than keys is refused', () => {
    const at = (concurrency: number) => new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x', concurrency });
    expect([0, 1, 2].map((i) => at(3).workerKeys(i))).toEqual([
      ['theme', 'page_size', 'retention_days'],
      ['locale', 'beta', 'digest_hour'],
      ['timezone', 'motd'],
    ]);
    expect(at(8).workerKeys(7)).toEqual(['digest_hour']);
    expect(() => at(9)).toThrow(new RangeError('concurrency must be a whole number within 1..8 (the keys the ledger writes; got 9)'));
    expect(() => at(0)).toThrow(RangeError);
  });

  it('a drill\'s ledger writes the last half of the keys and leaves the rest to the load; its workers split its own keys', () => {
    expect(ledgerKeys(w)).toEqual(['beta', 'motd', 'retention_days', 'digest_hour']);
    expect(ledgerKeys({ keys: ['a', 'b', 'c'] })).toEqual(['b', 'c']);
    expect(ledgerKeys({ keys: ['only'] })).toEqual(['only']);
    const l = new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x', keys: ledgerKeys(w), concurrency: 4 });
    expect([0, 1, 2, 3].map((i) => l.workerKeys(i))).toEqual([['beta'], ['motd'], ['retention_days'], ['digest_hour']]);
    expect(l.loadKeys).toEqual(['theme', 'locale', 'timezone', 'page_size']);
    expect(l.keys).toEqual(w.keys);
    // Writing every key, the ledger shares them all with the load.
    expect(new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x' }).loadKeys).toEqual(w.keys);
    expect(() => new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x', keys: ledgerKeys(w), concurrency: 5 })).toThrow('concurrency must be a whole number within 1..4 (the keys the ledger writes; got 5)');
    expect(() => new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x', keys: ['theme', 'nope'] })).toThrow('keys must be distinct keys of the register (got ["theme","nope"])');
    expect(() => new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target, runId: 'x', keys: [] })).toThrow(RangeError);
  });

  it('a set profile has no register workload', async () => {
    const reference = await loadTarget('reference');
    expect(() => new RegisterLedger({ baseUrl: 'http://127.0.0.1:9', target: reference, runId: 'x' })).toThrow('target reference has a set workload, not a register one');
  });
});

describe('RegisterLedger on the real settings service (SQLite)', () => {
  /** Read-your-write pairs at 300 writes/s for 3 s (4 workers, 2 keys each), then the file read directly. */
  async function pairs(name: string, env: Record<string, string>, entry: 'main' | 'mutant', t = tokenOnly) {
    const file = await seededFile(name);
    await using app = await startSettingsApp({ DB_ENGINE: 'sqlite', SETTINGS_DB_FILE: file, ...env }, entry);
    await using ledger = new RegisterLedger({ baseUrl: app.url, target: t, runId: name, rate: 300, concurrency: 4 });
    expect(ledger.initialFromDirect(await sqliteDirect(file))).toMatchObject({ theme: 'light', page_size: '25' });
    await ledger.readAll(); // before any write: the seed values, legal as the initial values
    ledger.start();
    await new Promise((r) => setTimeout(r, 3_000));
    await ledger.stop();
    ledger.readDirect(await sqliteDirect(file));
    return ledger.check();
  }

  it('the app under read-your-write pairs of generated values (Unicode, quoting, 4096 units): every read legal, every acknowledged write pinned by its read-back', async () => {
    const c = await pairs('correct', {}, 'main', target);
    expect(c.headline).toMatch(/^no anomaly: \d+ read\(s\) of 8 key\(s\) against \d+ acknowledged write\(s\)$/);
    expect(c.results.filter((r) => r.verdict !== 'ok').map((r) => r.detail)).toEqual([]);
    // ~900 at 300/s; the floor leaves room for a slow machine.
    expect(c.writes.ok).toBeGreaterThan(300);
    expect(c.writes.fail + c.writes.unknown).toBe(0);
    expect(c.reads).toEqual({ api: 8 + c.writes.attempted, direct: 8, apiErrors: 0 });
    // The point of the pairs: no acknowledged write goes unchecked (round-robin reads pinned ~1 in 5).
    const pinned = pinnedValues(c);
    expect(c.writes.ok).toBe(c.writes.attempted);
    expect(c.results.filter((r) => r.readFrom === 'ok' && !pinned.has(r.read!)).map((r) => r.detail)).toEqual([]);
    // Every ledger value is pinned (the 8 others are the seed values, pinned by the reads before any write).
    expect([...pinned].filter((v) => v.startsWith('reg-correct-'))).toHaveLength(c.writes.ok);
    expect(c.results.slice(0, 8).map((r) => [r.read, r.readFrom])).toEqual(Object.entries(SEED).map(([, v]) => [v, 'initial']));
    expect(c.initialFrom).toBe('direct');
    expect(c.perPod).toEqual({ unavailable: 'target settings-app names no pod (no identity.podHeader): per-pod coverage not measured' });
  }, 20_000);

  // The mutant drops every n-th PUT it receives; only the ledger writes, so floor(writes / n) are lost.
  for (const n of [5, 100]) {
    it(`the mutant (1 acknowledged PUT in ${n} not written): exactly one stale read-back per dropped PUT, nothing else`, async () => {
      const c = await pairs(`mutant-${n}`, { MUTANT_DROP_EVERY: String(n) }, 'mutant');
      const drops = Math.floor(c.writes.attempted / n);
      console.log(`mutant 1/${n}: ${c.writes.attempted} writes, ${drops} dropped; ${c.headline}`);
      expect(c.writes.ok).toBe(c.writes.attempted);
      expect(drops, c.headline).toBeGreaterThanOrEqual(3);
      expect(c.bySource.api, c.headline).toEqual({ reads: 8 + c.writes.attempted, anomalies: drops });
      expect(c.totals.unknownValue + c.totals.missing).toBe(0);
      const stale = c.results.filter((r) => r.verdict === 'stale');
      for (const r of stale) expect(r.detail).toMatch(/: (read at \+\d+ ms|final read) .*, overwritten by acknowledged "reg-mutant-\d+-\d+" \(ok, \+\d+ ms\.\.\+\d+ ms\).*: lost update; legal: "reg-mutant-\d+-\d+"$/);
      expect(c.headline).toMatch(/^\d+ stale \(lost update\): /);
    }, 20_000);
  }

  it('pairs beside a load that writes the other keys: the load\'s unanswered writes leave every ledger write pinned; on shared keys they do not', async () => {
    const run = async (name: string, split: boolean) => {
      const file = await seededFile(name);
      await using app = await startSettingsApp({ DB_ENGINE: 'sqlite', SETTINGS_DB_FILE: file });
      // Bare tokens: this is about which writes a read pins beside a load, at a rate (values up to 4096 units slowed it to 174 writes in a fresh-clone run).
      await using ledger = new RegisterLedger({ baseUrl: app.url, target: tokenOnly, runId: name, rate: 200, concurrency: 4, ...(split ? { keys: ledgerKeys(w) } : {}) });
      ledger.initialFromDirect(await sqliteDirect(file));
      const records: RegisterWriteRecord[] = [];
      ledger.start();
      // Two load runs, as a drill's phases: each ends with autocannon abandoning its in-flight writes.
      for (const phase of ['baseline', 'after']) {
        await runLoad({ baseUrl: app.url, target: tokenOnly, durationSec: 1, connections: 8, phase, paths: ['/v1/keys'], registerWrites: { ratio: 0.5, prefix: `load-${name}-${phase}-`, records, keys: ledger.loadKeys } });
      }
      await ledger.stop();
      ledger.readDirect(await sqliteDirect(file));
      const c = ledger.check(records);
      const pinned = pinnedValues(c);
      const ledgerOk = ledger.writes.filter((x) => x.outcome === 'ok');
      return { c, records, ledgerOk: ledgerOk.length, ledgerPinned: ledgerOk.filter((x) => pinned.has(x.value)).length, loadUnknown: records.filter((r) => r.outcome === 'unknown'), errors: ledger.readErrors };
    };
    const split = await run('split', true);
    expect(split.c.results.filter((r) => r.verdict !== 'ok').map((r) => r.detail)).toEqual([]);
    expect(new Set(split.records.map((r) => r.key))).toEqual(new Set(['theme', 'locale', 'timezone', 'page_size']));
    expect(split.ledgerOk).toBeGreaterThan(200);
    const unpinned = split.c.results.filter((r) => r.readFrom === 'ok' && r.expected.length !== 1 && r.read?.startsWith('reg-'));
    expect(split.ledgerPinned, `${unpinned.map((r) => r.detail).join('\n')}; read errors ${JSON.stringify(split.errors)}`).toBe(split.ledgerOk);
    const shared = await run('shared', false);
    console.log(`beside the load: split keys ${split.ledgerPinned}/${split.ledgerOk} ledger writes pinned (${split.loadUnknown.length} load writes unanswered); shared keys ${shared.ledgerPinned}/${shared.ledgerOk} (${shared.loadUnknown.length} unanswered, on ${new Set(shared.loadUnknown.map((r) => r.key)).size} keys)`);
    expect(shared.c.results.filter((r) => r.verdict !== 'ok').map((r) => r.detail)).toEqual([]);
    // autocannon abandons its in-flight requests when its duration ends (8 to 13 per two runs here);
    // each may still land at any time, so its key's later ledger writes are not pinned.
    expect(shared.loadUnknown.length).toBeGreaterThan(0);
    expect(shared.ledgerPinned).toBeLessThan(shared.ledgerOk / 2);
  }, 30_000);

  it('40 sequential writes, no reads during them: the direct read sees only the drops that were their key\'s last write (2 of 8), the app none', async () => {
    const run = async (entry: 'main' | 'mutant') => {
      const file = await seededFile(`sequential-${entry}`);
      await using app = await startSettingsApp({ DB_ENGINE: 'sqlite', SETTINGS_DB_FILE: file, MUTANT_DROP_EVERY: '5' }, entry);
      await using ledger = new RegisterLedger({ baseUrl: app.url, target: tokenOnly, runId: entry });
      ledger.initialFromDirect(await sqliteDirect(file));
      // PUT n goes to key (n-1) mod 8; the mutant drops PUTs 5, 10, …, 40: the last writes of keys 3..8
      // are PUTs 33..40, so PUT 35 (timezone) and PUT 40 (digest_hour) leave stale values.
      for (let i = 0; i < 40; i++) expect((await ledger.write()).outcome).toBe('ok');
      // Not read yet: the rule counts every key as missing, and the check names them as unread.
      expect(ledger.check().unread).toEqual(w.keys);
      ledger.readDirect(await sqliteDirect(file));
      expect(ledger.check().unread).toEqual([]);
      return ledger.check();
    };
    const mutant = await run('mutant');
    expect(mutant.results.filter((r) => r.verdict === 'stale').map((r) => [r.key, r.read])).toEqual([
      ['timezone', 'reg-mutant-27'],
      ['digest_hour', 'reg-mutant-32'],
    ]);
    expect(mutant.headline).toBe('2 stale (lost update): 8 read(s) of 8 key(s) against 40 acknowledged write(s)');
    const app = await run('main');
    expect(app.headline).toBe('no anomaly: 8 read(s) of 8 key(s) against 40 acknowledged write(s)');
  }, 20_000);
});

describe('the settings-app profile against the real app', () => {
  it('its feature checks pass on the seeded app (SQLite), each with the value it measured', async () => {
    const file = await seededFile('features');
    await using app = await startSettingsApp({ DB_ENGINE: 'sqlite', SETTINGS_DB_FILE: file });
    const checks = await httpFeatureChecks(target, app.url, 'sqlite');
    expect(checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
    expect(checks.map((c) => c.evidence.replace(/ in \d+ ms$/, ''))).toEqual(['HTTP 200', 'HTTP 200 keys.length=8', 'HTTP 200 settings.length=8', 'HTTP 200 rows=8', 'HTTP 404']);
  }, 20_000);

  it('on PostgreSQL: the direct query through psql -qtA prints key|value rows the ledger judges (and finds a value changed behind the app)', async () => {
    await using db = await startPostgres();
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: db.url };
    await exec(CLI_BIN, ['seed', '--engine', 'postgres'], { env });
    await using app = await startSettingsApp({ DB_ENGINE: 'postgres', DATABASE_URL: db.url });
    // SQL on stdin as the drill sends it; the password in the environment, never in argv (an error quotes argv).
    const url = new URL(db.url);
    const pgEnv = { ...env, PGPASSWORD: decodeURIComponent(url.password) };
    url.password = '';
    const psql = (sql: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('psql', [url.href, '-v', 'ON_ERROR_STOP=1', '-qtA'], { env: pgEnv }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
        child.stdin!.end(sql);
      });
    await using ledger = new RegisterLedger({ baseUrl: app.url, target: tokenOnly, runId: 'pg' });
    expect(ledger.initialFromDirect(await psql(postgresDirectSql(w)))).toEqual(SEED);
    for (let i = 0; i < 16; i++) await ledger.write();
    await psql(`UPDATE app_settings SET setting_value = to_jsonb('rogue'::text) WHERE setting_key = 'motd';`);
    ledger.readDirect(await psql(postgresDirectSql(w)));
    const c = ledger.check();
    expect(c.results.filter((r) => r.verdict !== 'ok').map((r) => r.detail)).toEqual([expect.stringMatching(/^motd: final read "rogue", never written to this key; legal: "reg-pg-14"$/)]);
    expect(c.headline).toBe('1 never-written value: 8 read(s) of 8 key(s) against 16 acknowledged write(s)');
  }, 30_000);
});
