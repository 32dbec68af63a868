// The run's event stream, like `kubectl get events`: one entry per (object, reason, message),
// repeats counted (a pod stuck on a missing claim reports it once with a count, not every second).
import type { PlatformEvent } from '../../model/platform.ts';

export interface LocalEvent extends PlatformEvent {
  namespace: string;
  count: number;
  lastTime: string;
}

export class EventLog {
  private readonly entries: LocalEvent[] = [];
  private readonly index = new Map<string, LocalEvent>();

  constructor(private readonly onRecord?: (e: LocalEvent) => void) {}

  record(namespace: string, type: PlatformEvent['type'], reason: string, object: string, message: string): void {
    const key = `${namespace}\0${object}\0${reason}\0${message}`;
    const now = new Date().toISOString();
    const seen = this.index.get(key);
    if (seen) {
      seen.count++;
      seen.lastTime = now;
      return;
    }
    const e: LocalEvent = { time: now, lastTime: now, type, reason, object, message, namespace, count: 1 };
    this.entries.push(e);
    this.index.set(key, e);
    this.onRecord?.(e);
  }

  list(namespace?: string): LocalEvent[] {
    return this.entries.filter((e) => namespace === undefined || e.namespace === namespace).map((e) => ({ ...e }));
  }
}
