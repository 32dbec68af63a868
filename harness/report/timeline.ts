// The timeline of one scenario×variant as inline SVG (no script needed): availability per sample,
// latency over time (log scale), step bars against their budgets, and fault/selector-switch markers.
import type { GroupReport } from './model.ts';
import { wasRunning } from './interruption.ts';
import { fmtMs } from './display.ts';
import { type Bin, type BinnedSeries, type GroupSamples, cloneBin, mergeBin } from './samples.ts';

const W = 1000;
const LEFT = 150; // room for lane and step labels
const RIGHT = 20;
const PLOT_W = W - LEFT - RIGHT;
const BUCKETS = 400; // samples are bucketed so a long run stays a small file
const MAX_GAP = 4; // buckets without a sample before the picture shows a gap

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

interface Mark {
  t: number;
  label: string;
  kind: 'fault' | 'fault-effective' | 'fault-clear' | 'switch' | 'trigger' | 'marker';
  detail: string;
}

export function timelineMarks(g: GroupReport): Mark[] {
  const marks: Mark[] = [];
  if (g.fault.injectedAt !== null) marks.push({ t: g.fault.injectedAt, label: 'fault', kind: 'fault', detail: `fault ${g.fault.name} injected: ${g.fault.injectDetail ?? ''}` });
  if (g.fault.verifiedAt !== null && g.fault.effective !== null) {
    marks.push({
      t: g.fault.verifiedAt,
      label: g.fault.effective ? 'effective' : 'NOT effective',
      kind: 'fault-effective',
      detail: `fault ${g.fault.effective ? 'took effect' : 'did NOT take effect'}: ${g.fault.evidence ?? ''}`,
    });
  }
  for (const m of g.markers) {
    marks.push({
      t: m.t,
      label: m.name === 'selector-switch' ? 'switch' : m.name,
      kind: m.name === 'selector-switch' ? 'switch' : 'marker',
      detail: `${m.name}${m.detail ? `: ${m.detail}` : ''}`,
    });
  }
  if (g.fault.clearedAt !== null) marks.push({ t: g.fault.clearedAt, label: 'cleared', kind: 'fault-clear', detail: `fault ${g.fault.name} cleared` });
  for (const tr of g.triggers) {
    if (tr.firedAt !== null) marks.push({ t: tr.firedAt, label: tr.trigger, kind: 'trigger', detail: `trigger ${tr.trigger} fired${tr.detail ? `: ${tr.detail}` : ''}` });
  }
  return marks.sort((a, b) => a.t - b.t);
}

/** Whether a group has anything to draw. */
export function hasTimeline(g: GroupReport, s: GroupSamples): boolean {
  return s.availability.count > 0 || s.load.count > 0 || g.steps.length > 0 || g.markers.length > 0 || g.phases.length > 0 || g.fault.injectedAt !== null;
}

