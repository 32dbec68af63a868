import { describe, expect, it } from 'vitest';
import { fmtMeasured } from './display.ts';

describe('fmtMeasured', () => {
  it('durations in ms read as time; a sentence keeps its own units; null is not measured', () => {
    expect(fmtMeasured(2_600, 'ms')).toBe('2.6 s');
    expect(fmtMeasured('never (watched 95.5 s after the trigger)', 'ms')).toBe('never (watched 95.5 s after the trigger)');
    expect(fmtMeasured(537, 'writes')).toBe('537 writes');
    expect(fmtMeasured('7/7', 'checks')).toBe('7/7 checks');
    expect(fmtMeasured(null, 'ms')).toBe('not measured');
  });
});
