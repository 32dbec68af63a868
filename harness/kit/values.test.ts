import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextDomainSchema } from '../model/value-domain.ts';
import { describeDomain, firstDifference, fitText, generateValue, generateValues, isoAtOffset, valueKinds } from './values.ts';

const NAME = TextDomainSchema.parse({ type: 'text', minLength: 1, maxLength: 200 });
const utf16 = (s: string) => s.length;

describe('generated write values', () => {
  it('every text kind is written within a few dozen writes, each value inside its domain and well-formed', () => {
    const kinds = new Map<string, string[]>();
    for (let n = 1; n <= 60; n++) {
      const { value, kind } = generateValue(NAME, 7, 'ledger-r1-', n, 'name');
      const v = String(value);
      expect(utf16(v), JSON.stringify(v)).toBeGreaterThanOrEqual(1);
      expect(utf16(v), JSON.stringify(v)).toBeLessThanOrEqual(200);
      expect(v.isWellFormed(), JSON.stringify(v)).toBe(true);
      expect(v).not.toContain('\u0000');
      kinds.set(kind, [...(kinds.get(kind) ?? []), v]);
    }
    expect([...kinds.keys()].sort()).toEqual(Object.keys(valueKinds(NAME)).sort());
    // What each kind is for, measured on what it wrote.
    const all = (k: string) => kinds.get(k)!.join('');
    expect([...all('astral-emoji')].some((c) => c.codePointAt(0)! > 0xffff)).toBe(true);
    expect(all('combining-marks')).toMatch(/[\u0300-\u036f]/);
    expect(all('right-to-left')).toMatch(/[\u05d0-\u05ea\u0621-\u064a]/);
    expect(kinds.get('max-length')!.every((v) => v.length === 200)).toBe(true);
    expect(kinds.get('whitespace')!.every((v) => /^\s|^[\u200b\ufeff]/u.test(v) && /[\s\u200b\ufeff]$/u.test(v))).toBe(true);
    expect(all('quoting')).toMatch(/['"\\`;%]/);
  });

  it('the same seed, prefix and write number give the same values; another seed others', () => {
    const fields = { name: { domain: NAME, column: { sqlite: 'name', postgres: 'name' }, stored: 'as-sent' as const } };
    const a = Array.from({ length: 20 }, (_, n) => generateValues(fields, 99, 'load-x-', n));
    const b = Array.from({ length: 20 }, (_, n) => generateValues(fields, 99, 'load-x-', n));
    const c = Array.from({ length: 20 }, (_, n) => generateValues(fields, 100, 'load-x-', n));
    expect(b).toEqual(a);
    expect(c.map((x) => x.values.name)).not.toEqual(a.map((x) => x.values.name));
  });

  it('integers include both limits; instants are valid ISO 8601 at quarter-hour UTC offsets', () => {
    const d = { type: 'integer' as const, min: -(2 ** 53 - 1), max: 2 ** 53 - 1 };
    const ints = Array.from({ length: 10 }, (_, n) => generateValue(d, 1, 'p', n).value);
    expect(ints).toContain(d.min);
    expect(ints).toContain(d.max);
    const dates = Array.from({ length: 30 }, (_, n) => String(generateValue({ type: 'date', from: 1970, to: 2100 }, 3, 'p', n).value));
    for (const s of dates) {
      expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:(00|15|30|45))$/);
      expect(Number.isNaN(Date.parse(s))).toBe(false);
    }
    expect(new Set(dates.map((s) => s.slice(23))).size).toBeGreaterThan(5);
  });

  it('isoAtOffset writes the wall-clock time at the offset of the same instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }), fc.integer({ min: -48, max: 56 }), (t, q) => {
        expect(Date.parse(isoAtOffset(t, q * 15))).toBe(t.getTime());
      }),
    );
  });

  it('fitText cuts at a code point, drops NUL, lone surrogates and (when asked) line breaks', () => {
    const d = TextDomainSchema.parse({ type: 'text', maxLength: 3, lineBreaks: false });
    expect(fitText('a😀b', d)).toBe('a😀');
    expect(fitText('😀😀', d)).toBe('😀');
    expect(fitText('a\u0000\nb\ud800', d)).toBe('a b');
    expect(fitText('', TextDomainSchema.parse({ type: 'text', minLength: 2, maxLength: 5 }))).toBe('éé');
    expect(describeDomain(NAME)).toBe('text, 1–200 UTF-16 units');
  });

  it('firstDifference names the first differing byte and the character it falls in', () => {
    expect(firstDifference('שלום', 'שלום')).toBeNull();
    expect(firstDifference('a😀b', 'a?b')).toEqual({ byte: 1, char: 1, sentBytes: 'f0 9f 98 80 62', storedBytes: '3f 62' });
    expect(firstDifference('abc', 'ab')).toMatchObject({ byte: 2, char: 2, storedBytes: '(end)' });
  });
});
