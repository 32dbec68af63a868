// The trend across runs: reports/history.jsonl holds one line per run with the key metrics of each
// scenario×variant; a new run is compared with the median of the last runs of the same profile.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunStatus } from '../journal/events.ts';
import type { KeyMetrics, Regression, RunReport } from './model.ts';

export interface HistoryEntry {
  schemaVersion: 1;
  id: string;
  /** ISO time the run started. */
  time: string;
  profile: string;
  platform: string;
  status: RunStatus;
  resilienceScore: number | null;
  groups: Record<string, Omit<KeyMetrics, 'timeToRestoreSource'>>;
}

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

/** Reads history.jsonl; a torn or foreign line is skipped, never fatal. */
export function readHistory(file: string): HistoryEntry[] {
  if (!existsSync(file)) return [];
  const out: HistoryEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (e && typeof e.id === 'string' && typeof e.profile === 'string' && e.groups && typeof e.groups === 'object') out.push(e);
    } catch {
      // skipped
    }
  }
  return out;
}

export function appendHistory(file: string, entry: HistoryEntry): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify(entry) + '\n');
}
