// Change notifications of the local platform and its lifetime: anything observable that changes
// (an object applied, a pod's readiness) is emitted here, and every wait of the platform goes
// through platform/wait.ts woken by these changes (a 100 ms poll stays as a backstop, since time
// alone can make a condition true: minReadySeconds). Teardown ends every wait and exec at once.
import { EventEmitter } from 'node:events';
import { waitFor, type Condition, type WaitForOptions } from '../wait.ts';

/** Looks between change notifications; also the resolution of time-based conditions. */
const BACKSTOP_INTERVAL_MS = 100;

export class ChangeFeed {
  private readonly emitter = new EventEmitter();
  private readonly lifetime = new AbortController();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(): void {
    this.emitter.emit('change');
  }

  /** The caller's signal joined with the platform's lifetime (teardown aborts it). */
  signal(caller?: AbortSignal): AbortSignal {
    return caller ? AbortSignal.any([caller, this.lifetime.signal]) : this.lifetime.signal;
  }

  /** Teardown: every wait and exec in flight ends with `reason`. */
  end(reason: Error): void {
    this.lifetime.abort(reason);
  }

  /** waitFor, looking again on every change. */
  waitFor<T, S>(condition: Condition<T, S>, opts: WaitForOptions<S>): Promise<T> {
    return waitFor(condition, {
      intervalMs: BACKSTOP_INTERVAL_MS,
      ...opts,
      signal: this.signal(opts.signal),
      wakeOn: (wake) => {
        this.emitter.on('change', wake);
        return () => this.emitter.off('change', wake);
      },
    });
  }
}
