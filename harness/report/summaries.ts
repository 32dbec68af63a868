// Probe summaries are typed (journal/probe-summaries.ts): the fields we know are rendered with
// labels and units by probe kind; any other key a probe adds is still shown (generically) so
// nothing a probe measured is hidden from the report.
import type { ProbeKind, ProbeSummaryOf } from '../model/probe-summaries.ts';
import { fmtMs } from './display.ts';

export interface Known {
  label: string;
  format: 'ms' | 'count' | 'percent' | 'rps' | 'text';
  /** A shorter column head, where a table shows this field (the integrity table). */
  head?: string;
}

type KnownFields = { [K in ProbeKind]?: { [F in keyof ProbeSummaryOf<K> & string]?: Known } };

export const KNOWN = {
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
    ok: { label: 'acknowledged writes', format: 'count', head: 'ok' },
    fail: { label: 'failed writes', format: 'count', head: 'fail' },
    unknown: { label: 'unknown (timed out) writes', format: 'count', head: 'unknown' },
    lost: { label: 'lost acknowledged writes', format: 'count', head: 'lost' },
    recovered: { label: 'recovered unknown writes', format: 'count', head: 'recovered' },
    unexpected: { label: 'unexpected rows', format: 'count', head: 'unexpected' },
    duplicated: { label: 'duplicated rows', format: 'count', head: 'duplicated' },
    altered: { label: 'altered rows (stored value ≠ value sent)', format: 'count', head: 'altered' },
    minPerPod: { label: 'min acknowledged writes per pod after restore', format: 'count', head: 'min writes/pod after restore' },
    detectableLoss: { label: 'detectable per-pod loss (95 %)', format: 'percent', head: 'detectable loss/pod (95 %)' },
    source: { label: 'read from', format: 'text' },
  },
  values: {
    seed: { label: 'value seed (--value-seed replays it)', format: 'text' },
    domains: { label: 'value domains', format: 'text' },
    written: { label: 'kinds of value written', format: 'text' },
    compared: { label: 'stored values compared', format: 'text' },
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
} as const satisfies KnownFields;

/** The ledger fields shown in the data-integrity table, in this order (heads and formats from KNOWN.ledger). */
export const INTEGRITY_KEYS = ['ok', 'fail', 'unknown', 'lost', 'recovered', 'unexpected', 'duplicated', 'altered', 'minPerPod', 'detectableLoss', 'source'] as const satisfies readonly (keyof typeof KNOWN.ledger)[];
/** The latency columns compared baseline vs after. */
export const LATENCY_KEYS = ['p50', 'p90', 'p95', 'p99', 'max', 'rps', 'errors', 'non2xx'] as const satisfies readonly (keyof typeof KNOWN.load)[];

export function columnHead(k: Known): string {
  return k.head ?? k.label;
}

// Pods' env and anything that looks like configuration dumps are never rendered wholesale.
const HIDDEN_KEY = /^(env|environment|envFrom|config|spec|manifest)$/i;

export interface SummaryRow {
  key: string;
  label: string;
  value: string;
  /** The whole value, where `value` had to be cut (a long object, a list of more than three). */
  full?: string;
}

/** The declared fields of a probe kind with labels first, then every other key as it is. */
export function summaryRows(probe: ProbeKind, summary: object): SummaryRow[] {
  const known: Record<string, Known> = probe in KNOWN ? KNOWN[probe as keyof typeof KNOWN] : {};
  const fields = summary as Record<string, unknown>;
  const rows: SummaryRow[] = [];
  for (const [key, k] of Object.entries(known)) {
    if (key in fields) rows.push(withFull({ key, label: k.label, value: formatValue(fields[key], k.format) }, fields[key]));
  }
  for (const [key, v] of Object.entries(fields)) {
    if (key in known || HIDDEN_KEY.test(key)) continue;
    rows.push(withFull({ key, label: key, value: formatValue(v, key.endsWith('Ms') ? 'ms' : 'text') }, v));
  }
  return rows;
}

/** The row with the whole value beside the cut one, when formatValue had to cut it. */
function withFull(row: SummaryRow, v: unknown): SummaryRow {
  if (v === null || typeof v !== 'object') return row;
  // The limits formatValue cuts at: a list's first three items (an object item to 40 characters), an object to 160.
  const full = compact(v, Infinity);
  const cut = Array.isArray(v) ? v.length > 3 || v.some((x) => typeof x === 'object' && compact(x, Infinity).length > 40) : full.length > 160;
  return cut ? { ...row, full } : row;
}

export function formatValue(v: unknown, format: Known['format'] = 'text'): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    switch (format) {
      case 'ms':
        return fmtMs(v);
      case 'percent':
        // Rates are declared as fractions 0..1 (probe-summaries.ts).
        return `${(v * 100).toFixed(2)} %`;
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
