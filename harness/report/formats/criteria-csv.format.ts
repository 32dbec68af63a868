// criteria.csv: one row per criterion and per check of every scenario × variant, with the raw
// measured value, budget and unit, for a spreadsheet or a dashboard that trends runs (RFC 4180
// quoting, a header row, LF line ends). Numbers stay numbers: "537", not "537 writes".
import type { RunReport } from '../model.ts';
import { textFormat } from '../renderer.ts';

export const CRITERIA_CSV_COLUMNS = ['group', 'scenario', 'variant', 'kind', 'id', 'title', 'passed', 'expected', 'matches', 'measured', 'budget', 'unit', 'finding', 'evidence'] as const;

type Value = string | number | boolean | null;

/** A field as RFC 4180 wants it: quoted when it holds a comma, a quote or a line break. */
export function csvField(v: Value): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCriteriaCsv(r: RunReport): string {
  const rows: Value[][] = [[...CRITERIA_CSV_COLUMNS]];
  for (const g of r.groups) {
    const where = [g.key, g.scenario, g.variant];
    for (const c of g.criteria) rows.push([...where, 'criterion', c.id, c.title, c.passed, c.expected, c.matches, c.measured, c.budget, c.unit, c.expectedBecause, c.evidence]);
    for (const c of g.checks) rows.push([...where, 'check', c.id, c.title, c.passed, c.expected, c.matches, c.measured, null, null, c.expectedBecause, null]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

export default textFormat({ id: 'criteria-csv', file: 'criteria.csv', order: 40, render: renderCriteriaCsv });
