// What changed between two answers to the same request, as Twitter's Diffy reads it: the status,
// then the JSON body field by field, each difference with its JSON path, both values and its kind:
// a field missing or added, a value, the same list in another order, the same number or instant
// written another way, the same text in another case, another type. A text body is one field.
export type DifferenceKind = 'status' | 'missing' | 'added' | 'value' | 'order' | 'format' | 'case' | 'type';

export interface Difference {
  /** `$.a.b[2].c`: where in the body ("$" is the body itself; the status is `status`). */
  path: string;
  kind: DifferenceKind;
  before: unknown;
  after: unknown;
}

export interface Answer {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const child = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** An ISO-8601-looking text (a date, with or without time and zone): two of them are the same instant written two ways. */
const ISO = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)?)?$/;

/** Same number or instant written another way ("1" vs 1, "1.50" vs "1.5", an instant at another offset). */
function sameValueOtherFormat(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (typeof a === 'string' && typeof b === 'string' && ISO.test(a) && ISO.test(b)) return Date.parse(a) === Date.parse(b);
  // An instant as text against the same instant in epoch milliseconds.
  if (typeof a === 'string' && ISO.test(a) && typeof b === 'number') return Date.parse(a) === b;
  if (typeof b === 'string' && ISO.test(b) && typeof a === 'number') return Date.parse(b) === a;
  return false;
}

/** A value without the fields `ignored` leaves out (for comparing list items whatever their index). */
function strip(v: unknown, path: string, ignored: (path: string) => boolean): unknown {
  if (Array.isArray(v)) return v.map((x, i) => strip(x, child(path, i), ignored));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !ignored(child(path, k))).map(([k, x]) => [k, strip(x, child(path, k), ignored)]));
  return v;
}

/** The differences of `after` from `before`, leaving out the paths `ignored` says (noise, learned or declared). */
export function diffAnswers(before: Answer, after: Answer, ignored: (path: string) => boolean = () => false): Difference[] {
  const out: Difference[] = [];
  if (before.status !== after.status && !ignored('status')) out.push({ path: 'status', kind: 'status', before: before.status, after: after.status });
  diffValue('$', before.body, after.body, ignored, out);
  return out;
}

function diffValue(path: string, a: unknown, b: unknown, ignored: (path: string) => boolean, out: Difference[]): void {
  if (ignored(path)) return;
  if (canonical(a) === canonical(b)) return;
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) {
    out.push({ path, kind: sameValueOtherFormat(a, b) ? 'format' : 'type', before: a, after: b });
    return;
  }
  if (ta === 'array') {
    const xs = a as unknown[];
    const ys = b as unknown[];
    // The same items in another order (noise left out of each): one difference, at the list.
    const items = (vs: unknown[]) => vs.map((v, i) => canonical(strip(v, child(path, i), ignored)));
    const [ix, iy] = [items(xs), items(ys)];
    if (ix.join('\u0000') === iy.join('\u0000')) return;
    if (xs.length === ys.length && [...ix].sort().join('\u0000') === [...iy].sort().join('\u0000')) {
      out.push({ path, kind: 'order', before: a, after: b });
      return;
    }
    for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
      const p = child(path, i);
      if (i >= ys.length) {
        if (!ignored(p)) out.push({ path: p, kind: 'missing', before: xs[i], after: undefined });
      } else if (i >= xs.length) {
        if (!ignored(p)) out.push({ path: p, kind: 'added', before: undefined, after: ys[i] });
      } else diffValue(p, xs[i], ys[i], ignored, out);
    }
    return;
  }
  if (ta === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const p = child(path, k);
      if (!(k in y)) {
        if (!ignored(p)) out.push({ path: p, kind: 'missing', before: x[k], after: undefined });
      } else if (!(k in x)) {
        if (!ignored(p)) out.push({ path: p, kind: 'added', before: undefined, after: y[k] });
      } else diffValue(p, x[k], y[k], ignored, out);
    }
    return;
  }
  const kind = typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase() ? 'case' : sameValueOtherFormat(a, b) ? 'format' : 'value';
  out.push({ path, kind, before: a, after: b });
}

/** Every path at which two answers to the same request differ: what is noise when both came from the same engine. */
export function noisePaths(a: Answer, b: Answer): string[] {
  return diffAnswers(a, b).map((d) => d.path);
}

const KIND_WORDS: Record<DifferenceKind, string> = {
  status: 'another status',
  missing: 'a field gone',
  added: 'a field added',
  value: 'another value',
  order: 'the same list in another order',
  format: 'the same value written another way',
  case: 'the same text in another case',
  type: 'another type',
};

/** A value for the evidence, cut to 120 characters. */
const short = (v: unknown) => {
  const s = v === undefined ? '(absent)' : JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
};

/** One difference in words: "GET /items $.list: the same list in another order: before […], after […]". */
export function differenceInWords(d: Difference & { request: string; known?: string }): string {
  return `${d.request} ${d.path}: ${KIND_WORDS[d.kind]}: before ${short(d.before)}, after ${short(d.after)}${d.known ? ` (known engine difference: ${d.known})` : ''}`;
}
