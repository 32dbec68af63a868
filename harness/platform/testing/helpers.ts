// Helpers the platform tests share: wait until a value shows (through the one waitFor), and expect a
// promise to reject with a given error class and a one-line message.
import { expect } from 'vitest';
import { done, notYet, waitFor } from '../wait.ts';

/** Polls `fn` every 50 ms until it returns something other than undefined. */
export function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return waitFor(
    async () => {
      const v = await fn();
      return v === undefined ? notYet('not yet') : done(v);
    },
    { describe: what, timeoutMs, intervalMs: 50 },
  );
}

/** The promise rejects with `type`, and its message is one line (what a user would see). */
export async function rejectsWith<T extends Error>(p: Promise<unknown>, type: abstract new (...a: any[]) => T): Promise<T> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  expect((err as Error).message).not.toContain('\n');
  return err as T;
}
