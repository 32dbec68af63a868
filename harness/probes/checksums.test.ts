// The checksum bounds come from the profile, not from a table name in the harness.
import { describe, expect, it } from 'vitest';
import { loadTarget } from '../targets/load.ts';
import { checksumBounds, compareChecksums } from './checksums.ts';

describe('checksumBounds', () => {
  it("a set target: its read-back table up to the largest acknowledged id", async () => {
    const reference = await loadTarget('reference');
    if (reference.workload.model !== 'set') throw new Error('reference is a set workload');
    expect(checksumBounds(reference, 2050)).toEqual({ [reference.workload.readBack.postgres.table]: 2050 });
  });
  it('a register target: no bound (its writes add no rows)', async () => {
    expect(checksumBounds(await loadTarget('settings-app'), 2050)).toEqual({});
  });
  it('a read-back table outside the mapping is not bounded', async () => {
    const reference = await loadTarget('reference');
    expect(checksumBounds({ ...reference, mapping: { tables: ['other'] } } as typeof reference, 7)).toEqual({});
  });
});

describe('compareChecksums', () => {
  it('names the mismatched table with its counts', () => {
    const before = { engine: 'postgres' as const, tables: [{ name: 'kv', rows: 8, checksum: 'a' }], maxIds: {} };
    const after = { engine: 'sqlite' as const, tables: [{ name: 'kv', rows: 7, checksum: 'b' }], maxIds: {} };
    expect(compareChecksums(before, after).mismatched).toEqual(['kv 8→7']);
    expect(compareChecksums(before, before).equal).toBe(true);
  });
});
