// The fixed rate of the load after the fault, and where it comes from; the capacity finding's rule.
import { describe, expect, it } from 'vitest';
import { parseDrillConfig } from '../config/parse.ts';
import type { LoadSummary } from '../model/measurements.ts';
import { fixedLoadRate } from './load-rate.ts';
import { capacityDrop } from './outcome.ts';

const load = (rps: number, over: Partial<LoadSummary> = {}): LoadSummary => ({ phase: 'x', requests: rps, durationMs: 1000, rps, p50: 5, p90: 8, p95: 9, p99: 20, max: 30, errors: 0, timeouts: 0, non2xx: 0, engines: {}, connections: 10, paths: ['/'], writeRatio: 0, ...over });

describe('fixedLoadRate', () => {
  const config = parseDrillConfig({ cluster: 'local' });
  it("is half the baseline's measured throughput by default, and says so", () => {
    expect(fixedLoadRate(config, {}, load(1647))).toEqual({ target: 824, source: "the baseline's 1647 req/s × 0.5 (--load-rate-share)" });
    expect(fixedLoadRate(parseDrillConfig({ cluster: 'local', loadRateShare: 0.8 }), {}, load(1000))?.target).toBe(800);
  });
  it("takes --load-rate first, then the profile's expectedPeakRate", () => {
    expect(fixedLoadRate(parseDrillConfig({ cluster: 'local', loadRate: 250 }), { expectedPeakRate: 900 }, load(1000))).toEqual({ target: 250, source: '--load-rate' });
    expect(fixedLoadRate(config, { expectedPeakRate: 900 }, load(1000))).toEqual({ target: 900, source: "the target profile's expectedPeakRate" });
  });
  it('has no rate to give without a baseline (the phase is then closed loop)', () => {
    expect(fixedLoadRate(config, {}, undefined)).toBeUndefined();
  });
  it('a bad --load-rate-share or --load-rate is refused by the config', () => {
    expect(() => parseDrillConfig({ cluster: 'local', loadRateShare: 0 })).toThrow(/loadRateShare/);
    expect(() => parseDrillConfig({ cluster: 'local', loadRate: -5 })).toThrow(/loadRate/);
  });
});

describe('capacityDrop', () => {
  it('is a finding below half the baseline, with both numbers; none at or above it, or without both bursts', () => {
    expect(capacityDrop({ capacityBefore: load(1647), capacityAfter: load(391) })).toMatch(/391 req\/s answered 2xx after the rollback against 1647 req\/s before the fault \(24 %, under 50 %\)/);
    expect(capacityDrop({ capacityBefore: load(1000), capacityAfter: load(500) })).toBeUndefined();
    expect(capacityDrop({ capacityBefore: load(1000) })).toBeUndefined();
  });
  it('counts only 2xx answers: a restored service that fails fast has no capacity for it', () => {
    // Measured with the CPU-cost mutant: 2551.85 answers/s after, 12178 of them non-2xx.
    const after = load(2551.85, { requests: 12758, durationMs: 5000, non2xx: 12178 });
    expect(capacityDrop({ capacityBefore: load(829.6), capacityAfter: after })).toMatch(/116\.01 req\/s answered 2xx after the rollback \(12178 of 12758 answers failed, left out\) against 829\.6 req\/s before the fault \(14 %/);
    expect(capacityDrop({ capacityBefore: load(829.6), capacityAfter: load(2551.85, { requests: 12758, durationMs: 5000, errors: 100 }) })).toBeUndefined();
  });
});
