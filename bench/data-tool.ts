// Bench `data-tool`: 1,000,000 rows with type conversions (bigserial id, a renamed column, jsonb →
// text, timestamptz → ISO text and → epoch ms, boolean → 0/1, numeric → text) PostgreSQL → SQLite
// with `drill-data copy` (verified by counts and checksums) against the naive path measured in the
// same run: psql \copy of a SELECT doing the same conversions to CSV, then sqlite3 .import into the
// same schema (row count checked, nothing else).
//   npx tsx bench/data-tool.ts [--rows 1000000] [--batch 5000]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DRILL_DATA } from '../datatool/test-support/cli.ts';
import { startPostgres } from '../datatool/test-support/postgres.ts';
import { CopyResultSchema } from '../datatool/contract.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '5000' } } });
const rows = Number(values.rows);
const TARGET_ROWS_PER_SEC = 300_000;
const TARGET_RATIO = 1.5;

const PG_TABLE = `CREATE TABLE events (
  id bigserial PRIMARY KEY, account text NOT NULL, payload jsonb NOT NULL, happened_at timestamptz NOT NULL,
  updated_at timestamptz, processed boolean NOT NULL, amount numeric(12,2), attempts integer NOT NULL)`;
const SQLITE_TABLE = `CREATE TABLE events (event_id INTEGER PRIMARY KEY, account_name TEXT NOT NULL, payload TEXT NOT NULL,
  happened_at TEXT NOT NULL, updated_ms INTEGER, processed INTEGER NOT NULL, amount TEXT, attempts INTEGER NOT NULL);
  CREATE INDEX events_account ON events (account_name);`;
const MAPPING = {
  tables: [
    {
      name: 'events',
      columns: [
        { pg: 'id', sqlite: 'event_id', convert: 'bigint-integer' },
        { pg: 'account', sqlite: 'account_name' },
        { pg: 'payload', convert: 'jsonb-text' },
        { pg: 'happened_at', convert: 'timestamptz-iso' },
        { pg: 'updated_at', sqlite: 'updated_ms', convert: 'timestamptz-epoch-ms' },
        { pg: 'processed', convert: 'boolean-int' },
        { pg: 'amount', convert: 'numeric-text' },
        'attempts',
      ],
    },
  ],
};
// The same conversions in SQL, for the naive path.
const NAIVE_SELECT = `SELECT id, account, payload::text, to_char(happened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  floor(extract(epoch FROM updated_at) * 1000)::bigint, processed::int, amount::text, attempts FROM events ORDER BY id`;

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Runs a command, polling its VmHWM (peak RSS, worker threads included) until it exits. */
function runMeasured(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; peakRssBytes: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak: number | null = null;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]) * 1024);
      } catch {
        /* exited, or no /proc */
      }
    }, 50);
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr, ms: performance.now() - t0, peakRssBytes: peak });
    });
  });
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  return [fn(), performance.now() - t0];
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-data-tool-'));
await using server = await startPostgres({ database: 'bench' });
try {
  console.log(`seeding ${fmt(rows)} rows into PostgreSQL 15 (embedded)…`);
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  const [, seedMs] = await (async () => {
    const t0 = performance.now();
    await c.query(PG_TABLE);
    await c.query(
      `INSERT INTO events (account, payload, happened_at, updated_at, processed, amount, attempts)
       SELECT 'acct-' || (g % 5000), jsonb_build_object('kind', 'evt', 'n', g, 'tags', jsonb_build_array('a', g % 7)),
              '2024-01-01'::timestamptz + g * interval '1.5 second', CASE WHEN g % 10 = 0 THEN NULL ELSE '2024-06-01'::timestamptz + g * interval '1 ms' END,
              g % 2 = 0, (g % 100000) / 100.0, g % 5
         FROM generate_series(1, $1::int) g`,
      [rows],
    );
    await c.query('VACUUM ANALYZE events');
    return [undefined, performance.now() - t0] as const;
  })();
  await c.end();
  console.log(`  seeded in ${secs(seedMs)}`);
  const mappingFile = path.join(dir, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(MAPPING));
  const newDb = (name: string) => {
    const file = path.join(dir, name);
    const db = new Database(file);
    db.exec(SQLITE_TABLE);
    db.close();
    return file;
  };

  // Ours: drill-data copy (streaming COPY, pipelined worker inserts) and its verification.
  const ours = newDb('ours.db');
  const run = await runMeasured(DRILL_DATA, ['copy', '--from', server.url, '--to', ours, '--mapping', mappingFile, '--batch', values.batch!, '--json']);
  if (run.code !== 0) throw new Error(`drill-data copy exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const r = CopyResultSchema.parse(JSON.parse(run.stdout.trim().split('\n').pop()!));
  if (!r.ok || r.rows !== rows) throw new Error(`drill-data copy did not verify ${rows} rows: ${JSON.stringify(r.tables)}`);

  // Naive: psql \copy (same conversions in SQL) to CSV, then sqlite3 .import into the same schema.
  const csv = path.join(dir, 'events.csv');
  const naive = newDb('naive.db');
  const [, exportMs] = time(() => execFileSync('psql', [server.url, '-q', '-c', `\\copy (${NAIVE_SELECT.replace(/\s+/g, ' ')}) TO '${csv}' CSV`]));
  const [imp, importMs] = time(() => spawnSync('sqlite3', [naive, `.import --csv ${csv} events`], { encoding: 'utf8' }));
  if (imp.status !== 0 || imp.stderr.trim()) throw new Error(`sqlite3 .import failed: ${imp.stderr}`);
  const naiveRows = Number(execFileSync('sqlite3', [naive, 'SELECT COUNT(*) FROM events;'], { encoding: 'utf8' }).trim());
  if (naiveRows !== rows) throw new Error(`naive path imported ${naiveRows} rows, expected ${rows}`);
  const naiveMs = exportMs + importMs;
  const naiveRps = naiveRows / (naiveMs / 1000);

  const ratio = r.rowsPerSec / naiveRps;
  const verifiedRps = r.rows / ((r.copyMs + r.verifyMs) / 1000);
  const verifiedRatio = verifiedRps / naiveRps;
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`\ndrill-data copy PostgreSQL → SQLite, ${fmt(r.rows)} rows, 8 columns (bigserial id, rename, jsonb, timestamptz ×2, boolean, numeric), batch ${r.batch}`);
  console.log(`  ours   copy     ${secs(r.copyMs)}   ${fmt(r.rowsPerSec)} rows/s   (target ≥ ${fmt(TARGET_ROWS_PER_SEC)}: ${met(r.rowsPerSec >= TARGET_ROWS_PER_SEC)})`);
  console.log(`  ours   verify   ${secs(r.verifyMs)}   (count + sha256 over the mapped columns; PostgreSQL side hashed from the copy stream)`);
  console.log(`  ours   copy+verify ${secs(r.copyMs + r.verifyMs)}   ${fmt(verifiedRps)} rows/s`);
  console.log(`  ours   wall     ${secs(run.ms)}   (process start, mapping resolution, copy, verify)   peak RSS ${run.peakRssBytes === null ? 'n/a' : `${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`}`);
  console.log(`  naive  \\copy ${secs(exportMs)} + .import ${secs(importMs)} = ${secs(naiveMs)}   ${fmt(naiveRps)} rows/s   (row count checked: ${fmt(naiveRows)})`);
  console.log(`  ratio  ours copy / naive = ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}: ${met(ratio >= TARGET_RATIO)}); ours copy+verify / naive (unverified) = ${verifiedRatio.toFixed(2)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
