// The drill's exit code, from what vitest counted and what the journal recorded: 0 all criteria
// met, 1 a criterion failed, 3 the platform or baseline could not be set up (nothing measured to
// fail), 130/143 interrupted. A measured failure outranks a set-up failure: it is news about the
// rollback, the other is news about the machine.
import type { JournalEvent } from '../journal/events.ts';

export interface DrillTally {
  interrupted?: NodeJS.Signals;
  failedTests: number;
  unhandledErrors: number;
  events: readonly JournalEvent[];
}

export function drillExitCode(t: DrillTally): number {
  if (t.interrupted) return t.interrupted === 'SIGTERM' ? 143 : 130;
  const criterionFailed = t.events.some((e) => e.type === 'verdict' && !e.passed);
  const setupFailed = setupFailures(t.events).length > 0;
  if (criterionFailed) return 1;
  if (setupFailed) return 3;
  if (t.failedTests > 0) return 1;
  return t.unhandledErrors > 0 ? 3 : 0;
}

/** What could not be set up, as journalled by the scenarios ("the kind platform could not be set up: …"). */
export function setupFailures(events: readonly JournalEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'log' && e.cause === 'setup' ? [e.message] : []));
}
