// The raw probe samples a journal references (`probe.samples` events): JSONL files next to the
// journal. Only the HTML timeline needs them; a missing or torn file degrades the picture, never the report.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunReport } from './model.ts';

export interface AvailabilitySample {
  t: number;
  /** HTTP status; 0 for a network error or timeout. */
  status: number;
  latencyMs: number;
  engine: string | null;
  pod: string | null;
  error?: string;
}

export interface LatencySample {
  t: number;
  latencyMs: number;
}

export interface GroupSamples {
  availability: AvailabilitySample[];
  /** Load latencies that carry a timestamp (latencies without one cannot be placed on a timeline). */
  load: LatencySample[];
  /** Files referenced but not readable, for the report to say so. */
  missing: string[];
}

export function emptySamples(): GroupSamples {
  return { availability: [], load: [], missing: [] };
}

/** Loads every group's samples; relative paths are resolved against the journal's folder. */
export function loadSamples(report: RunReport, baseDir: string): Map<string, GroupSamples> {
  const out = new Map<string, GroupSamples>();
  for (const g of report.groups) {
    const s = emptySamples();
    for (const ref of g.samples) {
      const file = path.isAbsolute(ref.file) ? ref.file : path.join(baseDir, ref.file);
      if (!existsSync(file)) {
        s.missing.push(ref.file);
        continue;
      }
      const rows = readJsonl(file);
      if (ref.probe.toLowerCase().includes('availability')) s.availability.push(...rows.flatMap(toAvailability));
      else if (ref.probe.toLowerCase().includes('load')) s.load.push(...rows.flatMap(toLatency));
    }
    s.availability.sort((a, b) => a.t - b.t);
    s.load.sort((a, b) => a.t - b.t);
    out.set(g.key, s);
  }
  return out;
}

function readJsonl(file: string): unknown[] {
  const out: unknown[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a torn last line from an interrupted probe
    }
  }
  return out;
}

function toAvailability(x: unknown): AvailabilitySample[] {
  if (!x || typeof x !== 'object') return [];
  const o = x as Record<string, unknown>;
  if (typeof o['t'] !== 'number' || typeof o['status'] !== 'number') return [];
  return [
    {
      t: o['t'],
      status: o['status'],
      latencyMs: typeof o['latencyMs'] === 'number' ? o['latencyMs'] : 0,
      engine: typeof o['engine'] === 'string' ? o['engine'] : null,
      pod: typeof o['pod'] === 'string' ? o['pod'] : null,
      ...(typeof o['error'] === 'string' ? { error: o['error'] } : {}),
    },
  ];
}

function toLatency(x: unknown): LatencySample[] {
  if (!x || typeof x !== 'object') return [];
  const o = x as Record<string, unknown>;
  const ms = typeof o['latencyMs'] === 'number' ? o['latencyMs'] : typeof o['latency'] === 'number' ? o['latency'] : null;
  return typeof o['t'] === 'number' && ms !== null ? [{ t: o['t'], latencyMs: ms }] : [];
}

/** 2xx/3xx is up; anything else (including 0 = no answer) is down. */
export function isUp(s: AvailabilitySample): boolean {
  return s.status >= 200 && s.status < 400;
}
