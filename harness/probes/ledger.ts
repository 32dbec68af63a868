// Write ledger: a steady stream of the target profile's writes (each a new key), each recorded as ok (acknowledged),
// fail (definitely not applied: an HTTP error answer) or unknown (no answer: it may or may not
// have been applied). After recovery everything is read back and checked with the set rule:
// every ok write present (else lost), unknown writes may be present (recovered), nothing present
// that was never attempted (unexpected), nothing present twice (duplicated).
import type { WriteRecord, LedgerCheck, LandedRead } from '../model/measurements.ts';
import { apiValueHex } from '../kit/stored-values.ts';
import { Agent, request } from 'undici';
import { at } from '../kit/features.ts';
import { headerOf, readBackPath, sentValues, setWorkloadOf, writeId, writeOutcome, writeRequest } from '../kit/workload.ts';
import { type WriteOutcome } from '../model/measurements.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { startPaced } from './paced.ts';

export { writeOutcome } from '../kit/workload.ts';
export { type WriteOutcome } from '../model/measurements.ts';

export interface LedgerOptions {
  baseUrl: string;
  target: TargetProfile;
  runId: string;
  /** Writes per second (spread evenly). */
  rate?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** The seed of the generated field values (kit/values.ts): the report prints it, a run replays with it. */
  valueSeed?: number;
}

export class WriteLedger implements AsyncDisposable {
  readonly writes: WriteRecord[] = [];
  readonly prefix: string;
  readonly #agent = new Agent({ keepAliveTimeout: 2_000, connections: 8 });
  readonly #opts: Required<LedgerOptions>;
  readonly #target: TargetProfile;
  #seq = 0;
  #rate: number;
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(opts: LedgerOptions) {
    setWorkloadOf(opts.target, 'the set ledger');
    this.#opts = { rate: 20, concurrency: 2, timeoutMs: 2_000, valueSeed: 0, ...opts };
    this.#rate = this.#opts.rate;
    this.#target = opts.target;
    this.prefix = `ledger-${opts.runId}-`;
  }

  /** Changes the write rate of a running ledger (the drill writes faster once the service is restored). */
  setRate(rate: number): void {
    this.#rate = rate;
  }

  /** One write, recorded. */
  async write(): Promise<WriteRecord> {
    const seq = ++this.#seq;
    const w = setWorkloadOf(this.#target, 'the set ledger');
    const req = writeRequest(w, this.prefix, seq, `ledger ${seq}`, this.#opts.valueSeed);
    const sent = sentValues(req);
    const email = req.key;
    const t = Date.now();
    const t0 = performance.now();
    let rec: WriteRecord;
    try {
      const res = await request(this.#opts.baseUrl + req.path, {
        method: req.method,
        dispatcher: this.#agent,
        headers: req.body === undefined ? {} : { 'content-type': 'application/json' },
        body: req.body,
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      const text = await res.body.text();
      const engine = headerOf(res.headers, this.#target.identity.engineHeader);
      const pod = headerOf(res.headers, this.#target.identity.podHeader);
      // An answer the profile does not count as an acknowledgement refused the write; a gateway
      // timeout could still have reached the app: unknown.
      const outcome = writeOutcome(res.statusCode, w.write.ack);
      rec = { email, seq, t, latencyMs: performance.now() - t0, outcome, status: res.statusCode, engine, pod, ...(outcome === 'ok' ? { id: writeId(w, text) } : {}), ...sent };
    } catch {
      rec = { email, seq, t, latencyMs: performance.now() - t0, outcome: 'unknown', status: 0, ...sent };
    }
    this.writes.push(rec);
    return rec;
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#workers = startPaced({ concurrency: this.#opts.concurrency, rate: () => this.#rate, running: () => this.#running, op: () => this.write() });
    return this;
  }

  async stop(): Promise<WriteRecord[]> {
    this.#running = false;
    await Promise.all(this.#workers);
    this.#workers = [];
    return this.writes;
  }

  /** Reads back every key with this ledger's prefix (or another of the run's) through the app's own API, page by page. */
  async readBack(prefix = this.prefix): Promise<string[]> {
    return (await this.readBackRows(prefix)).keys;
  }

  /** The same read-back, with each item's fields the profile compares through the app (`fields.*.api`), as hex of the bytes answered. */
  async readBackRows(prefix = this.prefix): Promise<Pick<LandedRead, 'keys' | 'values'>> {
    const w = setWorkloadOf(this.#target, 'the set ledger');
    const api = w.readBack.api;
    const shown = Object.entries(w.fields).filter((e): e is [string, typeof e[1] & { api: string }] => e[1].api !== undefined);
    const keys: string[] = [];
    const values: Record<string, string | null>[] = [];
    let cursor = api.firstCursor;
    for (;;) {
      const res = await request(this.#opts.baseUrl + readBackPath(this.#target, prefix, cursor), { dispatcher: this.#agent, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const body = (await res.body.json().catch(() => undefined)) as unknown;
      const items = at(body, api.items);
      if (res.statusCode !== 200 || !Array.isArray(items)) throw new Error(`read-back failed: HTTP ${res.statusCode}`);
      for (const item of items) {
        keys.push(String(at(item, api.key)));
        if (shown.length) values.push(Object.fromEntries(shown.map(([name, f]) => [name, apiValueHex(at(item, f.api))])));
      }
      const next = at(body, api.next);
      if (next === null || next === undefined) return shown.length ? { keys, values } : { keys };
      cursor = String(next);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await this.#agent.close();
  }
}

const CAP = 50;

/** The set-checker rule over what was written and what is read back. */
export function checkLedger(writes: readonly WriteRecord[], found: readonly string[]): LedgerCheck {
  const counts = new Map<string, number>();
  for (const e of found) counts.set(e, (counts.get(e) ?? 0) + 1);
  const byEmail = new Map(writes.map((w) => [w.email, w]));
  const lost: string[] = [];
  let recovered = 0;
  for (const w of writes) {
    const present = counts.has(w.email);
    if (w.outcome === 'ok' && !present) lost.push(w.email);
    if (w.outcome === 'unknown' && present) recovered++;
  }
  const unexpected = [...counts.keys()].filter((e) => {
    const w = byEmail.get(e);
    return !w || w.outcome === 'fail';
  });
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([e]) => e);
  return {
    attempted: writes.length,
    ok: writes.filter((w) => w.outcome === 'ok').length,
    fail: writes.filter((w) => w.outcome === 'fail').length,
    unknown: writes.filter((w) => w.outcome === 'unknown').length,
    lost: lost.length,
    recovered,
    unexpected: unexpected.length,
    duplicated: duplicated.length,
    lostEmails: lost.slice(0, CAP),
    unexpectedEmails: unexpected.slice(0, CAP),
    duplicatedEmails: duplicated.slice(0, CAP),
  };
}
