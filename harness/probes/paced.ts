// The ledgers' pacing: `concurrency` workers, staggered across one gap, each running `op` then
// sleeping out the rest of its share, so `rate()` operations per second overall. The rate is read
// every round, so a ledger's setRate takes effect at once. `op` gets its worker's index (0-based),
// so a ledger can give each worker keys of its own.
import { setTimeout as sleep } from 'node:timers/promises';

export function startPaced(o: { concurrency: number; rate: () => number; running: () => boolean; op: (worker: number) => Promise<unknown> }): Promise<void>[] {
  const gap = () => (1000 / o.rate()) * o.concurrency;
  return Array.from({ length: o.concurrency }, async (_, i) => {
    await sleep((gap() / o.concurrency) * i);
    while (o.running()) {
      const t0 = Date.now();
      await o.op(i);
      await sleep(Math.max(0, gap() - (Date.now() - t0)));
    }
  });
}
