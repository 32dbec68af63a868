// The raw probe samples a journal references (`probe.samples` events): JSONL files next to the
// journal. Only the HTML timeline needs them, and only downsampled, so each file is streamed in
// chunks and folded into a bounded number of time bins as it is read: memory stays flat whether a
// load phase left 10 thousand or 10 million lines. A missing or torn file degrades the picture,
// never the report.
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RunReport } from './model.ts';
import { SAMPLE_SERIES } from '../model/probe-summaries.ts';

/** One availability probe sample as the probe writes it (only the fields the report reads). */
export interface AvailabilitySample {
  t: number;
  /** HTTP status; 0 for a network error or timeout. */
  status: number;
  latencyMs: number;
  engine: string | null;
  pod: string | null;
  error?: string;
}

/** What the timeline needs from the samples that fell into one stretch of time. Mergeable. */
export interface Bin {
  first: number;
  last: number;
  count: number;
  /** Samples that were not served (not 2xx/3xx, or no answer). */
  down: number;
  /** Earliest failed sample, or null. */
  firstDown: number | null;
  /** Max latency over all samples / served ones / failed ones (-1: none). */
  maxMs: number;
  maxUpMs: number;
  maxDownMs: number;
  /**
   * Distinct values in first-seen order, capped at SET_CAP (then '…'); null until the first one and
   * always null in a series without detail (load), so thousands of bins stay a few MB.
   */
  statuses: string[] | null;
  /** Engine of every sample ('none' when absent) and of served ones ('?' when absent). */
  engines: string[] | null;
  enginesUp: string[] | null;
  /** How failed samples failed: "HTTP 503", the error, or "no answer". */
  failures: string[] | null;
}

const SET_CAP = 8;
/** Above this many bins a series halves its resolution; the timeline draws 400 columns (~2 px each). */
export const MAX_BINS = 4096;

/** A time series folded into bins of `width` ms (doubling when there would be too many). */
export class BinnedSeries {
  width: number;
  /**
   * detail: keep statuses, engines and failure kinds per bin (the availability lane shows them).
   * spanMs: the time the timeline will show, when known: bins start MAX_BINS to that span, so a
   * short burst of samples (a load phase) does not get finer bins than the picture can use.
   */
  constructor(
    readonly detail = true,
    spanMs = 0,
  ) {
    // Samples spanning exactly spanMs touch at most span/width + 2 bins.
    this.width = Math.max(1, Math.ceil(spanMs / (MAX_BINS - 2)));
  }
  count = 0;
  minT = Infinity;
  maxT = -Infinity;
  maxMs = -1;
  readonly bins = new Map<number, Bin>();

  add(t: number, status: number, latencyMs: number, engine: string | null, error?: string): void {
    this.count++;
    if (t < this.minT) this.minT = t;
    if (t > this.maxT) this.maxT = t;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
    const key = Math.floor(t / this.width);
    let b = this.bins.get(key);
    if (!b) {
      b = newBin(t);
      this.bins.set(key, b);
    }
    addSample(b, t, status, latencyMs, this.detail ? engine : undefined, error);
    if (this.bins.size > MAX_BINS) this.coarsen();
  }

  /** Doubles the width until at most half the cap is used, so coarsening is rare (amortised O(1)). */
  private coarsen(): void {
    while (this.bins.size > MAX_BINS / 2) {
      this.width *= 2;
      const old = [...this.bins.entries()];
      this.bins.clear();
      for (const [k, b] of old) {
        const nk = Math.floor(k / 2);
        const into = this.bins.get(nk);
        if (into) mergeBin(into, b);
        else this.bins.set(nk, b);
      }
    }
  }

  /** Bins in time order. */
  sorted(): Bin[] {
    return [...this.bins.values()].sort((a, b) => a.first - b.first);
  }
}

export interface GroupSamples {
  availability: BinnedSeries;
  /** Load latencies that carry a timestamp (latencies without one cannot be placed on a timeline). */
  load: BinnedSeries;
  /** Files referenced but not readable, for the report to say so. */
  missing: string[];
  /** Lines that were not a sample (torn, not JSON, missing fields): counted, never fatal. */
  skipped: number;
}

export function emptySamples(spanMs = 0): GroupSamples {
  return { availability: new BinnedSeries(true, spanMs), load: new BinnedSeries(false, spanMs), missing: [], skipped: 0 };
}

/** Reads every group's sample files; relative paths are resolved against the journal's folder. */
export async function loadSamples(report: RunReport, baseDir: string): Promise<Map<string, GroupSamples>> {
  const out = new Map<string, GroupSamples>();
  for (const g of report.groups) {
    const s = emptySamples(g.startedAt !== null && g.endedAt !== null ? g.endedAt - g.startedAt : 0);
    for (const ref of g.samples) {
      const series = SAMPLE_SERIES[ref.probe] === 'availability' ? s.availability : s.load;
      const file = path.isAbsolute(ref.file) ? ref.file : path.join(baseDir, ref.file);
      if (!existsSync(file)) {
        s.missing.push(ref.file);
        continue;
      }
      await forEachJsonLine(file, (x) => {
        if (!addSampleTo(series, x)) s.skipped++;
      });
    }
    out.set(g.key, s);
  }
  return out;
}

