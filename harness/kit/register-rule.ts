// The register checker: for an app that only updates a few fixed keys, is every value read back one
// that a correct (linearizable) register could hold? This is Jepsen's register rule, checked read by
// read. A pure function: the caller records the writes and reads (from the database itself where it
// can) and gets a verdict per read with the legal values in it.
//
// The rule. Every write w of a key has a start s(w) and an end e(w) (when its answer arrived, or the
// client gave up), and takes effect at most once, at some instant inside its window [s(w), u(w)]:
//   - ok (acknowledged): it took effect, before its answer: u(w) = e(w);
//   - fail (an error answer): it may still have taken effect (a commit whose answer was lost to a
//     timeout inside the app), but only before that answer: u(w) = e(w);
//   - unknown (no answer): it may still be in flight inside the app, so it may take effect at any time
//     after its start, even after the client gave up: u(w) = +infinity (Jepsen's indeterminate op).
// A read r of the key (window [rs, re]; the final read, taken after every write, has rs = re = +inf)
// returns the value of the write that took effect last before it. Value v of write w is legal for r
// iff some ordering allows w to be that last write:
//   1. w started before the read ended: s(w) <= re;
//   2. every acknowledged write j that ended before the read could have been placed (before
//      max(rs, s(w))) can be put before w: s(j) <= u(w). Writes that are concurrent with w are
//      placed before it (as early as their start), so only an ok write that STARTED after w could no
//      longer take effect (u(w)) proves w overwritten.
// So with S = the latest start among the acknowledged writes that ended before the read, the legal
// values are: each ok or failed write that ended at or after S (the last acknowledged write and every
// write concurrent with it), each unknown write that started before the read, and the key's initial
// value (or no value at all, when it had none) only while no acknowledged write ended before the read.
// Ties at the clock's millisecond are resolved in the app's favour (a correct app is never flagged).
//
// Verdicts: ok (a legal value); stale (the value of an older write or the initial value, overwritten by
// an acknowledged write: a lost update); unknown-value (never written to this key before the read);
// missing (no value where an acknowledged write or the initial value must be). A key that has writes
// but no read is checked as read missing: not reading it must not pass.
//
// Checking each read on its own is sound (a correct register is never flagged) but not complete
// across reads. A final read only sees the last update of each key: a lost update is detected when it
// is the last acknowledged write of its key; reads taken during the workload (each with its window)
// catch the others.
import { RegisterReadSchema, RegisterWriteSchema, type RegisterCheck, type RegisterRead, type RegisterReadResult, type RegisterVerdict, type RegisterWrite } from '../model/measurements.ts';
import { z } from 'zod';

export interface RegisterInput {
  writes: readonly RegisterWrite[];
  reads: readonly RegisterRead[];
  /** Each key's value before the first write (the seed); absent or null: the key had none. */
  initial?: Readonly<Record<string, string | null>>;
}

export class RegisterInputError extends Error {
  override readonly name = 'RegisterInputError';
}

interface Indexed extends RegisterWrite {
  /** u(w): the latest instant it may take effect. */
  upTo: number;
}

/** One key's writes, indexed for "latest start among the ok writes that ended before T". */
class KeyHistory {
  readonly byValue = new Map<string, Indexed>();
  readonly okByEnd: Indexed[];
  /** prefixLatest[i]: the ok write with the latest start among okByEnd[0..i]. */
  readonly prefixLatest: Indexed[] = [];
  readonly determinateByEnd: Indexed[];
  readonly unknown: Indexed[];
  /** The longest determinate write: one that ended later than re + this started after re. */
  readonly longest: number;
  readonly t0: number;

  constructor(writes: readonly RegisterWrite[]) {
    const all = writes.map((w): Indexed => ({ ...w, upTo: w.outcome === 'unknown' ? Infinity : w.endedAt }));
    for (const w of all) {
      if (this.byValue.has(w.value)) throw new RegisterInputError(`value ${JSON.stringify(w.value)} written twice to key ${JSON.stringify(w.key)}: values must be unique per write`);
      this.byValue.set(w.value, w);
    }
    const byEnd = (a: Indexed, b: Indexed) => a.endedAt - b.endedAt;
    this.okByEnd = all.filter((w) => w.outcome === 'ok').sort(byEnd);
    this.okByEnd.forEach((w, i) => this.prefixLatest.push(i > 0 && this.prefixLatest[i - 1]!.startedAt >= w.startedAt ? this.prefixLatest[i - 1]! : w));
    this.determinateByEnd = all.filter((w) => w.outcome !== 'unknown').sort(byEnd);
    this.unknown = all.filter((w) => w.outcome === 'unknown');
    this.longest = Math.max(0, ...this.determinateByEnd.map((w) => w.endedAt - w.startedAt));
    this.t0 = Math.min(...all.map((w) => w.startedAt));
  }

