import { describe, expect, it } from 'vitest';
import { type JournalEvent } from '../model/journal-events.ts';
import { parseEvent } from '../journal/parse-event.ts';
import { drillExitCode, mismatches, setupFailures } from './exit-code.ts';

type Expect = { expected?: 'pass' | 'fail'; matches?: boolean };
const verdict = (passed: boolean, x: Expect = {}): JournalEvent => ({
  t: 1,
  scenario: 'database-corruption',
  variant: x.expected === 'fail' ? 'seed' : 'hardened',
  type: 'verdict',
  id: 'data-integrity',
  title: 'Data integrity',
  passed,
  measured: passed ? 0 : 537,
  budget: 0,
  evidence: '',
  ...x,
  ...(x.expected === 'fail' ? { expectedBecause: 'runbook-no-data-flow' } : {}),
});
const check = (passed: boolean, expected: 'pass' | 'fail'): JournalEvent => ({
  t: 1,
  type: 'check',
  id: 'checklist:1',
  title: '1. Application health',
  passed,
  measured: passed ? 'ok' : 'failed: HTTP 000',
  expected,
  matches: passed === (expected === 'pass'),
});
const expectedFailure = verdict(false, { expected: 'fail', matches: true });
const unexpectedPass = verdict(true, { expected: 'fail', matches: false });
const hardenedFailure = verdict(false, { expected: 'pass', matches: false });
// A verdict line whose `passed` is text: readJournal keeps it as unknown.
const unreadable = parseEvent({ t: 1, type: 'verdict', id: 'performance', title: 'p99', passed: 'yes', measured: 12, budget: 500, evidence: '' }, 7);
const setup: JournalEvent = { t: 1, type: 'log', level: 'error', cause: 'setup', message: 'the kind platform could not be set up: docker daemon gone' };
const otherError: JournalEvent = { t: 1, type: 'log', level: 'error', message: 'ledger read-back failed' };

describe('drillExitCode', () => {
  it.each([
    ['all met', { failedTests: 0, unhandledErrors: 0, events: [verdict(true)] }, 0],
    ['every verdict matches: seed fails as declared, hardened passes', { failedTests: 0, unhandledErrors: 0, events: [expectedFailure, verdict(true, { expected: 'pass', matches: true }), check(false, 'fail')] }, 0],
    ['an expected failure passed (the runbook was fixed: strict)', { failedTests: 1, unhandledErrors: 0, events: [unexpectedPass] }, 1],
    ['a failure nobody expected (hardened)', { failedTests: 1, unhandledErrors: 0, events: [expectedFailure, hardenedFailure] }, 1],
    ['a checklist item expected to fail passed', { failedTests: 1, unhandledErrors: 0, events: [expectedFailure, check(true, 'fail')] }, 1],
    ['a hardened checklist item failed', { failedTests: 1, unhandledErrors: 0, events: [check(false, 'pass')] }, 1],
    ['a criterion failed (journal without expectations)', { failedTests: 1, unhandledErrors: 0, events: [verdict(false)] }, 1],
    ['a checklist test failed, every criterion met', { failedTests: 1, unhandledErrors: 0, events: [verdict(true), otherError] }, 1],
    ['the platform could not be set up (its tests fail with it)', { failedTests: 8, unhandledErrors: 0, events: [setup] }, 3],
    ['expected failures elsewhere, one scenario could not be set up', { failedTests: 8, unhandledErrors: 0, events: [expectedFailure, setup] }, 3],
    ['one scenario failed a criterion, another could not be set up', { failedTests: 9, unhandledErrors: 0, events: [hardenedFailure, setup] }, 1],
    ['an unhandled error, no test failed', { failedTests: 0, unhandledErrors: 1, events: [] }, 3],
    ['a verdict the journal cannot read, every test passed', { failedTests: 0, unhandledErrors: 0, events: [verdict(true), unreadable] }, 1],
    ['SIGINT', { interrupted: 'SIGINT' as const, failedTests: 3, unhandledErrors: 0, events: [setup] }, 130],
    ['SIGTERM', { interrupted: 'SIGTERM' as const, failedTests: 0, unhandledErrors: 0, events: [unexpectedPass] }, 143],
  ])('%s → %i', (_, tally, code) => {
    expect(drillExitCode(tally)).toBe(code);
  });

  it('names each mismatch, and what could not be set up, from the journal', () => {
    expect(mismatches([expectedFailure, unexpectedPass, hardenedFailure, check(true, 'fail')])).toEqual([
      'data-integrity (database-corruption/seed): passed, expected to fail',
      'data-integrity (database-corruption/hardened): failed',
      'checklist:1: passed, expected to fail',
    ]);
    expect(mismatches([unreadable])).toEqual([expect.stringMatching(/^unreadable verdict at journal line 7: verdict: passed: /)]);
    expect(setupFailures([verdict(true), otherError, setup])).toEqual(['the kind platform could not be set up: docker daemon gone']);
  });
});
