// One way to wait for something: poll a condition until it holds, its deadline passes or the caller
// aborts (the shape of e2e-framework's `wait.For(condition, wait.WithTimeout, wait.WithInterval)`).
// A condition says what it saw each time, so a timeout names what was awaited, for how long, and the
// last state observed — never just "timed out".
import { setTimeout as delay } from 'node:timers/promises';

/** One look at the world: done with a value, or not yet with what was seen instead. */
export type Check<T, S = string> = { done: true; value: T } | { done: false; state: S };

/** Looks once; may throw (the wait ends with that error: a broken look is not "not yet"). */
export type Condition<T, S = string> = (signal: AbortSignal | undefined) => Check<T, S> | Promise<Check<T, S>>;

export const done = <T>(value: T): { done: true; value: T } => ({ done: true, value });
export const notYet = <S>(state: S): { done: false; state: S } => ({ done: false, state });

export interface WaitForOptions<S> {
  /** What is awaited, as a phrase: "deployment hyperpage/app ready with 3 replicas". */
  describe: string;
  timeoutMs: number;
  /**
   * Pause between looks (the last pause is cut short at the deadline, which gets a final look); a
   * function of the looks so far gives a back-off.
   */
  intervalMs?: number | ((checks: number) => number);
  signal?: AbortSignal;
  /**
   * Event-driven wake-ups: called once with a `wake` callback, returns an unsubscribe. A wake during a
   * pause ends it; one during a look makes the next look follow at once (so no change is missed).
   */
  wakeOn?: (wake: () => void) => () => void;
  /** How the last state reads in the timeout message; default: strings as they are, others as JSON. */
  formatState?: (state: S) => string;
}

export interface WaitTimeoutDetails {
  describe?: string;
  timeoutMs?: number;
  elapsedMs?: number;
  checks?: number;
}

/** A wait that ran out of time; `lastState` is what the condition saw last (a timeout always follows a look). */
export class WaitTimeoutError<S = unknown> extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    message: string,
    readonly lastState?: S,
    readonly details: WaitTimeoutDetails = {},
  ) {
    super(message);
  }

  /** The name deployment waits have always used for their last DeploymentStatus. */
  get lastStatus(): S | undefined {
    return this.lastState;
  }
}

/** The caller's signal fired without an Error as its reason. */
export class WaitAbortedError extends Error {
  override readonly name = 'WaitAbortedError';
}

export type PollResult<T, S> =
  | { done: true; value: T; elapsedMs: number; checks: number }
  | { done: false; state: S; elapsedMs: number; checks: number };

const DEFAULT_INTERVAL_MS = 250;

/** Polls until done or the deadline; a timeout is a result (for waits whose timeout is an answer). Throws on abort. */
export async function poll<T, S>(condition: Condition<T, S>, opts: WaitForOptions<S>): Promise<PollResult<T, S>> {
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutMs;
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const wake = new Wake(opts.wakeOn);
  let checks = 0;
  try {
    for (;;) {
      throwIfAborted(opts);
      wake.pending = false;
      const c = await condition(opts.signal);
      checks++;
      if (c.done) return { done: true, value: c.value, elapsedMs: Date.now() - t0, checks };
      const left = deadline - Date.now();
      if (left <= 0) return { done: false, state: c.state, elapsedMs: Date.now() - t0, checks };
      await pause(Math.min(typeof interval === 'number' ? interval : interval(checks), left), opts, wake);
    }
  } finally {
    wake.off();
  }
}

/** The wake-ups of one poll: a flag for a wake during a look, a cut for one during a pause. */
class Wake {
  pending = false;
  cut: AbortController | undefined;
  readonly off: () => void;
  constructor(wakeOn: WaitForOptions<unknown>['wakeOn']) {
    this.off =
      wakeOn?.(() => {
        this.pending = true;
        this.cut?.abort();
      }) ?? (() => undefined);
  }
}

/** Polls until done and returns the value; throws WaitTimeoutError carrying the last observed state. */
export async function waitFor<T, S>(condition: Condition<T, S>, opts: WaitForOptions<S>): Promise<T> {
  const r = await poll(condition, opts);
  if (r.done) return r.value;
  throw new WaitTimeoutError(timeoutMessage(opts, r), r.state, { describe: opts.describe, timeoutMs: opts.timeoutMs, elapsedMs: r.elapsedMs, checks: r.checks });
}

/** "timed out after 2 s waiting for X (8 checks); last seen: Y". */
export function timeoutMessage<S>(opts: Pick<WaitForOptions<S>, 'describe' | 'timeoutMs' | 'formatState'>, r: { state: S; checks: number }): string {
  const seen = (opts.formatState ?? defaultFormat)(r.state);
  return `timed out after ${formatMs(opts.timeoutMs)} waiting for ${opts.describe} (${r.checks} check${r.checks === 1 ? '' : 's'}); last seen: ${seen}`;
}

export function formatMs(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${Number((ms / 1_000).toFixed(1))} s`;
}

function defaultFormat(state: unknown): string {
  return typeof state === 'string' ? state : state === undefined ? 'nothing' : JSON.stringify(state);
}

function throwIfAborted(opts: Pick<WaitForOptions<unknown>, 'describe' | 'signal'>): void {
  const s = opts.signal;
  if (s?.aborted) throw abortError(opts.describe, s);
}

// The signal's own reason when it is an Error (a step's budget, an interrupt), so the caller sees why.
function abortError(describe: string, signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new WaitAbortedError(`waiting for ${describe}: aborted`);
}

async function pause(ms: number, opts: Pick<WaitForOptions<unknown>, 'describe' | 'signal' | 'wakeOn'>, wake?: Wake): Promise<void> {
  if (wake?.pending) return;
  let signal = opts.signal;
  if (wake && opts.wakeOn) {
    wake.cut = new AbortController();
    signal = signal ? AbortSignal.any([signal, wake.cut.signal]) : wake.cut.signal;
  }
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    if (opts.signal?.aborted) throw abortError(opts.describe, opts.signal);
    if (!wake?.cut?.signal.aborted) throw err;
  } finally {
    if (wake) wake.cut = undefined;
  }
}
