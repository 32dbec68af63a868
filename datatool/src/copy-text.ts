// PostgreSQL COPY text format is the canonical row form of both engines: PostgreSQL emits it itself
// (COPY ... TO STDOUT), SQLite rows are rendered into it, so checksums compare byte for byte.
// Escapes as PostgreSQL's CopyAttributeOutText writes them.
const ESC: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
const UNESC: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
const NEEDS_ESCAPE = /[\\\n\r\t\b\f\v]/;

function escapeText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\n\r\t\b\f\v]/g, (c) => ESC[c]!) : s;
}

/**
 * A double as PostgreSQL's float8 output writes it (extra_float_digits ≥ 1): the shortest digits
 * that round-trip (JavaScript finds the same ones), in exponent form below 1e-4 and from 1e15 on.
 */
export function renderFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 15) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(x);
}

/** One stored SQLite value as PostgreSQL would print the same value (read with safeIntegers: integers are bigint). */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'bigint') return String(v);
  // Read with safeIntegers, only REAL values arrive as numbers.
  if (typeof v === 'number') return renderFloat(v);
  if (typeof v === 'string') return escapeText(v);
  // A BLOB: bytea's hex output, with its backslash escaped as COPY does.
  if (Buffer.isBuffer(v)) return '\\\\x' + v.toString('hex');
  return escapeText(String(v));
}

export function formatRow(values: readonly unknown[]): string {
  let out = renderValue(values[0]);
  for (let i = 1; i < values.length; i++) out += '\t' + renderValue(values[i]);
  return out + '\n';
}

export function unescapeField(f: string): string | null {
  if (f === '\\N') return null;
  return f.replace(/\\(.)/g, (_m, c: string) => UNESC[c] ?? c);
}

/** Parses one COPY text line (without its newline) into field strings (null for \N). */
export function parseLine(line: string): (string | null)[] {
  const fields: (string | null)[] = line.split('\t');
  // Hot loop of every copy: only fields with a backslash need work.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (f.includes('\\')) fields[i] = unescapeField(f);
  }
  return fields;
}
