// Probe summaries are open records: the keys we know are rendered with labels and units, every
// other key is still shown (generically) so nothing a probe measured is hidden from the report.
import { fmtMs } from './format.ts';

export type ProbeKind = 'availability' | 'ledger' | 'load' | 'other';

export function probeKind(p: { probe: string; summary: Record<string, unknown> }): ProbeKind {
  const n = p.probe.toLowerCase();
  if (n.includes('availability')) return 'availability';
  if (n.includes('ledger') || n.includes('integrity')) return 'ledger';
  if (n.includes('load')) return 'load';
  return 'other';
}

/** First finite number found at one of the dotted paths ("downtime.ms", "lost.length"). */
export function num(record: Record<string, unknown>, ...paths: string[]): number | null {
  for (const p of paths) {
    let v: unknown = record;
    for (const part of p.split('.')) {
      if (v === null || v === undefined || (typeof v !== 'object' && typeof v !== 'string')) {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[part];
    }
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

interface Known {
  label: string;
  format: 'ms' | 'count' | 'percent' | 'rps' | 'text';
}

const KNOWN: Record<Exclude<ProbeKind, 'other'>, Record<string, Known>> = {
  availability: {
    total: { label: 'requests', format: 'count' },
    failed: { label: 'failed', format: 'count' },
    errorRate: { label: 'error rate', format: 'percent' },
    downtimeMs: { label: 'downtime', format: 'ms' },
    longestFailureRun: { label: 'longest failure run', format: 'count' },
    longestFailureRunMs: { label: 'longest failure run (time)', format: 'ms' },
    timeToRestoreMs: { label: 'time to restore', format: 'ms' },
  },
  ledger: {
    ok: { label: 'acknowledged writes', format: 'count' },
    fail: { label: 'failed writes', format: 'count' },
    unknown: { label: 'unknown (timed out) writes', format: 'count' },
    lost: { label: 'lost acknowledged writes', format: 'count' },
    recovered: { label: 'recovered unknown writes', format: 'count' },
    unexpected: { label: 'unexpected rows', format: 'count' },
    duplicated: { label: 'duplicated rows', format: 'count' },
  },
  load: {
    phase: { label: 'phase', format: 'text' },
    p50: { label: 'p50', format: 'ms' },
    p90: { label: 'p90', format: 'ms' },
    p95: { label: 'p95', format: 'ms' },
    p99: { label: 'p99', format: 'ms' },
    max: { label: 'max', format: 'ms' },
    rps: { label: 'requests/s', format: 'rps' },
    errors: { label: 'errors', format: 'count' },
    non2xx: { label: 'non-2xx', format: 'count' },
  },
};

/** The ledger counts shown in the data-integrity table, in this order. */
export const INTEGRITY_KEYS = ['ok', 'fail', 'unknown', 'lost', 'recovered', 'unexpected', 'duplicated', 'minPerPod', 'detectableLoss', 'source'] as const;
/** Column heads and formats of the integrity table (coverage of the restored engine beside the counts). */
export const INTEGRITY_COLUMNS: Record<(typeof INTEGRITY_KEYS)[number], { head: string; format: Known['format'] }> = {
  ok: { head: 'ok', format: 'count' },
  fail: { head: 'fail', format: 'count' },
  unknown: { head: 'unknown', format: 'count' },
  lost: { head: 'lost', format: 'count' },
  recovered: { head: 'recovered', format: 'count' },
  unexpected: { head: 'unexpected', format: 'count' },
  duplicated: { head: 'duplicated', format: 'count' },
  minPerPod: { head: 'min writes/pod after restore', format: 'count' },
  detectableLoss: { head: 'detectable loss/pod (95 %)', format: 'percent' },
  source: { head: 'read from', format: 'text' },
};
/** The latency columns compared baseline vs after. */
export const LATENCY_KEYS = ['p50', 'p90', 'p95', 'p99', 'max', 'rps', 'errors', 'non2xx'] as const;

// Pods' env and anything that looks like configuration dumps are never rendered wholesale.
const HIDDEN_KEY = /^(env|environment|envFrom|config|spec|manifest)$/i;

export interface SummaryRow {
  key: string;
  label: string;
  value: string;
}

export function summaryRows(kind: ProbeKind, summary: Record<string, unknown>): SummaryRow[] {
  const known = kind === 'other' ? {} : KNOWN[kind];
  const rows: SummaryRow[] = [];
  for (const [key, k] of Object.entries(known)) {
    if (key in summary) rows.push({ key, label: k.label, value: formatValue(summary[key], k.format) });
  }
  for (const [key, v] of Object.entries(summary)) {
    if (key in known || HIDDEN_KEY.test(key)) continue;
    rows.push({ key, label: key, value: formatValue(v, /ms$/i.test(key) ? 'ms' : 'text') });
  }
  return rows;
}

export function formatValue(v: unknown, format: Known['format'] = 'text'): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    switch (format) {
      case 'ms':
        return fmtMs(v);
      case 'percent':
        // Error rates arrive as fractions (0.12) — shown as percent.
        return `${(v <= 1 ? v * 100 : v).toFixed(2)} %`;
      case 'rps':
        return v.toFixed(1);
      default:
        return Number.isInteger(v) ? String(v) : v.toFixed(2);
    }
  }
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const head = v.slice(0, 3).map((x) => (typeof x === 'object' ? compact(x, 40) : String(x)));
    return `${v.length} item(s)${v.length ? `: ${head.join(', ')}${v.length > 3 ? ', …' : ''}` : ''}`;
  }
  return compact(v, 160);
}

function compact(v: unknown, max: number): string {
  const s = JSON.stringify(v, (k, x: unknown) => (k && HIDDEN_KEY.test(k) ? '[hidden]' : x)) ?? '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
