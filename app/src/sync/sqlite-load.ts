// Main-thread side of the pipelined PostgreSQL → SQLite copy (see sqlite-load-worker.ts).
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { TableDef } from '../db/schema.ts';
import type { LoadInit, LoadReply } from './sqlite-load-worker.ts';
import { postgresLines } from './table-io.ts';

const BATCH_LINES = 5_000;
const MAX_IN_FLIGHT = 4;
const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './sqlite-load-worker.ts' : './sqlite-load-worker.js', import.meta.url);

export async function loadTableIntoSqlite(
  client: pg.PoolClient | pg.Client,
  file: string,
  t: TableDef,
  mode: 'mirror' | 'upsert',
  progress: (n: number) => void,
): Promise<{ rows: number; maxId?: number }> {
  const workerData = { file, table: t.name, mode } satisfies LoadInit;
  // Under tsx (this checkout) the worker registers tsx itself; the image runs compiled .js.
  const worker = workerUrl.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData })
    : new Worker(workerUrl, { workerData });
  let inFlight = 0;
  let sent = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let finished: ((r: { rows: number; maxId?: number }) => void) | undefined;
  const done = new Promise<{ rows: number; maxId?: number }>((resolve) => (finished = resolve));
  worker.on('message', (m: LoadReply) => {
    if ('ack' in m) {
      inFlight--;
      wake?.();
    } else if ('done' in m) finished!({ rows: m.rows, maxId: m.maxId });
    else {
      failure = new Error(`writing ${t.name} into SQLite: ${m.error}`);
      wake?.();
      finished!({ rows: 0 });
    }
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
    finished!({ rows: 0 });
  });
  try {
    let batch: string[] = [];
    const send = async () => {
      while (inFlight >= MAX_IN_FLIGHT && !failure) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
      inFlight++;
      sent += batch.length;
      worker.postMessage({ lines: batch });
      batch = [];
      if (sent % 20_000 < BATCH_LINES) progress(sent);
    };
    for await (const line of postgresLines(client, t)) {
      batch.push(line);
      if (batch.length === BATCH_LINES) await send();
    }
    if (batch.length) await send();
    worker.postMessage({ end: true });
    const r = await done;
    if (failure) throw failure;
    return r;
  } finally {
    await worker.terminate();
  }
}
