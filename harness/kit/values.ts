// Realistic values for the drill's writes, from fast-check arbitraries over the domain a profile
// declares (model/value-domain.ts): full Unicode (astral plane, emoji, combining marks,
// right-to-left text), quotes, backslashes and text that looks like SQL or JSON, leading and
// trailing whitespace, each field's maximum length, integers at their limits, instants in every
// UTC offset. Write n of a prefix always gets the same values for the same seed (a run replays with
// --value-seed), and its kind is chosen round-robin, so every kind is written in any run of a few
// dozen writes instead of when chance allows.
import fc from 'fast-check';
import type { SentValue, StoredForm, TextDomain, ValueDifference, ValueDomain, WriteField } from '../model/value-domain.ts';

/** What a write sent in its fields, and which kind of value each was. */
export interface GeneratedValues {
  values: Record<string, SentValue>;
  kinds: Record<string, string>;
}

const cp = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

// Pieces of SQL, JSON and template syntax: the characters that quoting, escaping and string
// building get wrong, in the order they break things.
const QUOTING = ["'", '"', '\\', '`', "''", '\\"', "\\'", '%', '_', ';', '--', '/*', '*/', '$1', '?', ':id', '${x}', '{{x}}', 'NULL', "' OR '1'='1", "'); DROP TABLE accounts; --", '\\u0000', '\\n', '\u2019', '\u201c'];
const SPACES = [' ', '\t', '\u00a0', '\u2003', '\u3000', '\u200b', '\ufeff', '\n', '\r\n'];

/** Every kind of text the generator writes, by name; each an arbitrary of raw text (fitted to the domain afterwards). */
function textKinds(d: TextDomain): Record<string, fc.Arbitrary<string>> {
  const len = { maxLength: Math.min(d.maxLength, 64) };
  const emoji = fc.oneof(cp(0x1f300, 0x1faff), fc.tuple(cp(0x1f466, 0x1f469), cp(0x1f466, 0x1f469)).map(([a, b]) => `${a}\u200d${b}`), cp(0x1f1e6, 0x1f1ff));
  const kinds: Record<string, fc.Arbitrary<string>> = {
    unicode: fc.string({ unit: 'binary', ...len }),
    graphemes: fc.string({ unit: 'grapheme', ...len }),
    'astral-emoji': fc.string({ unit: fc.oneof(emoji, cp(0x20000, 0x2a6df), cp(0x1d400, 0x1d7ff)), minLength: 1, ...len }),
    'combining-marks': fc.string({
      unit: fc.tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.array(cp(0x300, 0x36f), { minLength: 1, maxLength: 3 })).map(([b, m]) => b + m.join('')),
      minLength: 1,
      ...len,
    }),
    'right-to-left': fc.string({ unit: fc.oneof(cp(0x5d0, 0x5ea), cp(0x621, 0x64a), fc.constantFrom('\u200f', '\u202b', '\u202c', '\u202e', ' '), cp(0x30, 0x39)), minLength: 1, ...len }),
    quoting: fc.string({ unit: fc.oneof(fc.constantFrom(...QUOTING), fc.string({ unit: 'grapheme-ascii', maxLength: 3 })), minLength: 1, ...len }),
    'json-text': fc.json({ maxDepth: 2 }),
    whitespace: fc
      .tuple(fc.string({ unit: fc.constantFrom(...SPACES), minLength: 1, maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 16 }), fc.string({ unit: fc.constantFrom(...SPACES), minLength: 1, maxLength: 3 }))
      .map(([a, b, c]) => a + b + c),
    'max-length': fc.string({ unit: fc.oneof(fc.constant('x'), cp(0xa1, 0x2fff), cp(0x10000, 0x1ffff)), minLength: d.maxLength, maxLength: d.maxLength }),
  };
  if (d.minLength > 0) kinds['min-length'] = fc.string({ unit: 'grapheme', minLength: d.minLength, maxLength: d.minLength });
  return kinds;
}

const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029\v\f]/g;

/**
 * A raw text made to fit its domain, still as varied as it came: lone surrogates and NUL out (no
 * UTF-8 or PostgreSQL text holds them), line breaks out where the domain has none, cut to the
 * maximum at a code point, padded to the minimum (and to the maximum for `max-length`).
 */
export function fitText(raw: string, d: TextDomain, reserve = 0, exact = false): string {
  let s = raw.toWellFormed().replaceAll('\u0000', '');
  if (!d.lineBreaks) s = s.replace(LINE_BREAKS, ' ');
  const max = d.maxLength - reserve;
  const min = Math.max(0, (exact ? d.maxLength : d.minLength) - reserve);
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  // 'é' is one UTF-16 unit and two UTF-8 bytes: padding that is not plain ASCII.
  while (out.length < min) out += 'é';
  return out;
}

