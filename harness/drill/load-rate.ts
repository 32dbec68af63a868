// The fixed arrival rate of the load after the fault: an explicit --load-rate, else the target
// profile's expected peak rate, else the baseline's measured throughput × --load-rate-share. The
// restored service then meets the same traffic whatever its speed, instead of a closed loop that
// slows down with it. Undefined when there is nothing to take a rate from (no baseline phase ran):
// that phase is then closed loop, and says so.
import type { DrillConfig } from '../model/drill-config.ts';
import type { LoadSummary } from '../model/measurements.ts';
import type { TargetProfile } from '../model/target-profile.ts';

export function fixedLoadRate(c: Pick<DrillConfig, 'loadRate' | 'loadRateShare'>, target: Pick<TargetProfile, 'expectedPeakRate'>, baseline: LoadSummary | undefined): { target: number; source: string } | undefined {
  if (c.loadRate !== undefined) return { target: c.loadRate, source: '--load-rate' };
  if (target.expectedPeakRate !== undefined) return { target: target.expectedPeakRate, source: "the target profile's expectedPeakRate" };
  if (!baseline || baseline.rps <= 0) return undefined;
  const rate = Math.max(1, Math.round(baseline.rps * c.loadRateShare));
  return { target: rate, source: `the baseline's ${baseline.rps} req/s × ${c.loadRateShare} (--load-rate-share)` };
}
