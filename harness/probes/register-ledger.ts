// Register ledger: the write workload of an app that only updates a few fixed keys (the profile's
// register workload). A steady stream of read-your-write pairs through the service: write a unique
// value (`<prefix><n>`) to key k, then, once answered (ack status → ok; 504 or no answer → unknown,
// it may still land; any other answer → fail), read k back through the app's API. Each worker has
// keys of its own (round-robin over them), so no other ledger write to k is in flight during its
// pair: the read pins an acknowledged write as its key's only legal value, or finds it lost (the
// older value: stale). Every write is checkable, not only the few a round-robin read happens to
// catch as their key's latest. The register rule (register.ts) is then applied read by read. The
// final read should come from the database itself (readDirect over the output of the profile's
// direct query, exec'd where the database lives), not from the app.
import { registerValue, registerWorkload, parseDirectRows, registerWriteRequest, registerReadPath, type DirectRows } from '../kit/register-workload.ts';
import { done, notYet, waitFor } from '../kit/wait.ts';
import { Agent, request } from 'undici';
import { at } from '../kit/features.ts';
import { checkRegister, registerHeadline } from '../kit/register-rule.ts';
import { type RegisterWrite, type RegisterReadRecord, type RegisterLedgerCheck } from '../model/measurements.ts';
import { type RegisterWriteRecord } from '../model/measurements.ts';
import { fill, headerOf, writeOutcome } from '../kit/workload.ts';
import { type RegisterWorkload, type TargetProfile } from '../model/target-profile.ts';
import { startPaced } from './paced.ts';

export interface RegisterLedgerOptions {
  baseUrl: string;
  target: TargetProfile;
  runId: string;
  /** Writes per second (each followed by its read-back), spread evenly. */
  rate?: number;
  /** Workers, each with keys of its own: at most the number of keys the ledger writes. */
  concurrency?: number;
  /** The keys the ledger writes (default: all of the workload's); see ledgerKeys. */
  keys?: readonly string[];
  timeoutMs?: number;
  /** The seed of the generated values (kit/values.ts), where the profile gives the register's domain. */
  valueSeed?: number;
}

/** Resolves once the clock (Date.now) has passed `t`. */
async function afterMs(t: number): Promise<void> {
  await waitFor(() => (Date.now() > t ? done(undefined) : notYet(`${t - Date.now() + 1} ms to go`)), { describe: `the clock past ${t}`, timeoutMs: Math.max(0, t - Date.now()) + 1_000, intervalMs: 1 });
}

