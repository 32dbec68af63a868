import { describe, expect, it } from 'vitest';
import type { WriteRecord } from '../model/measurements.ts';
import { WriteFieldSchema } from '../model/value-domain.ts';
import { alteredInWords, apiValueHex, checkStoredValues } from './stored-values.ts';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const fields = {
  name: WriteFieldSchema.parse({ domain: { type: 'text', maxLength: 200 }, column: { sqlite: 'name', postgres: 'name' } }),
  at: WriteFieldSchema.parse({ domain: { type: 'date' }, column: { sqlite: 'at_ms', postgres: 'at' }, stored: 'epoch-ms' }),
};
const w = (email: string, name: string, outcome: WriteRecord['outcome'] = 'ok'): WriteRecord => ({ email, seq: 1, t: 0, latencyMs: 1, outcome, status: 201, values: { name, at: '2024-03-10T02:30:00.000+05:45' } });
const AT = String(Date.parse('2024-03-10T02:30:00.000+05:45'));

describe('stored values against the sent ones', () => {
  it('equal bytes pass; a cut, a re-encoding and a NULL are altered, each with its first difference', () => {
    const writes = [w('a', 'Zoë 😀 שלום'), w('b', 'x'.repeat(120)), w('c', 'naïve'), w('d', '  two  '), w('e', 'refused', 'fail')];
    const read = {
      keys: ['a', 'b', 'c', 'd', 'e'],
      values: [
        { name: hex('Zoë 😀 שלום'), at: hex(AT) },
        { name: hex('x'.repeat(100)), at: hex(AT) },
        { name: hex('na?ve'), at: hex(AT) },
        { name: null, at: hex(AT) },
        { name: hex('whatever'), at: hex(AT) },
      ],
    };
    const c = checkStoredValues(writes, read, fields)!;
    expect(c).toMatchObject({ rows: 4, fields: 8, altered: 3 });
    expect(c.examples.map((e) => e.key)).toEqual(['b', 'c', 'd']);
    expect(c.examples[1]!.difference).toEqual({ byte: 2, char: 2, sentBytes: 'c3 af 76 65', storedBytes: '3f 76 65' });
    expect(alteredInWords(c.examples[1]!)).toBe('c name: sent "naïve", stored "na?ve"; first difference at byte 2 (character 2): sent c3 af 76 65, stored 3f 76 65');
    expect(alteredInWords(c.examples[2]!)).toBe('d name: sent "  two  ", stored NULL');
  });

  it("a date kept as epoch ms is compared as the instant sent; through the app as it was sent", () => {
    const writes = [w('a', 'n')];
    expect(checkStoredValues(writes, { keys: ['a'], values: [{ name: hex('n'), at: hex(AT) }] }, fields)!.altered).toBe(0);
    expect(checkStoredValues(writes, { keys: ['a'], values: [{ name: hex('n'), at: hex(String(Number(AT) + 3_600_000)) }] }, fields)!.altered).toBe(1);
    expect(checkStoredValues(writes, { keys: ['a'], values: [{ name: apiValueHex('n'), at: apiValueHex('2024-03-10T02:30:00.000+05:45') }] }, fields, 'api')!.altered).toBe(0);
  });

  it('no values read (a profile without fields): nothing compared, said as undefined', () => {
    expect(checkStoredValues([w('a', 'n')], { keys: ['a'] }, fields)).toBeUndefined();
    expect(checkStoredValues([w('a', 'n')], { keys: ['a'], values: [{}] }, {})).toBeUndefined();
  });
});
