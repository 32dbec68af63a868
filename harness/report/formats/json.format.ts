// report.json: the model itself, schema-versioned, for machines (CI gates, dashboards, diffing runs).
import type { RunReport } from '../model.ts';
import { textFormat } from '../renderer.ts';

export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export default textFormat({ id: 'json', file: 'report.json', order: 30, render: renderJson });
