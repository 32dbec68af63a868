// Main-thread side of the pipelined copy of one table (see load-worker.ts): PostgreSQL's converted
// COPY output is hashed and counted here as it streams, and forwarded in batches to the worker.
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { streamPostgres, type TableSum } from './checksum.ts';
import type { LoadInit, LoadReply } from './load-worker.ts';
import type { ResolvedTable } from './resolve.ts';

const MAX_IN_FLIGHT = 4;
const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './load-worker.ts' : './load-worker.js', import.meta.url);

function startWorker(workerData: LoadInit): Worker {
  // From this checkout (tsx) the worker registers tsx itself; the image runs compiled .js.
  return workerUrl.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData })
    : new Worker(workerUrl, { workerData });
}

export interface LoadResult {
  /** What PostgreSQL sent: rows and the checksum of the converted values. */
  source: TableSum;
  /** Rows the worker inserted. */
  written: number;
}

export async function loadTable(client: pg.ClientBase, file: string, t: ResolvedTable, batchRows: number, progress: (rows: number) => void): Promise<LoadResult> {
  const worker = startWorker({ file, table: t.name, columns: t.columns.map((c) => c.sqlite), binds: t.columns.map((c) => c.bind) });
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let finished!: (rows: number) => void;
  const done = new Promise<number>((resolve) => (finished = resolve));
  const stop = (err: Error) => {
    failure ??= err;
    wake?.();
    finished(0);
  };
  worker.on('message', (m: LoadReply) => {
    if ('ack' in m) {
      inFlight--;
      wake?.();
    } else if ('done' in m) finished(m.rows);
    else stop(new Error(`writing ${t.name} into SQLite: ${m.error}`));
  });
  worker.on('error', (err) => stop(new Error(`writing ${t.name} into SQLite: ${err.message}`)));
  worker.on('exit', (code) => stop(new Error(`SQLite writer for ${t.name} exited (${code})`)));
  try {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let pendingRows = 0;
    let sent = 0;
    let reported = 0;
    const send = async () => {
      while (inFlight >= MAX_IN_FLIGHT && !failure) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
      // One fresh buffer per batch, transferred (not copied) to the worker.
      const out = new Uint8Array(pendingBytes);
      let at = 0;
      for (const c of pending) (out.set(c, at), (at += c.length));
      inFlight++;
      worker.postMessage({ chunk: out }, [out.buffer]);
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
    worker.postMessage({ end: true });
    const written = await done;
    if (failure) throw failure;
    return { source, written };
  } finally {
    await worker.terminate();
  }
}
