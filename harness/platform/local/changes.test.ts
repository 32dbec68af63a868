// The local platform's waits: woken by a change, not by the backstop poll; ended by teardown with its reason.
import { describe, expect, it } from 'vitest';
import { done, notYet } from '../wait.ts';
import { ChangeFeed } from './changes.ts';

describe('ChangeFeed.waitFor', () => {
  it('looks again on a change at once, unsubscribes when done', async () => {
    const feed = new ChangeFeed();
    let value: string | undefined;
    const t0 = Date.now();
    const p = feed.waitFor(() => (value ? done(value) : notYet('none')), { describe: 'x', timeoutMs: 5_000, intervalMs: 3_000 });
    setTimeout(() => {
      value = 'set';
      feed.emit();
    }, 30);
    expect(await p).toBe('set');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('end() rejects every wait in flight with its reason; the caller signal still works', async () => {
    const feed = new ChangeFeed();
    const w = feed.waitFor(() => notYet('never'), { describe: 'x', timeoutMs: 5_000 }).catch((e: unknown) => e);
    feed.end(new Error('platform torn down'));
    expect(((await w) as Error).message).toBe('platform torn down');
    expect(feed.signal().aborted).toBe(true);
    const ac = new AbortController();
    ac.abort(new Error('step budget'));
    expect(new ChangeFeed().signal(ac.signal).reason).toEqual(new Error('step budget'));
  });
});
