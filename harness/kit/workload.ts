// The write workload of a target profile made concrete: the key, request and body of write n, and
// what an answer means (acknowledged by the profile's statuses; a gateway timeout or no answer may
// still have been applied: unknown; anything else refused). Shared by the ledger and the load.
import type { WriteOutcome } from '../model/measurements.ts';
import { type SetWorkload, type TargetProfile } from '../model/target-profile.ts';
import { TargetProfileError } from './errors.ts';
import type { SentValue } from '../model/value-domain.ts';
import { generateValues } from './values.ts';

/** The profile's set workload, for the set ledger and the load's set writes (a register target has RegisterLedger and registerWrites). */
export function setWorkloadOf(t: Pick<TargetProfile, 'name' | 'workload'>, who: string): SetWorkload {
  if (t.workload.model !== 'set') throw new TargetProfileError(`target ${t.name} has a ${t.workload.model} workload: ${who} writes a set (use the register ledger)`);
  return t.workload;
}

export interface WriteRequest {
  key: string;
  method: 'POST' | 'PUT';
  path: string;
  body?: string;
  /** The profile's fields as sent (generated, kit/values.ts), and which kind of value each is. */
  values?: Record<string, SentValue>;
  kinds?: Record<string, string>;
}

/** `{{name}}` placeholders of a profile's template filled in, each value escaped for where it goes. */
export const fill = <V extends SentValue>(template: string, values: Record<string, V>, escape: (v: V) => string) =>
  template.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in values ? escape(values[name]!) : m));

/**
 * Write number `n` with key prefix `prefix`; `label` names who wrote it ("ledger 12", "load 7"). The
 * profile's fields get generated values, the same for the same `valueSeed`, prefix and n.
 */
export function writeRequest(w: SetWorkload, prefix: string, n: number, label: string, valueSeed = 0): WriteRequest {
  const key = fill(w.key, { prefix, n: String(n) }, (v) => v);
  const generated = Object.keys(w.fields).length ? generateValues(w.fields, valueSeed, prefix, n) : undefined;
  const values: Record<string, SentValue> = { ...generated?.values, key, n: String(n), label };
  return {
    key,
    method: w.write.method,
    path: fill(w.write.path, values, (v) => encodeURIComponent(String(v))),
    // JSON-escaped: a template writes {{key}} where a JSON string goes (a number field as a JSON number).
    body: w.write.body === undefined ? undefined : fill(w.write.body, values, (v) => JSON.stringify(v)),
    ...(generated ? generated : {}),
  };
}

/** What a write sent in the profile's fields, for its record (nothing when the profile declares none). */
export const sentValues = (r: WriteRequest): Pick<WriteRequest, 'values' | 'kinds'> => (r.values ? { values: r.values, kinds: r.kinds } : {});

export function writeOutcome(status: number, ack: readonly number[]): WriteOutcome {
  return ack.includes(status) ? 'ok' : status === 504 || status === 0 ? 'unknown' : 'fail';
}

/** The numeric id the app returned for an acknowledged write, if the profile names its field. */
export function writeId(w: SetWorkload, body: string): number | undefined {
  if (!w.write.idField) return undefined;
  try {
    const v = (JSON.parse(body) as Record<string, unknown>)[w.write.idField];
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A response header the profile names (engine, pod), first value. */
export function headerOf(headers: Record<string, string | string[] | undefined> | undefined, name: string | undefined): string | undefined {
  if (!name || !headers) return undefined;
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The page of the app's own read-back: `{{prefix}}` and `{{cursor}}` filled in. */
export function readBackPath(t: TargetProfile, prefix: string, cursor: string): string {
  return fill(setWorkloadOf(t, 'the set read-back').readBack.api.path, { prefix, cursor }, encodeURIComponent);
}
