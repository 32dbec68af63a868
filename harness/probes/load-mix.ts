// What the load sends, whoever sends it (autocannon or the open-loop sender): the app's read paths
// with writes interleaved evenly. A write is recorded when it is built, like a ledger write, and
// its answer fills in the outcome (acknowledged by the profile's statuses, the pod that answered), so
// every write of the load is checked in the database later. Unique-key writes for a set workload,
// unique values over the fixed keys for a register one.
import type { RegisterWriteRecord, WriteRecord } from '../model/measurements.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { registerValue, registerWorkload, registerWriteRequest } from '../kit/register-workload.ts';
import { headerOf, sentValues, setWorkloadOf, writeId, writeOutcome, writeRequest } from '../kit/workload.ts';

export interface LoadWrites {
  /** Share of requests that are writes, 0…0.9. */
  ratio: number;
  /** Key prefix: every write's key starts with it (the profile's key template; checked later in the database itself). */
  prefix: string;
  /** Every write attempted is pushed here, its outcome filled in when (if) it is answered. */
  records: WriteRecord[];
  /** The seed of the generated field values (kit/values.ts). */
  valueSeed?: number;
}

export interface LoadRegisterWrites {
  /** Share of requests that are writes, 0…0.9. */
  ratio: number;
  /** Value prefix: write n writes `<prefix><n>` (unique in the run) to the next key round-robin. */
  prefix: string;
  /** Every write attempted is pushed here with its start; its end and outcome are filled in when (if) it is answered. */
  records: RegisterWriteRecord[];
  /** The keys written round-robin (default: every key of the workload). */
  keys?: readonly string[];
  /** The seed of the generated values (kit/values.ts), where the profile gives the register's domain. */
  valueSeed?: number;
}

export type Headers = Record<string, string | string[] | undefined>;

/** One request of the mix, ready to send; a write's `answered` records its outcome. */
export interface MixRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  body?: string;
  /** Called with the answer; a write never answered stays `unknown`. */
  answered?(status: number, body: string, headers: Headers): void;
}

/** A slot of the mix: a read of a fixed path, or a write built anew each time it is sent. */
export type MixSlot = { read: string } | { write: () => MixRequest };

/** Interleaves writes evenly into the read paths: a sequence of `slots` requests, reads first. */
export function mixSequence(paths: readonly string[], ratio: number, slots = 20): ({ read: string } | { write: true })[] {
  const w = Math.max(0, Math.min(slots - 1, Math.round(ratio * slots)));
  const out: ({ read: string } | { write: true })[] = [];
  let reads = 0;
  let writes = 0;
  for (let i = 0; i < slots; i++) {
    // Bresenham-style spreading; slot 0 is always a read (autocannon builds the first request once).
    if (i > 0 && writes < Math.floor(((i + 1) * w) / slots)) {
      out.push({ write: true });
      writes++;
    } else out.push({ read: paths[reads++ % paths.length]! });
  }
  return out;
}

/** The mix's slots: reads of `paths`, and set or register writes at their ratio (none: reads only). */
export function loadMix(paths: readonly string[], target: TargetProfile, o: { writes?: LoadWrites; registerWrites?: LoadRegisterWrites }): MixSlot[] {
  if (o.writes && o.registerWrites) throw new Error('the load: set writes or register writes, not both');
  const ratio = o.writes?.ratio ?? o.registerWrites?.ratio ?? 0;
  const write = ratio === 0 ? undefined : o.writes ? setWriter(o.writes, target) : o.registerWrites ? registerWriter(o.registerWrites, target) : undefined;
  if (!write) return paths.map((p) => ({ read: p }));
  return mixSequence(paths, ratio).map((slot) => ('read' in slot ? slot : { write }));
}

/** Unique-key write n, recorded when built; its answer gives the outcome, the engine and pod that answered, the id. */
function setWriter(w: LoadWrites, target: TargetProfile): () => MixRequest {
  let seq = 0;
  const workload = setWorkloadOf(target, 'the load (set writes)');
  return () => {
    const n = ++seq;
    const req = writeRequest(workload, w.prefix, n, `load ${n}`, w.valueSeed);
    const rec: WriteRecord = { email: req.key, seq: n, t: Date.now(), latencyMs: 0, outcome: 'unknown', status: 0, ...sentValues(req) };
    w.records.push(rec);
    const t0 = performance.now();
    return {
      method: req.method,
      path: req.path,
      ...(req.body === undefined ? {} : { body: req.body }),
      answered(status, body, headers) {
        rec.status = status;
        rec.latencyMs = performance.now() - t0;
        rec.outcome = writeOutcome(status, workload.write.ack);
        rec.engine = headerOf(headers, target.identity.engineHeader);
        rec.pod = headerOf(headers, target.identity.podHeader);
        if (rec.outcome === 'ok') rec.id = writeId(workload, body);
      },
    };
  };
}

/**
 * Register write n: value `<prefix><n>` to the next fixed key. Its window starts when it is built
 * (just before it is sent) and ends when its answer is parsed: both on the safe side of the real
 * one. Unanswered, it stays unknown (it may still land, at any time: the register rule allows that).
 */
function registerWriter(w: LoadRegisterWrites, target: TargetProfile): () => MixRequest {
  let seq = 0;
  const workload = registerWorkload(target);
  const keys = w.keys ?? workload.keys;
  return () => {
    const n = ++seq;
    const key = keys[(n - 1) % keys.length]!;
    const value = registerValue(workload, w.prefix, n, w.valueSeed);
    const req = registerWriteRequest(workload, key, value);
    const startedAt = Date.now();
    const rec: RegisterWriteRecord = { key, value, seq: n, startedAt, endedAt: startedAt, outcome: 'unknown', status: 0, latencyMs: 0 };
    w.records.push(rec);
    const t0 = performance.now();
    return {
      method: req.method,
      path: req.path,
      body: req.body,
      answered(status, _body, headers) {
        rec.endedAt = Date.now();
        rec.status = status;
        rec.latencyMs = performance.now() - t0;
        rec.outcome = writeOutcome(status, workload.write.ack);
        const pod = headerOf(headers, target.identity.podHeader);
        if (pod !== undefined) rec.pod = pod;
      },
    };
  };
}