  /** The acknowledged write with the latest start among those that ended strictly before t. */
  latestOkEndedBefore(t: number): Indexed | undefined {
    const n = firstIndex(this.okByEnd, (w) => w.endedAt >= t);
    return n > 0 ? this.prefixLatest[n - 1] : undefined;
  }

  /** Why w cannot be the value read (the acknowledged write that overwrote it), or undefined: legal. */
  overwrittenBy(w: Indexed, rs: number, re: number): Indexed | 'not-yet-written' | undefined {
    if (w.startedAt > re) return 'not-yet-written';
    const j = this.latestOkEndedBefore(Math.max(rs, w.startedAt));
    return j && j.startedAt > w.upTo ? j : undefined;
  }

  legalValues(rs: number, re: number): Indexed[] {
    // Only determinate writes that ended at or after S (else overwritten) and started before the
    // read ended (so ended before re + the longest write) can be legal: a window of the end order.
    const s = this.latestOkEndedBefore(rs)?.startedAt ?? -Infinity;
    const from = firstIndex(this.determinateByEnd, (w) => w.endedAt >= s);
    const to = firstIndex(this.determinateByEnd, (w) => w.endedAt > re + this.longest);
    const candidates = [...this.determinateByEnd.slice(from, Math.max(from, to)), ...this.unknown];
    return candidates.filter((w) => this.overwrittenBy(w, rs, re) === undefined).sort((a, b) => a.startedAt - b.startedAt || a.endedAt - b.endedAt);
  }
}

