// The unanswered-writes line of the register summary: why each had no answer, when against the
// restore, and which keys they leave unpinnable.
import { describe, expect, it } from 'vitest';
import type { RegisterWriteRecord } from '../model/measurements.ts';
import { unknownWritesLine } from './register-outcome.ts';

const w = (key: string, startedAt: number, outcome: RegisterWriteRecord['outcome'], extra: Partial<RegisterWriteRecord> = {}): RegisterWriteRecord => ({ key, value: `${key}-${startedAt}`, seq: startedAt, startedAt, endedAt: startedAt + 5, outcome, status: outcome === 'ok' ? 204 : 0, latencyMs: 5, ...extra });

describe('unknownWritesLine', () => {
  it('none when every write was answered', () => {
    expect(unknownWritesLine([w('a', 1, 'ok'), w('b', 2, 'fail', { status: 500 })], 0)).toBe('none');
  });

  it('counts by cause (the client error code, else the status), times from the restore, keys sorted', () => {
    const writes = [
      w('theme', 1_000, 'unknown', { error: 'UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error' }),
      w('locale', 12_100, 'unknown'),
      w('theme', 9_000, 'unknown', { error: 'UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error' }),
      w('beta', 10_000, 'unknown', { status: 504 }),
      w('motd', 11_000, 'ok'),
    ];
    expect(unknownWritesLine(writes, 10_000)).toBe('4: 2 × UND_ERR_HEADERS_TIMEOUT, 1 × HTTP 0, 1 × HTTP 504; started -9.0 s..+2.1 s from the restore; keys beta, locale, theme');
  });
});
