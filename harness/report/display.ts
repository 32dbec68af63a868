// Wording shared by the renderers (durations, measured values, labels), so md, html and junit say the
// same thing the same way. (The report formats themselves are formats/*.format.ts.)
import { fmtMs as fmtDuration } from '../drill/procedure.ts';
import type { CriterionReport, GroupReport, StepReport } from './model.ts';

/** Like the procedure runner's durations, but sub-second values keep a decimal (18.7 ms is not 19 ms). */
export function fmtMs(ms: number): string {
  if (Math.abs(ms) < 1000 && !Number.isInteger(ms)) return `${Number(ms.toFixed(ms < 10 ? 2 : 1))} ms`;
  return fmtDuration(ms);
}

/** "3.2 s" for durations in ms, "537 writes" otherwise, "not measured" for null. */
export function fmtMeasured(v: number | string | null, unit: string | null): string {
  if (v === null || v === undefined) return 'not measured';
  if (typeof v === 'number' && unit === 'ms') return fmtMs(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return `${Number(v.toFixed(3))}${unit ? ` ${unit}` : ''}`;
  // A duration that is a sentence ("never (watched 95.5 s …)") carries its own units.
  if (typeof v === 'string' && unit === 'ms') return v;
  return unit ? `${v} ${unit}` : String(v);
}

export function criterionLine(c: CriterionReport): string {
  return `measured ${fmtMeasured(c.measured, c.unit)}, budget ${fmtMeasured(c.budget, c.unit)}`;
}

export function stepLine(s: StepReport): string {
  const over = s.overBudget ? ` — OVER BUDGET by ${fmtMs(s.durationMs - s.budgetMs)}` : '';
  return `${s.outcome}: took ${fmtMs(s.durationMs)} of a ${fmtMs(s.budgetMs)} budget${over}${s.message ? `; ${s.message}` : ''}`;
}

export function groupLabel(g: Pick<GroupReport, 'scenario' | 'variant'>): string {
  return g.scenario === null ? 'run' : `${g.scenario} / ${g.variant}`;
}

/** "scenario/variant" keys as shown to people: "scenario / variant". */
export function keyLabel(key: string): string {
  return key.replace('/', ' / ');
}

export function isoTime(t: number | null): string {
  return t === null ? '–' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const STATUS_ICON: Record<string, string> = {
  passed: '✅',
  failed: '❌',
  aborted: '⏹️',
  error: '💥',
  'not-evaluated': '➖',
  ok: '✅',
  skipped: '⏭️',
  interrupted: '⏸️',
};
