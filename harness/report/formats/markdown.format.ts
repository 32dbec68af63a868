// report.md: plain GitHub-flavoured markdown that fits $GITHUB_STEP_SUMMARY (tables, no HTML),
// verdict first, then what a reviewer asks next: which criterion, by how much, where time went.
import { COMPARED_METRICS } from '../history.ts';
import type { CriterionReport, ExpectationRow, GroupReport, RunReport } from '../model.ts';
import { STATUS_ICON, fmtMeasured, fmtMs, groupLabel, isoTime, keyLabel } from '../display.ts';
import type { ProbeKind } from '../../model/probe-summaries.ts';
import { INTEGRITY_KEYS, KNOWN, columnHead, formatValue, summaryRows } from '../summaries.ts';
import { LATENCY_HEAD, LATENCY_NOTE, hasLatency, latencyRows } from '../latency-table.ts';
import { textFormat } from '../renderer.ts';
import { renderVerdictsMarkdown } from '../verdicts-md.ts';
import { causeLines, evidenceParts, expectedText, provenanceText, scoreText } from '../explain.ts';
import { FINDING_KIND_TITLES } from '../finding-groups.ts';
import type { FindingKind } from '../../model/journal-events.ts';

/** Probe kinds with a table of their own below; every other summary is listed under "Other measurements". */
const TABLED: ReadonlySet<ProbeKind> = new Set(['availability', 'ledger', 'load']);

const METRIC_LABEL: Record<(typeof COMPARED_METRICS)[number], string> = {
  timeToRestoreMs: 'time to restore',
  downtimeMs: 'downtime',
  p99AfterMs: 'p99 after rollback',
};

/** GitHub truncates step summaries above 1 MiB; long cells are cut well before that. */
const MAX_CELL = 300;
/** An evidence cell longer than this is cut, and the whole text listed under the criteria table. */
const EVIDENCE_CELL = 200;

