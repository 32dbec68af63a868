// The load's register writes (a register target) against the real settings service on a real SQLite
// file: every write recorded with its window and outcome, merged into the register check with the
// ledger's reads and the file's final rows. Pass/fail pair: the app → no anomaly; its mutant (one
// acknowledged PUT in 5 not written) → stale values found.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN, startSettingsApp } from '../../fixtures/settings-app/test-support/process.ts';
import { loadTarget } from '../targets/load.ts';
import { runLoad } from './load.ts';
import { RegisterLedger } from './register-ledger.ts';
import { registerWorkload, sqliteDirectCommand } from '../kit/register-workload.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import { pinnedValues } from '../kit/register-rule.ts';

const exec = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'load-register-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const target = await loadTarget('settings-app');
const w = registerWorkload(target);

async function direct(file: string): Promise<string> {
  const [cmd, ...args] = sqliteDirectCommand(w, file);
  return (await exec(cmd!, args)).stdout;
}

/** 2 s of load (half writes) beside the ledger's own writes and reads, then the file read directly. */
async function drill(entry: 'main' | 'mutant') {
  const file = path.join(dir, `${entry}.db`);
  await exec(CLI_BIN, ['seed', '--engine', 'sqlite'], { env: { PATH: process.env.PATH ?? '', SETTINGS_DB_FILE: file } });
  await using app = await startSettingsApp({ DB_ENGINE: 'sqlite', SETTINGS_DB_FILE: file, MUTANT_DROP_EVERY: '5' }, entry);
  await using ledger = new RegisterLedger({ baseUrl: app.url, target, runId: entry, rate: 400 });
  ledger.initialFromDirect(await direct(file));
  const records: RegisterWriteRecord[] = [];
  ledger.start();
  const summary = await runLoad({ baseUrl: app.url, target, durationSec: 2, connections: 1, phase: 'after', paths: ['/v1/keys'], registerWrites: { ratio: 0.5, prefix: `load-${entry}-`, records } });
  await ledger.stop();
  ledger.readDirect(await direct(file));
  return { summary, records, ledgerWrites: ledger.writes.length, check: ledger.check(records) };
}

describe('load probe: register writes in the mix', () => {
  it('the app: unique values round-robin over the fixed keys, each with its window; no anomaly with the ledger\'s reads and the file\'s rows', async () => {
    const { summary, records, ledgerWrites, check } = await drill('main');
    expect(summary.writes!.attempted).toBe(records.length);
    expect(summary.writes!.ok).toBeGreaterThan(100);
    expect(summary.writes!.okByPod).toEqual({ '?': summary.writes!.ok });
    expect(new Set(records.map((r) => r.value)).size).toBe(records.length);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(w.keys));
    for (const r of records.filter((x) => x.outcome === 'ok')) expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt);
    expect(check.results.filter((r) => r.verdict !== 'ok').map((r) => r.detail)).toEqual([]);
    expect(check.writes.attempted).toBe(records.length + ledgerWrites);
    expect(check.totals.acknowledged).toBeGreaterThan(summary.writes!.ok);
    expect(check.bySource.direct).toEqual({ reads: 8, anomalies: 0 });
    // The final rows pin each key's last write (no write in flight once both stopped).
    expect(pinnedValues(check).size).toBeGreaterThanOrEqual(8);
  }, 30_000);

  it('the mutant: stale reads, some of them of load writes', async () => {
    const { records, check } = await drill('mutant');
    const stale = check.results.filter((r) => r.verdict === 'stale');
    // 21 to 31 in runs here; fewer than the drops: most reads fall among concurrent load writes of their key, any of which is legal.
    expect(stale.length, check.headline).toBeGreaterThan(5);
    console.log(`mutant: ${check.headline}; ${pinnedValues(check).size} values pinned by a read`);
    const loadValues = new Set(records.map((r) => r.value));
    expect(stale.some((r) => (r.read !== null && loadValues.has(r.read)) || r.expected.some((v) => loadValues.has(v))), stale.map((r) => r.detail).join('\n')).toBe(true);
  }, 30_000);
});
