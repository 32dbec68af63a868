// Judge sameness, not presence: every found row of a write the drill made holds, in each of the
// profile's fields, exactly the bytes that were sent (in the field's stored form). A row cut short,
// re-encoded or swapped for another write's value is altered, with its first differing bytes shown.
import type { AlteredValue, LandedRead, ValueCheck, WriteRecord } from '../model/measurements.ts';
import type { WriteField } from '../model/value-domain.ts';
import { describeDomain, firstDifference, storedText } from './values.ts';

const EXAMPLES = 3;
const SHOWN = 80;

/** A value for the evidence: JSON-quoted (escapes show what is invisible), cut to 80 characters. */
export function shown(v: string | null): string {
  if (v === null) return 'NULL';
  const cut = [...v].slice(0, SHOWN).join('');
  return JSON.stringify(cut) + (cut.length < v.length ? `… (${v.length} UTF-16 units)` : '');
}

/**
 * The stored values of every row found against the ones its write sent. `read.values` holds each
 * row's bytes per field as hex, in the order of `read.keys` (landed-writes.ts); `form` is how the
 * source shows a value: the database its column's stored form, the app's API the value as sent.
 * Undefined when the source read no values (the profile declares no fields).
 */
export function checkStoredValues(
  writes: readonly WriteRecord[],
  read: Pick<LandedRead, 'keys' | 'values'>,
  fields: Readonly<Record<string, WriteField>>,
  form: 'column' | 'api' = 'column',
): ValueCheck | undefined {
  if (!read.values || Object.keys(fields).length === 0) return undefined;
  const byKey = new Map(writes.map((w) => [w.email, w]));
  const check: ValueCheck = { rows: 0, fields: 0, altered: 0, examples: [] };
  read.keys.forEach((key, i) => {
    const w = byKey.get(key);
    // A refused or never-attempted write found is the set rule's "unexpected", not a value to compare.
    if (!w?.values || w.outcome === 'fail') return;
    check.rows++;
    let altered = false;
    for (const [name, f] of Object.entries(fields)) {
      const sentValue = w.values[name];
      if (sentValue === undefined) continue;
      check.fields++;
      const sent = storedText(sentValue, form === 'api' ? 'as-sent' : f.stored);
      const hex = read.values![i]?.[name] ?? null;
      const stored = hex === null ? null : Buffer.from(hex, 'hex');
      const difference = stored === null ? null : firstDifference(sent, stored);
      if (stored !== null && difference === null) continue;
      if (!altered) check.altered++;
      altered = true;
      if (check.examples.length < EXAMPLES) check.examples.push({ key, field: name, sent, stored: stored === null ? null : stored.toString('utf8'), difference } satisfies AlteredValue);
    }
  });
  return check;
}

/** A read-back item's field as the bytes the app answered (hex): text as it is, a number's digits, anything else as JSON. */
export function apiValueHex(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
  return Buffer.from(text, 'utf8').toString('hex');
}

/** One altered row in words: key, field, both values, where they first differ. */
export function alteredInWords(a: AlteredValue): string {
  const d = a.difference;
  const where = d ? `; first difference at byte ${d.byte} (character ${d.char}): sent ${d.sentBytes}, stored ${d.storedBytes}` : '';
  return `${a.key} ${a.field}: sent ${shown(a.sent)}, stored ${shown(a.stored)}${where}`;
}

/** How many values of each kind were written, in words ("unicode 12, quoting 11"; "none"). */
export function kindCounts(kinds: Iterable<string | undefined>): string {
  const n = new Map<string, number>();
  for (const k of kinds) if (k !== undefined) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n].map(([k, c]) => `${k} ${c}`).join(', ') || 'none';
}

/** The values summary: the seed, each field's domain, the kinds written (by count), and what each source's comparison found. */
export function valuesWritten(fields: Readonly<Record<string, WriteField>>, writes: readonly WriteRecord[], seed: number, checks: [string, ValueCheck | undefined][]) {
  return {
    seed,
    domains: Object.entries(fields).map(([f, d]) => `${f}: ${describeDomain(d.domain)}`).join('; '),
    written: Object.keys(fields).map((f) => `${f}: ${kindCounts(writes.map((w) => w.kinds?.[f]))}`).join('; '),
    compared: checks.filter((c): c is [string, ValueCheck] => c[1] !== undefined).map(([where, c]) => `${where}: ${c.altered} altered of ${c.rows} rows`).join('; ') || 'nothing read',
  };
}
