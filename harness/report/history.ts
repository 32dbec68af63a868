// The trend across runs: reports/history.jsonl holds one line per run with the key metrics of each
// scenario×variant; a new run is compared with the median of the last runs of the same profile.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RunStatusSchema } from '../model/journal-events.ts';
import type { KeyMetrics, Regression, RunReport } from './model.ts';

// A metric a line lacks (older or foreign writers) reads as not measured, never as 0.
const metric = z.number().nullable().default(null);

/** One line of history.jsonl: validated when read, so a line of another shape is skipped, never half-read. */
export const HistoryEntrySchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  /** ISO time the run started. */
  time: z.string(),
  profile: z.string(),
  platform: z.string(),
  status: RunStatusSchema,
  resilienceScore: z.number().nullable(),
  groups: z.record(
    z.string(),
    z.object({ timeToRestoreMs: metric, downtimeMs: metric, p99AfterMs: metric, lostWrites: metric, score: metric }) satisfies z.ZodType<Omit<KeyMetrics, 'timeToRestoreSource'>>,
  ),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export interface CompareOptions {
  /** Flag a metric when it exceeds the median by more than this factor. */
  ratio?: number;
  /** How many previous runs of the same profile make the baseline. */
  lastN?: number;
  /**
   * An increase smaller than this (ms) is noise, never a regression (a 0 ms median would otherwise
   * flag any blip). One number for all metrics or one per metric; default 100 ms for time-to-restore
   * and downtime (about two probe intervals), 5 ms for p99.
   */
  minIncreaseMs?: number | Partial<Record<(typeof COMPARED_METRICS)[number], number>>;
}

export const COMPARED_METRICS = ['timeToRestoreMs', 'downtimeMs', 'p99AfterMs'] as const;

const DEFAULT_FLOORS: Record<(typeof COMPARED_METRICS)[number], number> = { timeToRestoreMs: 100, downtimeMs: 100, p99AfterMs: 5 };
const uniform = (n: number) => ({ timeToRestoreMs: n, downtimeMs: n, p99AfterMs: n });

export function historyEntry(report: RunReport): HistoryEntry {
  const groups: HistoryEntry['groups'] = {};
  for (const g of report.groups) {
    if (g.scenario === null) continue;
    const { timeToRestoreSource: _source, ...m } = g.metrics;
    groups[g.key] = m;
  }
  return {
    schemaVersion: 1,
    id: report.run.id,
    time: new Date(report.run.startedAt ?? Date.parse(report.generatedAt)).toISOString(),
    profile: report.run.profile,
    platform: report.run.platform,
    status: report.run.status,
    resilienceScore: report.resilienceScore,
    groups,
  };
}

/**
 * Regressions of `current` against the median of the last `lastN` runs of the same profile.
 * Aborted and errored runs are not part of the baseline: their numbers measure an interruption,
 * not the rollback.
 */
export function compareWithHistory(current: HistoryEntry, history: HistoryEntry[], opts: CompareOptions = {}): Regression[] {
  const ratio = opts.ratio ?? 1.5;
  const lastN = opts.lastN ?? 5;
  const floors = { ...DEFAULT_FLOORS, ...(typeof opts.minIncreaseMs === 'number' ? uniform(opts.minIncreaseMs) : opts.minIncreaseMs) };
  const out: Regression[] = [];
  for (const [key, metrics] of Object.entries(current.groups)) {
    const runs = baselineFor(current, history, key, lastN);
    for (const metric of COMPARED_METRICS) {
      const value = metrics[metric];
      if (value === null || value === undefined) continue;
      const past = runs.map((h) => h.groups[key]![metric]).filter((v): v is number => typeof v === 'number');
      if (past.length === 0) continue;
      const m = median(past);
      if (value > m * ratio && value - m >= floors[metric]) {
        out.push({ group: key, metric, current: value, median: m, ratio: m > 0 ? value / m : Infinity, runs: past.length });
      }
    }
  }
  return out;
}

/** The last `lastN` earlier runs of the same profile that ran this scenario×variant and were not aborted/errored. */
function baselineFor(current: HistoryEntry, history: HistoryEntry[], key: string, lastN: number): HistoryEntry[] {
  return history
    .filter((h) => h.profile === current.profile && h.id !== current.id && h.status !== 'aborted' && h.status !== 'error' && h.groups[key])
    .slice(-lastN);
}

/** How many previous runs the comparison could use (the most any measured scenario×variant of the current run had). */
export function baselineSize(current: HistoryEntry, history: HistoryEntry[], lastN = 5): number {
  const measured = Object.entries(current.groups).filter(([, m]) => COMPARED_METRICS.some((k) => typeof m[k] === 'number'));
  return Math.max(0, ...measured.map(([k]) => baselineFor(current, history, k, lastN).length));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Reads history.jsonl; a torn line or one that does not match HistoryEntrySchema is skipped, never fatal. */
export function readHistory(file: string): HistoryEntry[] {
  if (!existsSync(file)) return [];
  const out: HistoryEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue; // torn
    }
    const e = HistoryEntrySchema.safeParse(raw);
    if (e.success) out.push(e.data);
  }
  return out;
}

export function appendHistory(file: string, entry: HistoryEntry): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify(entry) + '\n');
}
