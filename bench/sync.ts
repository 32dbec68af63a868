// Bench `sync`: 1,000,000 users PostgreSQL → SQLite with hyperpage-cli sync, against the naive
// path measured in the same run (psql \copy to CSV + sqlite3 .import), verification shown apart.
//   npx tsx bench/sync.ts [--users 1000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_BIN } from '../app/test-support/app-process.ts';
import { startTestPostgres } from '../app/test-support/postgres.ts';

const { values } = parseArgs({ options: { users: { type: 'string', default: '1000000' } } });
const users = Number(values.users);
const TARGET_ROWS_PER_SEC = 100_000;

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-sync-'));
await using pg = await startTestPostgres();
try {
  const env = { ...process.env, DATABASE_URL: pg.url };
  console.log(`seeding ${users.toLocaleString('en')} users into PostgreSQL 15 (embedded)…`);
  const [, seedMs] = time(() => execFileSync(CLI_BIN, ['seed', '--users', String(users), '--engine', 'postgres'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  console.log(`  seeded in ${(seedMs / 1000).toFixed(1)} s`);

  // Ours: streaming COPY out of PostgreSQL, batched inserts into SQLite, then verification.
  const ours = path.join(dir, 'ours.db');
  const [out, oursWallMs] = time(() =>
    execFileSync(CLI_BIN, ['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'mirror', '--json'], {
      env: { ...env, DATABASE_PATH: ours },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 24,
    }),
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ok: boolean; rows: number; copyMs: number; verifyMs: number; rowsPerSec: number };
  if (!r.ok) throw new Error('sync did not verify');

  // Naive: psql \copy to CSV, then sqlite3 .import into the app's schema (made by `hyperpage-cli
  // migrate`, so the result is a database the app can serve: same table and index). Users only,
  // no verification.
  const csv = path.join(dir, 'users.csv');
  const naive = path.join(dir, 'naive.db');
  execFileSync(CLI_BIN, ['migrate', '--engine', 'sqlite'], { env: { ...env, DATABASE_PATH: naive }, stdio: 'ignore' });
  const [, exportMs] = time(() => execFileSync('psql', [pg.url, '-q', '-c', `\\copy (SELECT id, email, name, created_at FROM users ORDER BY id) TO '${csv}' CSV`]));
  const [imp, importMs] = time(() => spawnSync('sqlite3', [naive, '.import --csv ' + csv + ' users'], { encoding: 'utf8' }));
  if (imp.status !== 0) throw new Error(`sqlite3 .import failed: ${imp.stderr}`);
  const naiveMs = exportMs + importMs;
  const naiveRows = Number(execFileSync('sqlite3', [naive, 'SELECT COUNT(*) FROM users;'], { encoding: 'utf8' }).trim());
  const naiveRps = naiveRows / (naiveMs / 1000);

  const ratio = r.rowsPerSec / naiveRps;
  console.log(`\nsync PostgreSQL → SQLite, ${r.rows.toLocaleString('en')} rows (all tables)`);
  console.log(`  ours   copy     ${(r.copyMs / 1000).toFixed(2)} s   ${r.rowsPerSec.toLocaleString('en')} rows/s   (target ≥ ${TARGET_ROWS_PER_SEC.toLocaleString('en')}: ${r.rowsPerSec >= TARGET_ROWS_PER_SEC ? 'met' : 'MISSED'})`);
  console.log(`  ours   verify   ${(r.verifyMs / 1000).toFixed(2)} s   (counts + sha256 checksums of every table, both sides)`);
  console.log(`  ours   wall     ${(oursWallMs / 1000).toFixed(2)} s   (process start, copy, verify)`);
  console.log(`  naive  \\copy    ${(exportMs / 1000).toFixed(2)} s + .import ${(importMs / 1000).toFixed(2)} s = ${(naiveMs / 1000).toFixed(2)} s   ${Math.round(naiveRps).toLocaleString('en')} rows/s (users only, into the app schema, unverified)`);
  console.log(`  ratio  ours/naive rows/s = ${ratio.toFixed(2)}× (target ≥ 1.00: ${ratio >= 1 ? 'met' : 'MISSED'})`);
  console.log(`  sizes  ours ${(statSync(ours).size / 1e6).toFixed(0)} MB, naive ${(statSync(naive).size / 1e6).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