/** The first index whose element satisfies a predicate that is monotone over the array. */
function firstIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(xs[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function checkRegister(input: RegisterInput): RegisterCheck {
  const writes = z.array(RegisterWriteSchema).safeParse(input.writes);
  if (!writes.success) throw new RegisterInputError(`register writes: ${writes.error.issues[0]!.path.join('.')} ${writes.error.issues[0]!.message}`);
  const reads = z.array(RegisterReadSchema).safeParse(input.reads);
  if (!reads.success) throw new RegisterInputError(`register reads: ${reads.error.issues[0]!.path.join('.')} ${reads.error.issues[0]!.message}`);

  const byKey = new Map<string, RegisterWrite[]>();
  for (const w of writes.data) {
    const ws = byKey.get(w.key);
    if (ws) ws.push(w);
    else byKey.set(w.key, [w]);
  }
  const histories = new Map([...byKey].map(([k, ws]) => [k, new KeyHistory(ws)]));
  const empty = new KeyHistory([]);

  // A key written but never read is checked as a final read that found nothing.
  const readKeys = new Set(reads.data.map((r) => r.key));
  const allReads: RegisterRead[] = [...reads.data, ...[...byKey.keys()].filter((k) => !readKeys.has(k)).map((key) => ({ key, value: null }))];

  const results = allReads.map((r) => judge(r, histories.get(r.key) ?? empty, input.initial?.[r.key] ?? null));
  const count = (v: RegisterVerdict) => results.filter((x) => x.verdict === v).length;
  return {
    results,
    totals: {
      keys: new Set(allReads.map((r) => r.key)).size,
      reads: results.length,
      ok: count('ok'),
      stale: count('stale'),
      unknownValue: count('unknown-value'),
      missing: count('missing'),
      acknowledged: writes.data.filter((w) => w.outcome === 'ok').length,
    },
  };
}

function judge(r: RegisterRead, h: KeyHistory, initial: string | null): RegisterReadResult {
  const rs = r.startedAt ?? Infinity;
  const re = r.endedAt ?? r.startedAt ?? Infinity;
  const at = (t: number) => (Number.isFinite(t) && Number.isFinite(h.t0) ? `+${t - h.t0} ms` : String(t));
  const show = (w: Indexed) => `${JSON.stringify(w.value)} (${w.outcome}, ${at(w.startedAt)}..${at(w.endedAt)})`;
  const legal = h.legalValues(rs, re);
  const firstAck = h.latestOkEndedBefore(rs);
  const initialLegal = firstAck === undefined;
  const expected = [...(initialLegal && initial !== null ? [initial] : []), ...legal.map((w) => w.value)];
  const base = { key: r.key, read: r.value, ...(r.startedAt === undefined ? {} : { startedAt: r.startedAt }), expected, absentLegal: initialLegal && initial === null, acknowledged: h.okByEnd.length };
  const legalText = expected.length ? `legal: ${expected.slice(0, 5).map((v) => JSON.stringify(v)).join(', ')}${expected.length > 5 ? ` and ${expected.length - 5} more` : ''}` : 'legal: no value';
  const where = r.startedAt === undefined ? 'final read' : `read at ${at(rs)}`;

  if (r.value === null) {
    if (base.absentLegal) return { ...base, verdict: 'ok', detail: `${r.key}: ${where} found no value, none acknowledged yet and no initial value` };
    const why = firstAck ? `${h.okByEnd.filter((w) => w.endedAt < rs).length} acknowledged write(s) before it, the latest ${show(firstAck)}` : `initial value ${JSON.stringify(initial)}`;
    return { ...base, verdict: 'missing', detail: `${r.key}: ${where} found no value, expected one: ${why}; ${legalText}` };
  }
  const w = h.byValue.get(r.value);
  const fromInitial = r.value === initial;
  const wLegal = w !== undefined && h.overwrittenBy(w, rs, re) === undefined;
  if ((fromInitial && initialLegal) || wLegal) {
    const readFrom = wLegal ? w.outcome : 'initial';
    return { ...base, verdict: 'ok', readFrom, detail: `${r.key}: ${where} ${readFrom === 'initial' ? `${JSON.stringify(r.value)} (initial value)` : show(w!)} is legal; ${legalText}` };
  }
  if (fromInitial) {
    return { ...base, verdict: 'stale', readFrom: 'initial', detail: `${r.key}: ${where} the initial value ${JSON.stringify(r.value)}, overwritten by acknowledged ${show(firstAck!)}: lost update; ${legalText}` };
  }
  const by = w && h.overwrittenBy(w, rs, re);
  if (w && by && by !== 'not-yet-written') {
    return { ...base, verdict: 'stale', readFrom: w.outcome, detail: `${r.key}: ${where} ${show(w)}, overwritten by acknowledged ${show(by)} which started after it ended: lost update; ${legalText}` };
  }
  const never = w ? `written only at ${at(w.startedAt)}, after the read` : 'never written to this key';
  return { ...base, verdict: 'unknown-value', ...(w ? { readFrom: w.outcome } : {}), detail: `${r.key}: ${where} ${JSON.stringify(r.value)}, ${never}; ${legalText}` };
}

/** Every kind of anomaly, named with its count ("3 stale (lost update)"); empty when clean. */
export function registerAnomalies(c: Pick<RegisterCheck, 'totals'>): string[] {
  const t = c.totals;
  return [t.stale && `${t.stale} stale (lost update)`, t.unknownValue && `${t.unknownValue} never-written value`, t.missing && `${t.missing} missing`].filter((x): x is string => Boolean(x));
}

/** One line for a verdict: "no anomaly" or every anomaly named, with the coverage. */
export function registerHeadline(c: RegisterCheck): string {
  const t = c.totals;
  const anomalies = registerAnomalies(c);
  return `${anomalies.length ? anomalies.join(', ') : 'no anomaly'}: ${t.reads} read(s) of ${t.keys} key(s) against ${t.acknowledged} acknowledged write(s)`;
}

/**
 * Values that were the only legal value of some read (no absence legal either): had that write been
 * lost, the read would have found something else. What a run can actually catch, write by write: a
 * register read sees a lost update only while it is its key's latest.
 */
export function pinnedValues(c: RegisterCheck): Set<string> {
  return new Set(c.results.filter((r) => r.expected.length === 1 && !r.absentLegal).map((r) => r.expected[0]!));
}