export function renderMarkdown(r: RunReport): string {
  const out: string[] = [];
  const icon = STATUS_ICON[r.verdict.status] ?? '';
  out.push(`## ${icon} Rollback drill ${r.verdict.status.toUpperCase()}: ${r.run.profile} on ${r.run.platform}`, '');
  out.push(`**${cell(r.verdict.headline, 1000)}**`, '');
  const meta = [
    `run \`${r.run.id}\``,
    ...(r.run.target ? [`target \`${r.run.target.name}\` (${r.run.target.description})`] : []),
    `started ${isoTime(r.run.startedAt)}`,
    r.run.durationMs !== null ? `took ${fmtMs(r.run.durationMs)}` : 'no end recorded',
    `exit code ${r.run.exitCode ?? '–'}`,
    `platform ${r.run.platform}${r.run.platformReason ? ` (${r.run.platformReason})` : ''}`,
  ];
  const score = scoreText(r);
  if (score !== null) meta.push(`resilience score ${score}`);
  out.push(meta.join(' · '), '');
  for (const w of r.warnings) out.push(`> ⚠️ ${cell(w, 1000)}`, '');

  if (r.interruption) {
    out.push('### Interrupted', '');
    out.push(`The run stopped at ${isoTime(r.interruption.lastEventAt)}: ${r.run.reason ?? 'interrupted'}.`);
    for (const p of r.interruption.inProgress) out.push(`- ⏸️ in progress: **${p.step}** (${p.procedure}, ${p.group})`);
    out.push(`- steps done: ${r.interruption.stepsDone.length ? r.interruption.stepsDone.map((s) => `${s.step} (${s.group})`).join('; ') : 'none'}`, '');
  }

  const { unexpectedPasses, unexpectedFailures, expectedFailures } = r.expectations;
  if (unexpectedPasses.length + unexpectedFailures.length > 0) {
    // What fails the gate, before anything else.
    out.push('### ❗ Verdicts that do not match their expectations', '');
    out.push('| | Scenario | Check | Expected | Measured |', '|---|---|---|---|---|');
    for (const x of unexpectedPasses)
      out.push(row('❗ unexpectedly passed', keyLabel(x.group), `${x.title} (\`${x.id}\`)`, `fail: ${x.finding ?? '?'}; remove the expectation, the runbook was fixed`, shortCell(x)));
    for (const x of unexpectedFailures) out.push(row('❌ failed', keyLabel(x.group), `${x.title} (\`${x.id}\`)`, 'pass', shortCell(x)));
    out.push('');
    // The whole evidence as a list, and what explains each: the failing answers, the log lines, the fix.
    out.push('#### What was measured, and why', '');
    for (const x of [...unexpectedPasses, ...unexpectedFailures]) {
      out.push(`- **\`${x.id}\`** (${keyLabel(x.group)}): ${cell(x.says ?? x.measured, 400)}`);
      for (const part of evidenceParts(measuredCell(x))) out.push(`  - ${cell(part, 400)}`);
      for (const c of causeLines(x.causes)) out.push(`  - ${c.kind === 'fix' ? '🔧' : '↳'} ${c.kind === 'fix' ? '' : `${c.kind}: `}\`${code(c.text)}\`${c.file ? ` ([full log](${c.file}))` : ''}`);
    }
    out.push('');
  }

  const scenarios = r.groups.filter((g) => g.criteria.length > 0);
  out.push('### Success criteria', '');
  if (scenarios.length === 0) out.push('_No criterion was evaluated._', '');
  else {
    out.push(
      r.verdict.matchesExpectations ? '_All verdicts match their expectations._' : `_${r.verdict.criteria.mismatched} criterion verdict(s) do not match their expectations._`,
      '',
    );
    out.push('| | Scenario | Criterion | Expected | Measured | Budget | Evidence |', '|---|---|---|---|---|---|---|');
    // Short cells: a long evidence is cut here and given whole, as a list, under the table.
    const long: { g: GroupReport; c: GroupReport['criteria'][number] }[] = [];
    for (const g of scenarios)
      for (const c of g.criteria) {
        const cut = c.evidence.length > EVIDENCE_CELL;
        if (cut) long.push({ g, c });
        out.push(row(criterionMark(c), groupLabel(g), `${c.title} (\`${c.id}\`)`, expectedCell(c), fmtMeasured(c.measured, c.unit), fmtMeasured(c.budget, c.unit), cut ? `${cell(c.evidence, EVIDENCE_CELL)} (in full below)` : c.evidence));
      }
    out.push('');
    if (long.length) {
      out.push('#### Evidence in full', '');
      for (const { g, c } of long) {
        out.push(`- **\`${c.id}\`** (${groupLabel(g)})${c.says ? `: ${cell(c.says, 400)}` : ''}`);
        for (const part of evidenceParts(c.evidence)) out.push(`  - ${cell(part, 600)}`);
      }
      out.push('');
    }
  }

  if (expectedFailures.length) {
    out.push('### Expected failures (seed runbook as written)', '');
    out.push("Known defects of the runbook, each declared next to the finding that explains it; they must fail (one that passes fails the run).", '');
    out.push('| Scenario | Check | Finding | Measured |', '|---|---|---|---|');
    for (const x of expectedFailures) out.push(row(keyLabel(x.group), `${x.title} (\`${x.id}\`)`, `${x.findingTitle ?? ''} (\`${x.finding ?? '?'}\`)`, measuredCell(x)));
    out.push('');
  }

  const differences = variantDifferences(r.groups);
  if (differences.length) {
    out.push('### Seed vs hardened: where the runbook as written and the hardened procedure differ', '');
    out.push('| Scenario | Criterion | seed | hardened |', '|---|---|---|---|');
    for (const d of differences) out.push(row(d.scenario, d.id, d.seed, d.hardened));
    out.push('');
  }

  const withSteps = r.groups.filter((g) => g.steps.length > 0);
  if (withSteps.length) {
    out.push('### Steps vs budgets', '');
    for (const g of withSteps) {
      out.push(`**${groupLabel(g)}**${groupMeta(g)}`, '');
      out.push('| | # | Procedure | Step | Took | Budget | Note |', '|---|---|---|---|---|---|---|');
      for (const s of g.steps) {
        const mark = s.overBudget ? '⚠️ over' : (STATUS_ICON[s.outcome] ?? s.outcome);
        out.push(row(mark, String(s.index + 1), s.procedure, s.step, fmtMs(s.durationMs), fmtMs(s.budgetMs), `${s.outcome}${s.message ? `: ${s.message}` : ''}`));
      }
      out.push('');
    }
  }

  const integrity = r.groups.filter((g) => g.integrity);
  if (integrity.length) {
    out.push('### Data integrity (write ledger)', '');
    out.push(`| Scenario | ${INTEGRITY_KEYS.map((k) => columnHead(KNOWN.ledger[k])).join(' | ')} |`, `|---|${INTEGRITY_KEYS.map(() => '---:').join('|')}|`);
    for (const g of integrity) out.push(row(groupLabel(g), ...INTEGRITY_KEYS.map((k) => formatValue(g.integrity![k], KNOWN.ledger[k].format))));
    out.push('');
  }

  const latency = r.groups.filter(hasLatency);
  if (latency.length) {
    out.push('### Latency: baseline, with the fault, after rollback', '', LATENCY_NOTE, '');
    out.push(`| Scenario | ${LATENCY_HEAD.join(' | ')} |`, `|---|---|---|${LATENCY_HEAD.slice(2).map(() => '---:').join('|')}|`);
    for (const g of latency) for (const cells of latencyRows(g)) out.push(row(groupLabel(g), ...cells));
    out.push('');
  }

  const avail = r.groups.filter((g) => g.availability);
  if (avail.length) {
    out.push('### Availability during the rollback', '');
    out.push('| Scenario | requests | failed | error rate | downtime | longest failure run |', '|---|---:|---:|---:|---:|---:|');
    for (const g of avail) {
      const a = g.availability!;
      out.push(row(groupLabel(g), formatValue(a.total, 'count'), formatValue(a.failed, 'count'), formatValue(a.errorRate, 'percent'), formatValue(a.downtimeMs, 'ms'), formatValue(a.longestFailureRun, 'count')));
    }
    out.push('');
  }

  const others = r.groups.flatMap((g) => g.probes.filter((p) => !TABLED.has(p.probe)).map((p) => ({ g, p })));
  if (others.length) {
    out.push('### Other measurements', '');
    for (const { g, p } of others) {
      out.push(`- **${p.probe}** (${groupLabel(g)}): ${summaryRows(p.probe, p.summary).map((x) => `${x.label} ${cell(x.value, 120)}`).join(', ')}`);
    }
    out.push('');
  }

  const triggers = r.groups.flatMap((g) => g.triggers.map((t) => ({ g, t })));
  if (triggers.length) {
    out.push('### Automatic triggers', '');
    out.push('| Scenario | Trigger | Fired | Cleared | Detail |', '|---|---|---|---|---|');
    for (const { g, t } of triggers) out.push(row(groupLabel(g), t.trigger, isoTime(t.firedAt), isoTime(t.clearedAt), t.detail ?? ''));
    out.push('');
  }

  out.push('### Findings', '');
  if (r.findings.length === 0) out.push('_None recorded._', '');
  for (const kind of Object.keys(FINDING_KIND_TITLES) as FindingKind[]) {
    const rows = r.findingGroups[kind];
    if (!rows.length) continue;
    out.push(`#### ${FINDING_KIND_TITLES[kind]}`, '');
    out.push('| | Finding | Where | Source | Detail |', '|---|---|---|---|---|');
    for (const f of rows) {
      const mark = f.confirmed ? '🔴 confirmed' : f.provenance?.kind === 'declared' ? '📄 declared' : '⚪ not confirmed';
      const causes = causeLines(f.causes).map((c) => c.text);
      out.push(row(mark, `${f.title} (\`${f.id}\`)`, f.where.join(', '), provenanceText(f.provenance), [...f.details, ...causes].join(' · ')));
    }
    out.push('');
  }

  out.push('### Regressions vs history', '');
  if (!r.history) out.push('_No history to compare with._', '');
  else if (r.history.compared === 0) out.push(`_Nothing to compare with: no earlier ${r.run.profile} run measured the same scenarios${r.interruption ? ', or this run stopped before measuring' : ''}._`, '');
  else if (r.history.regressions.length === 0) out.push(`No regression against the median of the last ${r.history.compared} ${r.run.profile} run(s).`, '');
  else {
    out.push('| Scenario | Metric | Now | Median of previous | × |', '|---|---|---:|---:|---:|');
    for (const x of r.history.regressions)
      out.push(row(keyLabel(x.group), METRIC_LABEL[x.metric], fmtMs(x.current), `${fmtMs(x.median)} (${x.runs} runs)`, Number.isFinite(x.ratio) ? x.ratio.toFixed(2) : '∞'));
    out.push('');
  }

  if (r.logs.some((l) => l.level === 'error')) {
    out.push('### Errors logged', '');
    for (const l of r.logs.filter((x) => x.level === 'error').slice(0, 20)) out.push(`- ${isoTime(l.t)} (${l.group}): ${cell(l.message, MAX_CELL)}`);
    out.push('');
  }
  return out.join('\n');
}

