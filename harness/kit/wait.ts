// Every wait of the drill: waitFor over a condition (the platform's one poller, with its timeout and
// abort), and sleep for a fixed pause.
import { setTimeout as delay } from 'node:timers/promises';

export { done, notYet, poll, waitFor, WaitAbortedError, WaitTimeoutError, type Condition } from '../platform/wait.ts';

/** Waits ms; an abort rejects with the signal's reason. The listener goes with the timer (long polls add none). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal?.aborted && signal.reason instanceof Error ? signal.reason : err;
  });