export function renderTimeline(g: GroupReport, s: GroupSamples): string {
  const marks = timelineMarks(g);
  // The samples enter only as their series' extremes: no array here grows with the sample count.
  const times = [
    ...(g.startedAt !== null ? [g.startedAt] : []),
    ...(g.endedAt !== null ? [g.endedAt] : []),
    ...[s.availability, s.load].flatMap((x) => (x.count ? [x.minT, x.maxT] : [])),
    ...g.steps.flatMap((x) => [x.startedAt, x.startedAt + x.durationMs]),
    ...g.phases.flatMap((p) => [p.startedAt, p.startedAt + (p.durationMs ?? 0)]),
    ...marks.map((m) => m.t),
  ];
  const t0 = times.reduce((a, b) => Math.min(a, b), Infinity);
  const t1 = times.reduce((a, b) => Math.max(a, b), t0 + 1000);
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * PLOT_W;

  const parts: string[] = [];
  // Marker labels go in rows on top, each in the first row where it does not overlap its neighbour.
  const LABEL_ROW = 11;
  const rowEnds: number[] = [];
  const labelRow = marks.map((m) => {
    const half = (m.label.length * 5.6) / 2 + 3;
    const cx = x(m.t);
    let row = rowEnds.findIndex((end) => cx - half > end);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = cx + half;
    return row;
  });
  let y = 8 + Math.max(1, rowEnds.length) * LABEL_ROW + 6;
  const lanes: { label: string; y: number; h: number }[] = [];

  // Availability: one coloured column per bucket (red if any sample failed, amber if mixed).
  const AV_H = 22;
  const av = bucket(s.availability, t0, t1);
  if (s.availability.count) {
    lanes.push({ label: 'availability', y, h: AV_H });
    const bw = PLOT_W / BUCKETS;
    const filled = av.flatMap((b, i) => (b ? [i] : []));
    // Consecutive columns alike (same state; same engine while up) become one bar: a long calm run stays a small file.
    type Run = { from: number; to: number; cls: string; engines: string; bin: Bin };
    const runs: Run[] = [];
    for (const [n, i] of filled.entries()) {
      const b = av[i]!;
      // A column reaches to the next sample unless the probe was silent for a while (then the gap shows).
      const next = filled[n + 1] ?? i + 1;
      const to = next - i <= MAX_GAP ? next : i + 1;
      const cls = b.down === 0 ? 'up' : b.down === b.count ? 'down' : 'mixed';
      const engines = [...(b.enginesUp ?? [])].sort().join('/');
      const last = runs.at(-1);
      if (last && last.to === i && last.cls === cls && last.engines === engines) {
        last.to = to;
        mergeBin(last.bin, b);
      } else runs.push({ from: i, to, cls, engines, bin: cloneBin(b) });
    }
    for (const { from, to, cls, bin: r } of runs) {
      parts.push(
        `<rect class="av ${cls}" x="${(LEFT + from * bw).toFixed(1)}" y="${y}" width="${Math.max((to - from) * bw, 1).toFixed(2)}" height="${AV_H}"><title>${esc(
          `+${fmtMs(r.first - t0)} to +${fmtMs(r.last - t0)}: ${r.count} request(s), ${r.down} failed, status ${(r.statuses ?? []).join(',')}, engine ${(r.engines ?? []).join('/')}`,
        )}</title></rect>`,
      );
    }
    y += AV_H + 14;
  }

  // Latency: max per bucket on a log scale, so a 2 s timeout and a 3 ms answer are both readable.
  const LAT_H = 120;
  if (s.availability.count || s.load.count) {
    lanes.push({ label: 'latency (log)', y, h: LAT_H });
    const top = Math.max(10, s.availability.maxMs, s.load.maxMs);
    const decades = Math.ceil(Math.log10(top));
    const ly = (ms: number) => y + LAT_H - (Math.log10(Math.max(ms, 1)) / decades) * LAT_H;
    for (let d = 0; d <= decades; d++) {
      const yy = ly(10 ** d).toFixed(1);
      parts.push(`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${yy}" y2="${yy}"/>`);
      parts.push(`<text class="tick" x="${LEFT - 4}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fmtMs(10 ** d)}</text>`);
    }
    // Served requests as a line (max per bucket); failed ones as red dots at the latency they failed after.
    const bx = (i: number) => (LEFT + (i + 0.5) * (PLOT_W / BUCKETS)).toFixed(1);
    // ms(bucket): the latency to plot, or < 0 when the bucket has nothing for this line.
    const line = (cls: string, buckets: (Bin | undefined)[], ms: (b: Bin) => number, title: string) => {
      // One polyline per stretch of data: a silent stretch (e.g. the outage for served requests) stays a gap.
      const runs: string[][] = [];
      let lastI = -Infinity;
      for (const [i, b] of buckets.entries()) {
        if (!b || ms(b) < 0) continue;
        if (i - lastI > MAX_GAP) runs.push([]);
        runs.at(-1)!.push(`${bx(i)},${ly(ms(b)).toFixed(1)}`);
        lastI = i;
      }
      for (const pts of runs) {
        if (pts.length === 1) pts.push(pts[0]!.replace(/^([\d.]+)/, (x) => (Number(x) + 1).toFixed(1)));
        parts.push(`<polyline class="${cls}" points="${pts.join(' ')}"><title>${title}</title></polyline>`);
      }
    };
    line('lat-av', av, (b) => (b.count > b.down ? b.maxUpMs : -1), 'availability probe: latency of served requests (max per bucket)');
    line('lat-load', bucket(s.load, t0, t1), (b) => b.maxMs, 'load: latency (max per bucket)');
    for (const [i, b] of av.entries()) {
      if (!b?.down) continue;
      const worst = b.maxDownMs;
      parts.push(
        `<circle class="lat-fail" cx="${bx(i)}" cy="${ly(worst).toFixed(1)}" r="2"><title>${esc(`+${fmtMs(b.firstDown! - t0)}: ${b.down} failed (${(b.failures ?? []).join(', ')}) after up to ${fmtMs(worst)}`)}</title></circle>`,
      );
    }
    y += LAT_H + 14;
  }

  // Phases (baseline, probes, procedure, validation…), then one row per step: budget outline, actual bar.
  const ROW = 16;
  if (g.phases.length) {
    lanes.push({ label: 'phases', y, h: ROW });
    for (const p of g.phases) {
      const x0 = x(p.startedAt);
      const w = Math.max(1, x(p.startedAt + (p.durationMs ?? t1 - p.startedAt)) - x0);
      parts.push(`<rect class="phase" x="${x0.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW - 4}"><title>${esc(`${p.phase}: ${p.durationMs === null ? 'no end' : fmtMs(p.durationMs)}`)}</title></rect>`);
      parts.push(`<text class="bar-label" x="${(x0 + 2).toFixed(1)}" y="${y + ROW - 4}">${esc(p.phase)}</text>`);
    }
    y += ROW + 8;
  }
  for (const st of g.steps) {
    const x0 = x(st.startedAt);
    const budgetEnd = st.startedAt + st.budgetMs;
    const bw = Math.max(1, x(budgetEnd) - x0);
    const aw = Math.max(2, x(st.startedAt + st.durationMs) - x0);
    const cls = st.outcome === 'ok' ? (st.overBudget ? 'over' : 'ok') : wasRunning(st) ? 'interrupted' : st.outcome;
    const label = `${st.index + 1}. ${st.step}`;
    parts.push(`<text class="step-label" x="${LEFT - 4}" y="${y + ROW - 4}" text-anchor="end">${esc(label.length > 26 ? `${label.slice(0, 25)}…` : label)}<title>${esc(label)}</title></text>`);
    parts.push(
      `<rect class="budget" x="${x0.toFixed(1)}" y="${y + 1}" width="${bw.toFixed(1)}" height="${ROW - 2}"><title>${esc(`budget ${fmtMs(st.budgetMs)}${budgetEnd > t1 ? ' (extends past the end of the timeline)' : ''}`)}</title></rect>`,
    );
    parts.push(
      `<rect class="step ${cls}" data-outcome="${esc(st.outcome)}" x="${x0.toFixed(1)}" y="${y + 3}" width="${aw.toFixed(1)}" height="${ROW - 6}"><title>${esc(
        `${st.step}: ${st.outcome}, ${fmtMs(st.durationMs)} of ${fmtMs(st.budgetMs)}${st.overBudget ? ' (OVER BUDGET)' : ''}${st.message ? ` — ${st.message}` : ''}`,
      )}</title></rect>`,
    );
    if (budgetEnd > t1) parts.push(`<text class="tick" x="${W - RIGHT + 2}" y="${y + ROW - 4}">→</text>`);
    y += ROW;
  }
  if (g.steps.length) y += 8;

  // Time axis.
  const axisY = y + 4;
  parts.push(`<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${axisY}" y2="${axisY}"/>`);
  parts.push(`<text class="tick" x="4" y="${axisY + 15}">t0 ${esc(new Date(t0).toISOString().slice(11, 19))}Z</text>`);
  for (const tick of ticks(t1 - t0)) {
    const xx = x(t0 + tick).toFixed(1);
    parts.push(`<line class="axis" x1="${xx}" x2="${xx}" y1="${axisY}" y2="${axisY + 4}"/>`);
    parts.push(`<text class="tick" x="${xx}" y="${axisY + 15}" text-anchor="middle">${tick === 0 ? 't0' : `+${fmtMs(tick)}`}</text>`);
  }
  const height = axisY + 22;

  // Markers over every lane, labels staggered so neighbours do not overlap.
  for (const [i, m] of marks.entries()) {
    const xx = x(m.t).toFixed(1);
    const ly = 8 + (labelRow[i]! + 1) * LABEL_ROW;
    parts.push(`<line class="mark ${m.kind}" x1="${xx}" x2="${xx}" y1="${ly + 2}" y2="${axisY}"><title>${esc(`+${fmtMs(m.t - t0)} ${m.detail}`)}</title></line>`);
    parts.push(`<text class="mark-label ${m.kind}" x="${xx}" y="${ly}" text-anchor="middle">${esc(m.label)}</text>`);
  }
  for (const l of lanes) parts.push(`<text class="lane-label" x="4" y="${l.y + Math.min(l.h, 24) / 2 + 4}">${esc(l.label)}</text>`);

  return `<svg class="timeline" role="img" aria-label="${esc(`timeline of ${g.key}`)}" data-samples="${s.availability.count}" data-steps="${g.steps.length}" viewBox="0 0 ${W} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">${parts.join('')}</svg>`;
}

/** The series' bins merged into the timeline's columns (a bin goes where its first sample falls; bins are far narrower than columns). */
function bucket(series: BinnedSeries, t0: number, t1: number): (Bin | undefined)[] {
  const out: (Bin | undefined)[] = new Array<Bin | undefined>(BUCKETS).fill(undefined);
  for (const b of series.sorted()) {
    const i = Math.min(BUCKETS - 1, Math.max(0, Math.floor(((b.first - t0) / (t1 - t0)) * BUCKETS)));
    const into = out[i];
    if (into) mergeBin(into, b);
    else out[i] = cloneBin(b);
  }
  return out;
}

/** 5–10 round tick offsets (ms) across a span. */
function ticks(span: number): number[] {
  const steps = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  const step = steps.find((s) => span / s <= 10) ?? 3_600_000;
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}
