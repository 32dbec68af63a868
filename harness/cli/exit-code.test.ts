import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../journal/events.ts';
import { drillExitCode, setupFailures } from './exit-code.ts';

const verdict = (passed: boolean): JournalEvent => ({ t: 1, type: 'verdict', id: 'data-integrity', title: 'Data integrity', passed, measured: passed ? 0 : 3, budget: 0, evidence: '' });
const setup: JournalEvent = { t: 1, type: 'log', level: 'error', cause: 'setup', message: 'the kind platform could not be set up: docker daemon gone' };
const otherError: JournalEvent = { t: 1, type: 'log', level: 'error', message: 'ledger read-back failed' };

describe('drillExitCode', () => {
  it.each([
    ['all met', { failedTests: 0, unhandledErrors: 0, events: [verdict(true)] }, 0],
    ['a criterion failed', { failedTests: 1, unhandledErrors: 0, events: [verdict(false)] }, 1],
    ['a checklist test failed, every criterion met', { failedTests: 1, unhandledErrors: 0, events: [verdict(true), otherError] }, 1],
    ['the platform could not be set up (its tests fail with it)', { failedTests: 8, unhandledErrors: 0, events: [setup] }, 3],
    ['one scenario failed a criterion, another could not be set up', { failedTests: 9, unhandledErrors: 0, events: [verdict(false), setup] }, 1],
    ['an unhandled error, no test failed', { failedTests: 0, unhandledErrors: 1, events: [] }, 3],
    ['SIGINT', { interrupted: 'SIGINT' as const, failedTests: 3, unhandledErrors: 0, events: [setup] }, 130],
    ['SIGTERM', { interrupted: 'SIGTERM' as const, failedTests: 0, unhandledErrors: 0, events: [] }, 143],
  ])('%s → %i', (_, tally, code) => {
    expect(drillExitCode(tally)).toBe(code);
  });

  it('names what could not be set up, from the journal', () => {
    expect(setupFailures([verdict(true), otherError, setup])).toEqual(['the kind platform could not be set up: docker daemon gone']);
  });
});
