// waitFor: looks until done, a timeout carries what was seen last, an abort stops it at once.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WaitAbortedError, WaitTimeoutError, done, notYet, poll, waitFor } from './wait.ts';

describe('waitFor', () => {
  it('returns the value as soon as the condition holds, looking every intervalMs', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    const v = await waitFor(
      () => {
        at.push(Date.now() - t0);
        return at.length === 3 ? done('ready') : notYet(`look ${at.length}`);
      },
      { describe: 'three looks', timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(v).toBe('ready');
    expect(at[0]).toBeLessThan(40); // the first look is immediate
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(45);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(45);
  });

  it('a timeout names what was awaited, how long, and carries the last observed state', async () => {
    let n = 0;
    const t0 = Date.now();
    const err = await waitFor(() => notYet({ ready: 0, seen: ++n }), {
      describe: 'deployment x ready with 3 replicas',
      timeoutMs: 200,
      intervalMs: 50,
      formatState: (s) => `ready ${s.ready}/3 (look ${s.seen})`,
    }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    const e = err as WaitTimeoutError<{ ready: number; seen: number }>;
    expect(e.lastState).toEqual({ ready: 0, seen: n });
    expect(e.lastStatus).toEqual(e.lastState);
    expect(e.details).toMatchObject({ describe: 'deployment x ready with 3 replicas', timeoutMs: 200, checks: n });
    expect(e.message).toBe(`timed out after 200 ms waiting for deployment x ready with 3 replicas (${n} checks); last seen: ready 0/3 (look ${n})`);
    expect(n).toBeGreaterThanOrEqual(4); // t=0, 50, 100, 150, and a final look at the deadline
  });

  it('the deadline gets a final look: a condition that holds just then is done', async () => {
    const t0 = Date.now();
    const v = await waitFor(() => (Date.now() - t0 >= 120 ? done(true) : notYet('early')), { describe: 'late', timeoutMs: 120, intervalMs: 1_000 });
    expect(v).toBe(true);
  });

  it('states other than strings read as JSON; a timeout of 0 still looks once', async () => {
    const e = (await waitFor(() => notYet({ pods: ['a'] }), { describe: 'no pods', timeoutMs: 0 }).catch((x: unknown) => x)) as WaitTimeoutError;
    expect(e.message).toBe('timed out after 0 ms waiting for no pods (1 check); last seen: {"pods":["a"]}');
  });

  it('an abort stops the wait during a pause, with the signal reason when it is an Error', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('step budget exceeded')), 50);
    const t0 = Date.now();
    await expect(waitFor(() => notYet('no'), { describe: 'never', timeoutMs: 10_000, intervalMs: 5_000, signal: ac.signal })).rejects.toThrow('step budget exceeded');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('an abort without an Error reason is a WaitAbortedError naming the wait; an aborted signal never looks', async () => {
    const ac = new AbortController();
    ac.abort('bye');
    let looks = 0;
    const err = await waitFor(() => notYet(String(++looks)), { describe: 'the thing', timeoutMs: 1_000, signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitAbortedError);
    expect((err as Error).message).toBe('waiting for the thing: aborted');
    expect(looks).toBe(0);
  });

  it('a condition that throws ends the wait with its error', async () => {
    await expect(waitFor(async () => Promise.reject(new Error('API down')), { describe: 'x', timeoutMs: 1_000 })).rejects.toThrow('API down');
  });
});

describe('poll', () => {
  it('a timeout is a result with the last state, for waits whose timeout is an answer', async () => {
    const r = await poll(() => notYet('still pending'), { describe: 'x', timeoutMs: 60, intervalMs: 20 });
    expect(r.done).toBe(false);
    expect(r).toMatchObject({ done: false, state: 'still pending' });
    expect(r.checks).toBeGreaterThanOrEqual(3);
  });
});

describe('waitFor wake-ups and back-off', () => {
  it('a wake ends a pause at once, and one during a look makes the next look follow without a pause', async () => {
    const changes = new EventEmitter();
    let value: string | undefined;
    const t0 = Date.now();
    setTimeout(() => {
      value = 'changed';
      changes.emit('change');
    }, 50);
    const v = await waitFor(() => (value ? done(value) : notYet('unchanged')), {
      describe: 'a change',
      timeoutMs: 5_000,
      intervalMs: 2_000,
      wakeOn: (wake) => {
        changes.on('change', wake);
        return () => changes.off('change', wake);
      },
    });
    expect(v).toBe('changed');
    expect(Date.now() - t0).toBeLessThan(1_000); // not the 2 s interval
    expect(changes.listenerCount('change')).toBe(0); // unsubscribed

    let looks = 0;
    const wakes: (() => void)[] = [];
    const t1 = Date.now();
    await waitFor(
      () => {
        looks++;
        if (looks === 1) wakes[0]!(); // a change while looking
        return looks === 2 ? done(true) : notYet('first look');
      },
      { describe: 'x', timeoutMs: 5_000, intervalMs: 2_000, wakeOn: (w) => (wakes.push(w), () => undefined) },
    );
    expect(Date.now() - t1).toBeLessThan(1_000);
  });

  it('intervalMs as a function of the looks so far is a back-off', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    await waitFor(() => (at.push(Date.now() - t0), at.length === 3 ? done(1) : notYet('x')), {
      describe: 'x',
      timeoutMs: 5_000,
      intervalMs: (checks) => 40 * 2 ** (checks - 1),
    });
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(35);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(75);
  });
});
