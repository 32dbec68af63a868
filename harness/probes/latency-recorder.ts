// A load phase's latencies in HDR histograms (microseconds, 3 significant digits): as measured
// from each request's actual send, and, for an open-loop phase, from its intended send time (the
// coordinated-omission-corrected figure). Percentiles are never above the largest raw latency
// (HDR reports a bucket's highest equivalent value).
import * as hdr from 'hdr-histogram-js';
import type { LatencyPercentiles } from '../model/measurements.ts';

const build = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
const round = (n: number) => Math.round(n * 100) / 100;

export class LatencyRecorder {
  private readonly raw = build();
  private corrected?: ReturnType<typeof build>;
  private maxMs = 0;
  private maxCorrectedMs = 0;
  count = 0;
  non2xx = 0;

  /** One answer: its latency from the send and, open loop, from its intended send time. */
  record(latencyMs: number, correctedMs?: number, status?: number): void {
    this.count++;
    if (status !== undefined && (status < 200 || status >= 300)) this.non2xx++;
    this.maxMs = Math.max(this.maxMs, latencyMs);
    this.raw.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    if (correctedMs !== undefined) {
      this.corrected ??= build();
      this.maxCorrectedMs = Math.max(this.maxCorrectedMs, correctedMs);
      this.corrected.recordValue(Math.max(1, Math.round(correctedMs * 1000)));
    }
  }

  /** p50…p99 and max as sent; `corrected` beside them when an intended send time was given. */
  summary(): LatencyPercentiles & { corrected?: LatencyPercentiles } {
    const of = (h: ReturnType<typeof build>, max: number): LatencyPercentiles => {
      const ms = (p: number) => round(Math.min(h.getValueAtPercentile(p) / 1000, max));
      return { p50: ms(50), p90: ms(90), p95: ms(95), p99: ms(99), max: round(max) };
    };
    return { ...of(this.raw, this.maxMs), ...(this.corrected ? { corrected: of(this.corrected, this.maxCorrectedMs) } : {}) };
  }

  destroy(): void {
    this.raw.destroy();
    this.corrected?.destroy();
  }
}
