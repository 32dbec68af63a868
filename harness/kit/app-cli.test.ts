import { describe, expect, it } from 'vitest';
import type { TableSum as AppTableSum } from '../../app/src/sync/checksum.ts';
import type { SyncResult as AppSyncResult } from '../../app/src/sync/sync.ts';
import { CliContractError, parseCliJson } from './app-cli.ts';
import { AppChecksumResultSchema, SyncResultSchema, type SyncResult, type TableSum } from '../model/app-cli-results.ts';

const table = { name: 'users', sourceRows: 3, targetRows: 3, sourceChecksum: 'ab', targetChecksum: 'ab', ok: true };
const sync = { ok: true, from: 'postgres', to: 'sqlite', mode: 'mirror', tables: [table], rows: 3, durationMs: 12, copyMs: 8, verifyMs: 4, rowsPerSec: 375 };

describe('parseCliJson', () => {
  it('reads the last JSON line among progress lines, keeping keys outside the contract', () => {
    const logs = ['sync postgres → sqlite (mirror)', JSON.stringify({ ...sync, repairs: ['pg_resetwal'] }), 'ok   users: 3 → 3 rows'].join('\n');
    const out = parseCliJson(logs, SyncResultSchema, 'sync');
    expect(out?.tables[0]?.targetRows).toBe(3);
    expect(out).toMatchObject({ repairs: ['pg_resetwal'] });
  });

  it('is undefined when the CLI printed no result line', () => {
    expect(parseCliJson('hyperpage-cli: cannot connect to PostgreSQL\n{not json}', SyncResultSchema, 'sync')).toBeUndefined();
  });

  it('throws naming the field when the result line breaks the contract', () => {
    const logs = JSON.stringify({ ok: true, engine: 'sqlite', tables: [{ name: 'users', rows: '3', checksum: 'ab' }] });
    expect(() => parseCliJson(logs, AppChecksumResultSchema, 'checksum')).toThrow(CliContractError);
    expect(() => parseCliJson(logs, AppChecksumResultSchema, 'checksum')).toThrow(/checksum: the result line does not match .*tables\[0\]\.rows/);
  });
});

describe('the reference app meets the contract', () => {
  it("its result types are assignable to the harness's (checked by tsc), and its printed shape parses", () => {
    const asSync = (r: AppSyncResult): SyncResult => ({ ...r });
    const asSum = (t: AppTableSum): TableSum => ({ ...t });
    expect(SyncResultSchema.parse(asSync({ ...sync, from: 'postgres', to: 'sqlite', mode: 'mirror' }))).toMatchObject({ ok: true });
    expect(asSum({ name: 'users', rows: 1, checksum: 'ab' }).rows).toBe(1);
  });
});
