// Write ledger: a steady stream of POST /api/users, each write recorded as ok (acknowledged),
// fail (definitely not applied: an HTTP error answer) or unknown (no answer: it may or may not
// have been applied). After recovery everything is read back and checked with the set rule:
// every ok write present (else lost), unknown writes may be present (recovered), nothing present
// that was never attempted (unexpected), nothing present twice (duplicated).
import { Agent, request } from 'undici';

export type WriteOutcome = 'ok' | 'fail' | 'unknown';

export interface WriteRecord {
  email: string;
  seq: number;
  t: number;
  latencyMs: number;
  outcome: WriteOutcome;
  status: number;
  engine?: string;
  /** The pod that answered, as the app names it (x-pod-name), for per-pod coverage. */
  pod?: string;
  id?: number;
}

/** 201 acknowledged; a gateway timeout may still have reached the app (unknown); any other answer refused it. */
export function writeOutcome(status: number): WriteOutcome {
  return status === 201 ? 'ok' : status === 504 || status === 0 ? 'unknown' : 'fail';
}

export interface LedgerOptions {
  baseUrl: string;
  runId: string;
  /** Writes per second (spread evenly). */
  rate?: number;
  concurrency?: number;
  timeoutMs?: number;
}

export class WriteLedger implements AsyncDisposable {
  readonly writes: WriteRecord[] = [];
  readonly prefix: string;
  readonly #agent = new Agent({ keepAliveTimeout: 2_000, connections: 8 });
  readonly #opts: Required<LedgerOptions>;
  #seq = 0;
  #rate: number;
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(opts: LedgerOptions) {
    this.#opts = { rate: 20, concurrency: 2, timeoutMs: 2_000, ...opts };
    this.#rate = this.#opts.rate;
    this.prefix = `ledger-${opts.runId}-`;
  }

  /** Changes the write rate of a running ledger (the drill writes faster once the service is restored). */
  setRate(rate: number): void {
    this.#rate = rate;
  }

  /** One write, recorded. */
  async write(): Promise<WriteRecord> {
    const seq = ++this.#seq;
    const email = `${this.prefix}${seq}@drill.local`;
    const t = Date.now();
    const t0 = performance.now();
    let rec: WriteRecord;
    try {
      const res = await request(this.#opts.baseUrl + '/api/users', {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: `ledger ${seq}` }),
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      const text = await res.body.text();
      const engine = res.headers['x-db-engine'] as string | undefined;
      const pod = res.headers['x-pod-name'] as string | undefined;
      if (res.statusCode === 201) {
        let id: number | undefined;
        try {
          id = (JSON.parse(text) as { id?: number }).id;
        } catch {
          /* an acknowledged write without a readable body is still acknowledged */
        }
        rec = { email, seq, t, latencyMs: performance.now() - t0, outcome: 'ok', status: 201, engine, pod, id };
      } else {
        // An answer that is not 201 from the app or the service proxy: the write was refused. A
        // gateway timeout could still have reached the app: count it as unknown.
        rec = { email, seq, t, latencyMs: performance.now() - t0, outcome: writeOutcome(res.statusCode), status: res.statusCode, engine, pod };
      }
    } catch {
      rec = { email, seq, t, latencyMs: performance.now() - t0, outcome: 'unknown', status: 0 };
    }
    this.writes.push(rec);
    return rec;
  }

  start(): this {
    if (this.#running) return this;
    this.#running = true;
    const gap = () => (1000 / this.#rate) * this.#opts.concurrency;
    for (let w = 0; w < this.#opts.concurrency; w++) {
      this.#workers.push(
        (async () => {
          await sleep((gap() / this.#opts.concurrency) * w);
          while (this.#running) {
            const t0 = Date.now();
            await this.write();
            await sleep(Math.max(0, gap() - (Date.now() - t0)));
          }
        })(),
      );
    }
    return this;
  }

  async stop(): Promise<WriteRecord[]> {
    this.#running = false;
    await Promise.all(this.#workers);
    this.#workers = [];
    return this.writes;
  }

  /** Reads back every user with this ledger's prefix (or another of the run's) (paged) through the service. */
  async readBack(prefix = this.prefix): Promise<string[]> {
    const emails: string[] = [];
    let afterId = 0;
    for (;;) {
      const res = await request(`${this.#opts.baseUrl}/api/users?prefix=${encodeURIComponent(prefix)}&afterId=${afterId}&limit=5000`, {
        dispatcher: this.#agent,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      const body = (await res.body.json()) as { users?: { id: number; email: string }[]; nextAfterId?: number | null };
      if (res.statusCode !== 200 || !body.users) throw new Error(`read-back failed: HTTP ${res.statusCode}`);
      for (const u of body.users) emails.push(u.email);
      if (body.nextAfterId == null) return emails;
      afterId = body.nextAfterId;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await this.#agent.close();
  }
}

export interface LedgerCheck {
  attempted: number;
  ok: number;
  fail: number;
  unknown: number;
  /** Acknowledged writes not found. */
  lost: number;
  /** Unknown writes found. */
  recovered: number;
  /** Found, never attempted (or attempted and refused). */
  unexpected: number;
  /** Found more than once. */
  duplicated: number;
  lostEmails: string[];
  unexpectedEmails: string[];
  duplicatedEmails: string[];
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
