import { setTimeout as delay } from 'node:timers/promises';
/** Waits ms; an abort rejects with the signal's reason. The listener goes with the timer (long polls add none). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal?.aborted && signal.reason instanceof Error ? signal.reason : err;
  });