/** Longest line kept; longer ones (a corrupt file without newlines) are skipped, not buffered. */
const MAX_LINE = 64 * 1024;

/** Calls `each` with every parsed JSONL line of a file, reading it in chunks. Unparseable lines are passed as undefined. */
export async function forEachJsonLine(file: string, each: (x: unknown) => void): Promise<void> {
  let rest = '';
  let overlong = false;
  const parse = (line: string) => {
    if (!line.trim()) return;
    try {
      each(JSON.parse(line));
    } catch {
      // a torn last line from an interrupted probe
      each(undefined);
    }
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 }) as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (overlong) overlong = false;
      else parse(rest ? rest + chunk.slice(start, nl) : chunk.slice(start, nl));
      rest = '';
      start = nl + 1;
    }
    if (!overlong) rest += chunk.slice(start);
    if (rest.length > MAX_LINE) {
      each(undefined);
      rest = '';
      overlong = true;
    }
  }
  if (!overlong) parse(rest);
}

/**
 * One line of a probe's samples file, as availability.ts and load.ts write it. Validated, so a
 * line of another shape is counted as skipped instead of being read under a guessed key.
 */
const SampleLineSchema = z.object({
  t: z.number().finite(),
  status: z.number(),
  latencyMs: z.number(),
  engine: z.string().nullable().optional(),
  /** Where the Service routed (availability samples of an app that names no engine: probes/route-watch.ts). */
  route: z.string().optional(),
  error: z.string().optional(),
});

/** Folds one parsed line into a series; false when it is not a sample. */
function addSampleTo(series: BinnedSeries, x: unknown): boolean {
  const r = SampleLineSchema.safeParse(x);
  if (!r.success) return false;
  const o = r.data;
  series.add(o.t, o.status, o.latencyMs, o.engine ?? o.route ?? null, o.error);
  return true;
}

function newBin(t: number): Bin {
  return { first: t, last: t, count: 0, down: 0, firstDown: null, maxMs: -1, maxUpMs: -1, maxDownMs: -1, statuses: null, engines: null, enginesUp: null, failures: null };
}

/** engine undefined: a series without detail (only counts, times and latencies are kept). */
function addSample(b: Bin, t: number, status: number, latencyMs: number, engine: string | null | undefined, error?: string): void {
  if (t < b.first) b.first = t;
  if (t > b.last) b.last = t;
  b.count++;
  if (latencyMs > b.maxMs) b.maxMs = latencyMs;
  const detail = engine !== undefined;
  if (detail) {
    b.statuses = addCapped(b.statuses, String(status));
    b.engines = addCapped(b.engines, engine ?? 'none');
  }
  if (isUpStatus(status)) {
    if (latencyMs > b.maxUpMs) b.maxUpMs = latencyMs;
    if (detail) b.enginesUp = addCapped(b.enginesUp, engine ?? '?');
  } else {
    b.down++;
    if (b.firstDown === null || t < b.firstDown) b.firstDown = t;
    if (latencyMs > b.maxDownMs) b.maxDownMs = latencyMs;
    if (detail) b.failures = addCapped(b.failures, status ? `HTTP ${status}` : (error?.slice(0, 80) ?? 'no answer'));
  }
}

/** Adds b's samples to `into`. */
export function mergeBin(into: Bin, b: Bin): Bin {
  into.first = Math.min(into.first, b.first);
  into.last = Math.max(into.last, b.last);
  into.count += b.count;
  into.down += b.down;
  if (b.firstDown !== null) into.firstDown = into.firstDown === null ? b.firstDown : Math.min(into.firstDown, b.firstDown);
  into.maxMs = Math.max(into.maxMs, b.maxMs);
  into.maxUpMs = Math.max(into.maxUpMs, b.maxUpMs);
  into.maxDownMs = Math.max(into.maxDownMs, b.maxDownMs);
  for (const k of ['statuses', 'engines', 'enginesUp', 'failures'] as const) for (const v of b[k] ?? []) into[k] = addCapped(into[k], v);
  return into;
}

export function cloneBin(b: Bin): Bin {
  return mergeBin(newBin(b.first), b);
}

/** Adds v to a small list of distinct values (made on first use); past SET_CAP only '…' is added. */
function addCapped(list: string[] | null, v: string): string[] {
  if (!list) return [v];
  if (list.includes(v)) return list;
  if (list.length < SET_CAP) list.push(v);
  else if (!list.includes('…')) list.push('…');
  return list;
}

/** 2xx/3xx is up; anything else (including 0 = no answer) is down. */
export function isUpStatus(status: number): boolean {
  return status >= 200 && status < 400;
}

export function isUp(s: Pick<AvailabilitySample, 'status'>): boolean {
  return isUpStatus(s.status);
}
