// Main-thread side of the pipelined copy (see load-worker.ts): PostgreSQL's converted COPY output
// is hashed and counted here as it streams, and forwarded in batches to the SQLite writer.
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { streamPostgres, type TableSum } from './checksum.ts';
import type { LoadMessage, LoadReply } from './load-worker.ts';
import type { ResolvedTable } from './resolve.ts';

// Batches queued for the writer: enough for PostgreSQL to keep streaming while the writer is busy.
const MAX_IN_FLIGHT = 8;
const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './load-worker.ts' : './load-worker.js', import.meta.url);

export interface LoadResult {
  /** What PostgreSQL sent: rows and the checksum of the converted values. */
  source: TableSum;
  /** Rows the writer received. */
  written: number;
  /** Of those, the rows inserted (all of them, but in an upsert: only keys SQLite lacked). */
  inserted: number;
  /** Rebuilding the secondary indexes dropped for the load, and COMMIT. */
  indexMs: number;
  commitMs: number;
}

export interface SqliteWriter extends AsyncDisposable {
  load(client: pg.ClientBase, t: ResolvedTable, batchRows: number, progress: (rows: number) => void, upsert?: boolean): Promise<LoadResult>;
}

/** Starts the writer thread on a SQLite file (call it before the first query: it boots meanwhile). */
export function startWriter(file: string): SqliteWriter {
  // From this checkout (tsx) the worker registers tsx itself; the image runs compiled .js.
  const worker = workerUrl.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData: { file } })
    : new Worker(workerUrl, { workerData: { file } });
  let failure: Error | undefined;
  let listener: ((m: LoadReply) => void) | undefined;
  const wakeups = new Set<() => void>();
  const fail = (err: Error) => {
    failure ??= err;
    for (const w of wakeups) w();
  };
  worker.on('message', (m: LoadReply) => listener?.(m));
  worker.on('error', (err) => fail(new Error(`SQLite writer: ${err.message}`)));
  worker.on('exit', (code) => fail(new Error(`SQLite writer exited (${code})`)));
  const post = (m: LoadMessage, transfer?: ArrayBuffer[]) => worker.postMessage(m, transfer);

  return {
    async load(client, t, batchRows, progress, upsert) {
      if (failure) throw failure;
      let inFlight = 0;
      let wake: (() => void) | undefined;
      let finished!: (r: Extract<LoadReply, { done: true }>) => void;
      const done = new Promise<Extract<LoadReply, { done: true }>>((resolve) => (finished = resolve));
      const waker = () => wake?.();
      wakeups.add(waker);
      listener = (m) => {
        if ('ack' in m) {
          inFlight--;
          wake?.();
        } else if ('done' in m) finished(m);
        else if ('error' in m) fail(new Error(`writing ${t.name} into SQLite: ${m.error}`));
      };
      let rejectFailed!: () => void;
      const failed = new Promise<never>((_, reject) => wakeups.add((rejectFailed = () => reject(failure))));
      failed.catch(() => undefined);
      try {
        post({ begin: { table: t.name, columns: t.columns.map((c) => c.sqlite), binds: t.columns.map((c) => c.bind), ...(upsert ? { upsertKey: t.key.map((i) => t.columns[i]!.sqlite) } : {}) } });
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let pendingRows = 0;
        let sent = 0;
        let reported = 0;
        const send = async () => {
          while (inFlight >= MAX_IN_FLIGHT && !failure) await new Promise<void>((r) => (wake = r));
          if (failure) throw failure;
          // One fresh buffer per batch, transferred (not copied) to the writer.
          const out = new Uint8Array(pendingBytes);
          let at = 0;
          for (const c of pending) (out.set(c, at), (at += c.length));
          inFlight++;
          post({ chunk: out }, [out.buffer]);
          sent += pendingRows;
          pending = [];
          pendingBytes = pendingRows = 0;
          if (sent - reported >= 250_000) progress((reported = sent));
        };
        const source = await streamPostgres(client, t, async (chunk, lines) => {
          if (failure) throw failure;
          pending.push(chunk);
          pendingBytes += chunk.length;
          pendingRows += lines;
          if (pendingRows >= batchRows) await send();
        });
        if (pendingBytes) await send();
        post({ end: true });
        const r = await Promise.race([done, failed]);
        return { source, written: r.rows, inserted: r.inserted, indexMs: r.indexMs, commitMs: r.commitMs };
      } finally {
        wakeups.delete(waker);
        wakeups.delete(rejectFailed);
        listener = undefined;
      }
    },
    async [Symbol.asyncDispose]() {
      await worker.terminate();
    },
  };
}