/** ✅ passed, 🟠 failed as expected, ❌ failed unexpectedly, ❗ passed though expected to fail. */
export function criterionMark(c: Pick<CriterionReport, 'passed' | 'matches'>): string {
  if (c.matches) return c.passed ? '✅' : '🟠 expected';
  return c.passed ? '❗ unexpected pass' : '❌';
}

function expectedCell(c: Pick<CriterionReport, 'expected' | 'expectedBecause' | 'maskReason'>): string {
  return expectedText(c, (id) => `\`${id}\``);
}

/** A mismatch in the table: what it says in words, short; the whole text follows as a list. */
function shortCell(x: ExpectationRow): string {
  return cell(x.says ?? x.measured, 200);
}

/** Inline code without backticks inside it. */
function code(s: string): string {
  return s.replace(/`/g, "'").replace(/\r?\n/g, ' ').slice(0, 400);
}

function measuredCell(x: ExpectationRow): string {
  return x.evidence ? `${x.measured}: ${x.evidence}` : x.measured;
}

function groupMeta(g: GroupReport): string {
  const parts: string[] = [];
  if (g.method) parts.push(`${g.method} procedure`);
  if (g.budgetMs !== null) parts.push(`budget ${fmtMs(g.budgetMs)}`);
  if (g.durationMs !== null) parts.push(`took ${fmtMs(g.durationMs)}`);
  if (g.fault.name) {
    const eff = g.fault.effective === true ? 'took effect' : g.fault.effective === false ? 'did NOT take effect' : 'not verified';
    parts.push(`fault ${g.fault.name} ${eff}${g.fault.evidence ? ` (${cell(g.fault.evidence, 160)})` : ''}`);
  }
  return parts.length ? ` — ${parts.join(', ')}` : '';
}

function row(...cells: string[]): string {
  return `| ${cells.map((c) => cell(c, MAX_CELL)).join(' | ')} |`;
}

/** One table cell: no pipes, no newlines, no raw HTML, bounded length. */
export function cell(s: string, max: number): string {
  const flat = s
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Criteria whose outcome differs between the seed and hardened runs of the same scenario. */
export function variantDifferences(groups: readonly GroupReport[]): { scenario: string; id: string; seed: string; hardened: string }[] {
  const out: { scenario: string; id: string; seed: string; hardened: string }[] = [];
  const show = (c: GroupReport['criteria'][number] | undefined) => (c ? `${c.passed ? '✅' : '❌'} ${fmtMeasured(c.measured, c.unit)}` : 'not measured');
  for (const seed of groups.filter((g) => g.variant === 'seed' && g.scenario)) {
    const hardened = groups.find((g) => g.variant === 'hardened' && g.scenario === seed.scenario);
    if (!hardened) continue;
    for (const id of [...new Set([...seed.criteria, ...hardened.criteria].map((c) => c.id))]) {
      const a = seed.criteria.find((c) => c.id === id);
      const b = hardened.criteria.find((c) => c.id === id);
      if (a?.passed !== b?.passed) out.push({ scenario: seed.scenario!, id, seed: show(a), hardened: show(b) });
    }
  }
  return out;
}

// After the other default formats, so it names any that failed; its fallback is the verdicts table.
export default textFormat({ id: 'markdown', file: 'report.md', order: 90, fallback: renderVerdictsMarkdown, render: renderMarkdown });
