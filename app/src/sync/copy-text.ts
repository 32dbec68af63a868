// PostgreSQL COPY text format, used as the canonical row form of both engines: PostgreSQL emits it
// itself (COPY ... TO STDOUT), SQLite rows are rendered into it, so checksums compare byte for byte.
const ESC: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
const UNESC: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

export function escapeField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return String(v).replace(/[\\\n\r\t\b\f\v]/g, (c) => ESC[c]!);
}

export function formatRow(values: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) out += (i ? '\t' : '') + escapeField(values[i]);
  return out + '\n';
}

function unescapeField(f: string): string | null {
  if (f === '\\N') return null;
  if (!f.includes('\\')) return f;
  return f.replace(/\\(.)/g, (_m, c: string) => UNESC[c] ?? c);
}

/** Parses one COPY text line (without its newline) into field strings (null for \N). */
export function parseLine(line: string): (string | null)[] {
  const fields: (string | null)[] = line.split('\t');
  // Hot loop of every sync: plain indexing, and unescaping only fields that need it.
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (f.includes('\\')) fields[i] = unescapeField(f);
  }
  return fields;
}