export class RegisterLedger implements AsyncDisposable {
  readonly writes: RegisterWriteRecord[] = [];
  readonly reads: RegisterReadRecord[] = [];
  /** API reads that got no usable answer (error status, no answer, no value field): not judged. */
  readonly readErrors: { key: string; status: number; error: string }[] = [];
  readonly prefix: string;
  readonly #agent = new Agent({ keepAliveTimeout: 2_000, connections: 8 });
  readonly #opts: Required<Omit<RegisterLedgerOptions, 'target'>>;
  readonly #target: TargetProfile;
  readonly #w: RegisterWorkload;
  #initial: Record<string, string | null> | undefined;
  #initialFrom: RegisterLedgerCheck['initialFrom'] = 'none';
  #seq = 0;
  #writeKey = 0;
  /** Per worker: its keys (fixed once built), and its next key's position in them. */
  readonly #workerKeys: string[][];
  readonly #workerTurn: number[];
  /** Per key: when its latest ledger write (or pair's read) ended. */
  readonly #keyEnd = new Map<string, number>();
  #rate: number;
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(opts: RegisterLedgerOptions) {
    this.#w = registerWorkload(opts.target);
    this.#target = opts.target;
    this.#opts = { rate: 50, concurrency: 2, timeoutMs: 2_000, keys: this.#w.keys, valueSeed: 0, ...opts };
    const own = this.#opts.keys;
    const unknown = own.filter((k) => !this.#w.keys.includes(k));
    if (own.length === 0 || unknown.length || new Set(own).size !== own.length) throw new RangeError(`keys must be distinct keys of the register (got ${JSON.stringify(own)})`);
    const c = this.#opts.concurrency;
    // More workers than keys would put two pairs on one key at once: neither read could pin its write.
    if (!(Number.isInteger(c) && c >= 1 && c <= own.length)) throw new RangeError(`concurrency must be a whole number within 1..${own.length} (the keys the ledger writes; got ${c})`);
    this.#workerKeys = Array.from({ length: c }, (_, i) => own.filter((_, j) => j % c === i));
    this.#workerTurn = Array.from({ length: c }, () => 0);
    this.#rate = this.#opts.rate;
    this.prefix = `reg-${opts.runId}-`;
  }

  /** Every key of the register (read back at the end, whoever wrote them). */
  get keys(): readonly string[] {
    return this.#w.keys;
  }

  /** The keys the ledger writes. */
  get ownKeys(): readonly string[] {
    return this.#opts.keys;
  }

  /** The keys left to other writers (the load): those the ledger does not write, or all when it writes them all. */
  get loadKeys(): readonly string[] {
    const rest = this.#w.keys.filter((k) => !this.#opts.keys.includes(k));
    return rest.length ? rest : this.#w.keys;
  }

  setRate(rate: number): void {
    this.#rate = rate;
  }

  /** Each key's value before the first write (absent: none); or read it: captureInitial (API), initialFromDirect (the database). */
  setInitial(values: Record<string, string | null>, from: Exclude<RegisterLedgerCheck['initialFrom'], 'none'> = 'given'): void {
    this.#initial = Object.fromEntries(this.#w.keys.map((k) => [k, values[k] ?? null]));
    this.#initialFrom = from;
  }

  /** Reads every key once through the API before the workload. */
  async captureInitial(): Promise<Record<string, string | null>> {
    const values: Record<string, string | null> = {};
    for (const key of this.#w.keys) {
      const r = await this.#get(key);
      if ('error' in r) throw new Error(`initial read of ${key}: ${r.error}`);
      values[key] = r.value;
    }
    this.setInitial(values, 'api');
    return values;
  }

  /** The direct query's output taken before the workload as each key's initial value (a key with two rows is ambiguous: an error). */
  initialFromDirect(stdout: string): Record<string, string | null> {
    const values: Record<string, string | null> = {};
    for (const r of parseDirectRows(this.#w, stdout).rows) {
      if (r.key in values) throw new Error(`initial direct read: key ${r.key} has more than one row`);
      values[r.key] = r.value;
    }
    this.setInitial(values, 'direct');
    return values;
  }

  /** One write of a new unique value (the next of its own keys round-robin unless given), recorded. */
  async write(key = this.#opts.keys[this.#writeKey++ % this.#opts.keys.length]!): Promise<RegisterWriteRecord> {
    const seq = ++this.#seq;
    const value = registerValue(this.#w, this.prefix, seq, this.#opts.valueSeed);
    const req = registerWriteRequest(this.#w, key, value);
    const startedAt = Date.now();
    const t0 = performance.now();
    let status = 0;
    let pod: string | undefined;
    let error: string | undefined;
    try {
      const res = await request(this.#opts.baseUrl + req.path, {
        method: req.method,
        dispatcher: this.#agent,
        headers: { 'content-type': 'application/json' },
        body: req.body,
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      await res.body.dump();
      status = res.statusCode;
      pod = headerOf(res.headers, this.#target.identity.podHeader);
    } catch (err) {
      // No answer: it may still be applied (unknown, status 0).
      const e = err as Error & { code?: string };
      error = `${e.code ?? e.name}: ${e.message}`;
    }
    const rec: RegisterWriteRecord = {
      key,
      value,
      seq,
      startedAt,
      endedAt: Date.now(),
      outcome: writeOutcome(status, this.#w.write.ack),
      status,
      latencyMs: performance.now() - t0,
      ...(pod === undefined ? {} : { pod }),
      ...(error === undefined ? {} : { error }),
    };
    this.writes.push(rec);
    this.#keyEnd.set(key, Math.max(rec.endedAt, this.#keyEnd.get(key) ?? 0));
    return rec;
  }

  /** One read of a key through the API, recorded with its window. */
  async read(key: string): Promise<RegisterReadRecord | undefined> {
    const startedAt = Date.now();
    const r = await this.#get(key);
    if ('error' in r) {
      this.readErrors.push({ key, status: r.status, error: r.error });
      return undefined;
    }
    const rec: RegisterReadRecord = { key, value: r.value, startedAt, endedAt: Date.now(), source: 'api' };
    this.reads.push(rec);
    return rec;
  }

  async #get(key: string): Promise<{ value: string | null } | { status: number; error: string }> {
    try {
      const res = await request(this.#opts.baseUrl + registerReadPath(this.#w, key), {
        dispatcher: this.#agent,
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      const text = await res.body.text();
      if (this.#w.read.absent.includes(res.statusCode)) return { value: null };
      if (res.statusCode !== 200) return { status: res.statusCode, error: `HTTP ${res.statusCode}` };
      let v: unknown;
      // The value's path may name the key (an answer keyed by it: `{{key}}.config.drill`).
      const valuePath = fill(this.#w.read.value, { key }, (k) => k);
      try {
        v = at(JSON.parse(text), valuePath);
      } catch {
        return { status: 200, error: 'HTTP 200, body not JSON' };
      }
      if (typeof v !== 'string') return { status: 200, error: `HTTP 200, ${valuePath} is ${v === null ? 'null' : typeof v} (expected a string)` };
      return { value: v };
    } catch (err) {
      return { status: 0, error: (err as Error).message };
    }
  }

  /** The keys worker i (of `concurrency`) writes: every concurrency-th own key from the i-th, disjoint across workers. */
  workerKeys(worker: number): string[] {
    return [...(this.#workerKeys[worker] ?? [])];
  }

  /**
   * One read-your-write pair on the worker's next key: the write, then (acknowledged or not) a read
   * of the same key. With no other ledger write to the key in flight, the read's only legal value is
   * the write's when it was acknowledged (pinned), unless a write of someone else (the load's) overlaps.
   */
  async pair(worker: number): Promise<{ write: RegisterWriteRecord; read: RegisterReadRecord | undefined }> {
    const keys = this.#workerKeys[worker]!;
    const key = keys[this.#workerTurn[worker]!++ % keys.length]!;
    // Windows are whole milliseconds and a tie is read in the app's favour (either order legal): the
    // write must start after this key's previous write and read ended, its read after it answered,
    // else neither pins. Waiting out the millisecond costs at most 1 ms a step.
    await afterMs(this.#keyEnd.get(key) ?? 0);
    const write = await this.write(key);
    await afterMs(write.endedAt);
    const read = await this.read(key);
    this.#keyEnd.set(key, Math.max(Date.now(), this.#keyEnd.get(key) ?? 0));
    return { write, read };
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#workers = startPaced({ concurrency: this.#opts.concurrency, rate: () => this.#rate, running: () => this.#running, op: (i) => this.pair(i) });
    return this;
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
    this.#workers = [];
  }

  /** Every key read once through the API (after the workload: each read still has its window). */
  async readAll(): Promise<void> {
    for (const key of this.#w.keys) await this.read(key);
  }

  /** The direct query's output (taken after the workload) as final reads; a key with no row is read as no value. */
  readDirect(stdout: string): DirectRows {
    const parsed = parseDirectRows(this.#w, stdout);
    for (const r of parsed.rows) this.reads.push({ key: r.key, value: r.value, source: 'direct' });
    const seen = new Set(parsed.rows.map((r) => r.key));
    for (const key of this.#w.keys) if (!seen.has(key)) this.reads.push({ key, value: null, source: 'direct' });
    return parsed;
  }

  /**
   * The register rule over every write and read so far, plus `extraWrites` made by others to the same
   * keys (the load's, with values of their own prefix): a read may return any of them.
   */
  check(extraWrites: readonly RegisterWriteRecord[] = []): RegisterLedgerCheck {
    const writes = extraWrites.length ? [...this.writes, ...extraWrites] : this.writes;
    const c = checkRegister({ writes, reads: this.reads, ...(this.#initial ? { initial: this.#initial } : {}) });
    const count = (o: RegisterWrite['outcome']) => writes.filter((w) => w.outcome === o).length;
    const okByPod: Record<string, number> = {};
    for (const w of writes) if (w.outcome === 'ok' && w.pod !== undefined) okByPod[w.pod] = (okByPod[w.pod] ?? 0) + 1;
    // checkRegister keeps the reads' order (keys never read come after them, as missing).
    const bySource: RegisterLedgerCheck['bySource'] = { api: { reads: 0, anomalies: 0 }, direct: { reads: 0, anomalies: 0 } };
    this.reads.forEach((r, i) => {
      bySource[r.source].reads++;
      if (c.results[i]!.verdict !== 'ok') bySource[r.source].anomalies++;
    });
    const podHeader = this.#target.identity.podHeader;
    return {
      ...c,
      headline: registerHeadline(c),
      writes: { attempted: writes.length, ok: count('ok'), fail: count('fail'), unknown: count('unknown') },
      reads: { api: bySource.api.reads, direct: bySource.direct.reads, apiErrors: this.readErrors.length },
      initialFrom: this.#initialFrom,
      // Never invented: without a pod header the answers do not say which pod took a write.
      perPod: podHeader ? { okByPod } : { unavailable: `target ${this.#target.name} names no pod (no identity.podHeader): per-pod coverage not measured` },
      bySource,
      unread: c.results.slice(this.reads.length).map((r) => r.key),
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await this.#agent.close();
  }
}
