// The drill's exit code, from what vitest counted and what the journal recorded: 0 every verdict
// matches its expectation (the seed runbook's declared defects fail as expected, everything else
// passes), 1 a verdict or check does not (a failure nobody expected, or an expected failure that
// passed: the runbook was fixed), 3 the platform or baseline could not be set up (nothing measured
// to judge), 130/143 interrupted. A mismatch outranks a set-up failure: it is news about the
// rollback, the other is news about the machine.
import type { JournalEvent } from '../model/journal-events.ts';

export interface DrillTally {
  interrupted?: NodeJS.Signals;
  failedTests: number;
  unhandledErrors: number;
  events: readonly JournalEvent[];
}

export function drillExitCode(t: DrillTally): number {
  if (t.interrupted) return t.interrupted === 'SIGTERM' ? 143 : 130;
  const setupFailed = setupFailures(t.events).length > 0;
  if (mismatches(t.events).length > 0) return 1;
  if (setupFailed) return 3;
  if (t.failedTests > 0) return 1;
  return t.unhandledErrors > 0 ? 3 : 0;
}

/** Verdicts and checks whose outcome differs from the expected one (a verdict without expectation must pass). */
export function mismatches(events: readonly JournalEvent[]): string[] {
  return events.flatMap((e) => {
    // A verdict or check the journal cannot read is not a match: the gate never passes on it.
    if (e.type === 'unknown' && (e.raw['type'] === 'verdict' || e.raw['type'] === 'check')) return [`unreadable ${e.raw['type']} at journal line ${e.line}: ${e.problem}`];
    if (e.type !== 'verdict' && e.type !== 'check') return [];
    if ((e.matches ?? e.passed) === true) return [];
    const where = e.scenario ? ` (${e.scenario}/${e.variant ?? '-'})` : '';
    return [`${e.id}${where}: ${e.passed ? 'passed, expected to fail' : 'failed'}`];
  });
}

/** What could not be set up, as journalled by the scenarios ("the kind platform could not be set up: …"). */
export function setupFailures(events: readonly JournalEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'log' && e.cause === 'setup' ? [e.message] : []));
}
