// The report.md of last resort: the verdicts table straight from the journal's verdict events, with
// no report model, no samples and no history. It is written before anything else is rendered and
// stays when a renderer fails, so a drill always leaves its verdicts readable. Its size is bounded by
// the number of verdicts (each cell is clipped), so it cannot fail where the full report did.
import type { JournalEvent } from '../model/journal-events.ts';
import type { RenderFailure } from './renderer.ts';

const MAX_CELL = 300;

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '–' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v) ?? '–';
  const one = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return one.length > MAX_CELL ? `${one.slice(0, MAX_CELL - 1)}…` : one;
}

export function renderVerdictsMarkdown(events: readonly JournalEvent[], failures: readonly RenderFailure[] = []): string {
  const start = events.find((e) => e.type === 'run.start');
  const end = events.findLast((e) => e.type === 'run.end');
  const verdicts = events.filter((e) => e.type === 'verdict');
  const failed = verdicts.filter((v) => !v.passed).length;
  const out: string[] = ['# Rollback drill: verdicts', ''];
  if (start) out.push(`Run \`${cell(start.runId)}\`, profile ${cell(start.profile)} on ${cell(start.platform)}.`);
  out.push(end ? `Run ended ${cell(end.status)}, exit code ${end.exitCode}${end.reason ? ` (${cell(end.reason)})` : ''}.` : 'No run end recorded.', '');
  if (failures.length) {
    out.push('> **The full report could not be rendered.** This file holds the verdicts as journalled; see the journal for the rest.');
    for (const f of failures) out.push(`> - ${cell(f.what)}: ${cell(f.message)}`);
    out.push('');
  }
  out.push(`${verdicts.length - failed}/${verdicts.length} criteria met.`, '');
  if (verdicts.length) {
    out.push('| Scenario | Variant | Criterion | Result | Measured | Budget | Evidence |', '|---|---|---|---|---|---|---|');
    for (const v of verdicts) {
      const unit = v.unit ? ` ${v.unit}` : '';
      const measured = v.measured === null ? '–' : `${cell(v.measured)}${unit}`;
      const budget = v.budget === null ? '–' : `${cell(v.budget)}${unit}`;
      out.push(`| ${cell(v.scenario)} | ${cell(v.variant)} | ${cell(v.title)} (\`${cell(v.id)}\`) | ${v.passed ? 'passed' : '**FAILED**'} | ${measured} | ${budget} | ${cell(v.evidence)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