function integerKinds(d: Extract<ValueDomain, { type: 'integer' }>): Record<string, fc.Arbitrary<number>> {
  return {
    min: fc.constant(d.min),
    max: fc.constant(d.max),
    'near-limit': fc.constantFrom(Math.min(d.min + 1, d.max), Math.max(d.max - 1, d.min)),
    zero: fc.constant(Math.min(Math.max(0, d.min), d.max)),
    any: fc.integer({ min: d.min, max: d.max }),
  };
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** An instant written as ISO 8601 at a UTC offset (its wall-clock time there). */
export function isoAtOffset(t: Date, offsetMin: number): string {
  const local = new Date(t.getTime() + offsetMin * 60_000);
  const off = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${off}`;
}

function dateKinds(d: Extract<ValueDomain, { type: 'date' }>): Record<string, fc.Arbitrary<string>> {
  const instant = fc.date({ min: new Date(Date.UTC(d.from, 0, 1)), max: new Date(Date.UTC(d.to, 11, 31, 23, 59, 59, 999)), noInvalidDate: true });
  // Every offset in use, on the quarter hour (-12:00 … +14:00, +05:45 and +12:45 among them).
  const offset = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);
  return {
    'utc-offset': fc.tuple(instant, offset).map(([t, o]) => isoAtOffset(t, o)),
    utc: instant.map((t) => isoAtOffset(t, 0)),
    'year-edge': fc.tuple(fc.integer({ min: d.from, max: d.to }), offset).map(([y, o]) => isoAtOffset(new Date(Date.UTC(y, 0, 1) - o * 60_000), o)),
  };
}

/** A field's value kinds, by name, in a fixed order (the round-robin's). */
export function valueKinds(d: ValueDomain): Record<string, fc.Arbitrary<SentValue>> {
  return d.type === 'text' ? textKinds(d) : d.type === 'integer' ? integerKinds(d) : dateKinds(d);
}

/** 32-bit FNV-1a: the seed of one value, from the run's seed, the key prefix, the write's number and the field. */
function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u001f')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const kindCache = new WeakMap<ValueDomain, [string, fc.Arbitrary<SentValue>][]>();
function kindsOf(d: ValueDomain): [string, fc.Arbitrary<SentValue>][] {
  let k = kindCache.get(d);
  if (!k) kindCache.set(d, (k = Object.entries(valueKinds(d))));
  return k;
}

/** Write `n`'s kind of a field, round-robin from a per-field offset: its name and arbitrary. */
function kindAt(d: ValueDomain, n: number, field: string): [string, fc.Arbitrary<SentValue>] {
  const kinds = kindsOf(d);
  return kinds[(((n + seedOf(field)) % kinds.length) + kinds.length) % kinds.length]!;
}

/** The kind write `n` of a field gets (what generateValue writes). */
export const valueKindOf = (d: ValueDomain, n: number, field = ''): string => kindAt(d, n, field)[0];

/** One value of a domain: write `n` of `prefix` under `seed`, its kind round-robin; `reserve` UTF-16 units of a text are kept for the caller. */
export function generateValue(d: ValueDomain, seed: number, prefix: string, n: number, field = '', reserve = 0): { value: SentValue; kind: string } {
  const [kind, arb] = kindAt(d, n, field);
  const raw = fc.sample(arb, { seed: seedOf(seed, prefix, n, field), numRuns: 1 })[0]!;
  const value = d.type === 'text' ? fitText(String(raw), d, reserve, kind === 'max-length') : raw;
  return { value, kind };
}

/** Every field of write `n`. */
export function generateValues(fields: Readonly<Record<string, WriteField>>, seed: number, prefix: string, n: number): GeneratedValues {
  const values: Record<string, SentValue> = {};
  const kinds: Record<string, string> = {};
  for (const [name, f] of Object.entries(fields)) {
    const g = generateValue(f.domain, seed, prefix, n, name);
    values[name] = g.value;
    kinds[name] = g.kind;
  }
  return { values, kinds };
}

/** The text a column must hold for a value sent (its stored form): compared byte for byte with what the database holds. */
export function storedText(value: SentValue, stored: StoredForm): string {
  if (stored === 'epoch-ms') return String(typeof value === 'number' ? value : Date.parse(value));
  return String(value);
}

/** The domain in words, for the report ("text, 1–200 UTF-16 units"). */
export function describeDomain(d: ValueDomain): string {
  if (d.type === 'text') return `text, ${d.minLength}–${d.maxLength} UTF-16 units${d.lineBreaks ? '' : ', no line breaks'}`;
  if (d.type === 'integer') return `integer, ${d.min}…${d.max}`;
  return `instant, ${d.from}–${d.to}, ISO 8601 at any UTC offset`;
}

/** A random seed for a run that names none (the report prints it: --value-seed replays it). */
export const randomValueSeed = () => 1 + Math.floor(Math.random() * 0x7ffffffe);

/** Where a stored text first differs from the one sent, in bytes (null when equal). */
export function firstDifference(sent: string, stored: Buffer | string): ValueDifference | null {
  const a = Buffer.from(sent, 'utf8');
  const b = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : stored;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return null;
  const hex = (buf: Buffer) => (i >= buf.length ? '(end)' : [...buf.subarray(i, i + 8)].map((x) => x.toString(16).padStart(2, '0')).join(' '));
  return { byte: i, char: [...a.subarray(0, i).toString('utf8')].length, sentBytes: hex(a), storedBytes: hex(b) };
}
