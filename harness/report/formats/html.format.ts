// report.html: one self-contained page (inline CSS and SVG, no script, no fonts, no network; a CSP
// forbids any fetch) that a person opens after a drill: verdict, timelines, criteria, steps, findings.
import type { CriterionReport, ExpectationRow, GroupReport, RunReport } from '../model.ts';
import { fmtMeasured, fmtMs, groupLabel, isoTime, keyLabel } from '../display.ts';
import { type GroupSamples, emptySamples } from '../samples.ts';
import { formatValue, summaryRows } from '../summaries.ts';
import { esc, hasTimeline, renderTimeline } from '../timeline.ts';
import { textFormat } from '../renderer.ts';
import { causeLines, evidenceParts, expectedText, provenanceText, scoreText } from '../explain.ts';
import { FINDING_KIND_TITLES } from '../finding-groups.ts';
import { LATENCY_HEAD, LATENCY_NOTE, hasLatency, latencyRows } from '../latency-table.ts';
import type { Causes, FindingKind } from '../../model/journal-events.ts';

const CSS = `
:root { color-scheme: light; --ok:#1a7f37; --bad:#cf222e; --warn:#bf8700; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.verdict { padding: 12px 16px; border-radius: 6px; font-weight: 600; border: 1px solid; }
.verdict.passed { background: #dafbe1; border-color: var(--ok); } .verdict.failed, .verdict.error { background: #ffebe9; border-color: var(--bad); }
.verdict.aborted { background: #fff8c5; border-color: var(--warn); }
.meta { color: var(--muted); margin: 6px 0; display: flex; flex-wrap: wrap; gap: 2px 14px; } .meta span { white-space: nowrap; }
/* A sentence in the run line (why kind was not used, the score's cap) wraps like text. */
.meta span.text { white-space: normal; overflow-wrap: anywhere; }
.warn { background: #fff8c5; border-left: 4px solid var(--warn); padding: 6px 10px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
/* Every table's last column is its long text (evidence, message, detail): it may break anywhere, so the table fits the page. */
td:last-child { overflow-wrap: anywhere; }
th { background: var(--bg); } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failed td, tr.over td { background: #fff5f5; } tr.interrupted td { background: #fffbe6; }
tr.expected-failure td { background: #fff8e6; } tr.unexpected-pass td { background: #ffebe9; font-weight: 600; }
.mismatch { background: #ffebe9; border: 2px solid var(--bad); border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); background: var(--bg); }
.badge.passed { color: var(--ok); border-color: var(--ok); } .badge.failed { color: var(--bad); border-color: var(--bad); }
.badge.aborted, .badge.not-evaluated { color: var(--warn); border-color: var(--warn); }
.timeline { display: block; background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
.timeline text { font-size: 10px; fill: #1f2328; } .timeline .tick { fill: var(--muted); } .timeline .lane-label { font-weight: 600; fill: var(--muted); }
.av.up { fill: #2da44e; } .av.down { fill: #cf222e; } .av.mixed { fill: #d4a72c; }
.grid { stroke: #eaeef2; } .axis { stroke: #8c959f; }
.lat-av { fill: none; stroke: #0969da; stroke-width: 1.2; } .lat-load { fill: none; stroke: #8250df; stroke-width: 1; stroke-dasharray: 3 2; }
.budget { fill: #f6f8fa; stroke: #8c959f; stroke-dasharray: 3 2; }
.step.ok { fill: #2da44e; } .step.over { fill: #d4a72c; } .step.failed { fill: #cf222e; } .step.interrupted { fill: #bf8700; }
.step.skipped, .step.aborted { fill: #afb8c1; }
.phase { fill: #ddf4ff; stroke: #54aeff; } .bar-label { font-size: 9px; }
.mark { stroke-width: 1.5; } .mark.fault { stroke: #cf222e; } .mark.fault-effective { stroke: #cf222e; stroke-dasharray: 4 2; }
.mark.fault-clear { stroke: #57606a; stroke-dasharray: 2 2; } .mark.switch { stroke: #0969da; } .mark.trigger { stroke: #8250df; stroke-dasharray: 4 2; }
.mark.marker { stroke: #57606a; } .mark-label { font-weight: 600; } .mark-label.fault, .mark-label.fault-effective { fill: #cf222e; } .mark-label.trigger { fill: #8250df; } .mark-label.switch { fill: #0969da; }
.mk { font-weight: 700; } .mk.passed { color: var(--ok); } .mk.failed, .mk.error { color: var(--bad); } .mk.aborted { color: var(--warn); }
b.over { color: var(--warn); } .lat-fail { fill: #cf222e; }
.legend { font-size: 12px; color: var(--muted); } .legend i { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 10px; vertical-align: middle; }
details summary { cursor: pointer; color: var(--muted); }
details.cut > summary { color: inherit; } details.cut > summary i { color: var(--muted); font-style: normal; white-space: nowrap; }
details.cut[open] > summary .head { display: none; } details.cut[open] > summary i::before { content: "hide: "; }
dl.kv { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0 12px; font-size: 13px; }
dl.kv div { border: 1px solid var(--line); border-radius: 4px; padding: 2px 8px; max-width: 100%; overflow-wrap: anywhere; }
dl.kv dt { display: inline; color: var(--muted); } dl.kv dt::after { content: ": "; } dl.kv dd { display: inline; margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
ul.why { margin: 4px 0 0; padding-left: 18px; } ul.why li { overflow-wrap: anywhere; } ul.why li.cause code { white-space: pre-wrap; }
.prov { font-size: 12px; color: var(--muted); } .prov.declared { color: var(--warn); }
`;

/** A measured value or budget: a number stays on one line, right-aligned; a sentence wraps. */
function valueCell(text: string): string {
  return text.length <= 24 ? `<td class="num">${esc(text)}</td>` : `<td>${esc(text)}</td>`;
}

/** A cell's text; past `max` characters its head, and the whole text a click away (nothing is cut for good). */
function long(text: string, max = 320): string {
  if (text.length <= max) return esc(text);
  return expandable(`${text.slice(0, 240).trimEnd()}…`, text);
}

/** `shown` with `full` in a details element: closed it reads as `shown`, open as the whole. */
function expandable(shown: string, full: string): string {
  return `<details class="cut"><summary><span class="head">${esc(shown)}</span> <i>(all ${full.length} characters)</i></summary>${esc(full)}</details>`;
}

// Plain text marks, not emoji: emoji fonts are often missing (CI browsers, servers), these never are.
const MARK: Record<string, string> = { passed: '✓', failed: '✗', aborted: '■', error: '✗', 'not-evaluated': '–' };
const mark = (status: string) => `<span class="mk ${esc(status)}">${MARK[status] ?? ''}</span>`;

const LEGEND = `<div class="legend">
<i style="background:#2da44e"></i>up <i style="background:#cf222e"></i>down <i style="background:#d4a72c"></i>mixed / over budget
<i style="background:#0969da"></i>latency of served requests <i style="background:#cf222e;border-radius:5px"></i>failed request <i style="background:#8250df"></i>latency (load)
<i style="background:#f6f8fa;border:1px dashed #8c959f"></i>step budget <i style="background:#cf222e;width:2px"></i>fault
<i style="background:#0969da;width:2px"></i>selector switch</div>`;

export function renderHtml(r: RunReport, samples: ReadonlyMap<string, GroupSamples> = new Map()): string {
  const b: string[] = [];
  const title = `Rollback drill ${r.verdict.status.toUpperCase()}: ${r.run.profile} on ${r.run.platform}`;
  b.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  // Nothing may be fetched: no scripts, fonts, images or frames from anywhere.
  b.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  b.push(`<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>`);
  b.push(`<h1>${mark(r.verdict.status)} ${esc(title)}</h1>`);
  b.push(`<div class="verdict ${esc(r.verdict.status)}" id="verdict">${esc(r.verdict.headline)}</div>`);
  b.push(
    `<p class="meta"><span>run <code>${esc(r.run.id)}</code></span>${r.run.target ? `<span class="text">target <code>${esc(r.run.target.name)}</code> (${esc(r.run.target.description)})</span>` : ''}<span>started ${esc(isoTime(r.run.startedAt))}</span><span>${
      r.run.durationMs !== null ? `took ${esc(fmtMs(r.run.durationMs))}` : 'no end recorded'
    }</span><span>exit code ${r.run.exitCode ?? '–'}</span><span class="text">platform ${esc(r.run.platform)}${r.run.platformReason ? ` (${esc(r.run.platformReason)})` : ''}</span>${
      r.resilienceScore !== null ? `<span class="text">resilience score ${esc(scoreText(r) ?? '')}</span>` : ''
    }<span>criteria ${r.verdict.criteria.passed}/${r.verdict.criteria.total}</span><span>steps ok ${r.verdict.steps.ok}/${r.verdict.steps.total}, over budget ${r.verdict.steps.overBudget}</span></p>`,
  );
  for (const w of r.warnings) b.push(`<div class="warn">${esc(w)}</div>`);
  b.push(expectationsHtml(r));

  if (r.interruption) {
    b.push('<h2>Interrupted</h2>');
    b.push(`<p>The run stopped at ${esc(isoTime(r.interruption.lastEventAt))}: ${esc(r.run.reason ?? 'interrupted')}.</p><ul>`);
    for (const p of r.interruption.inProgress) b.push(`<li>in progress: <b>${esc(p.step)}</b> (${esc(p.procedure)}, ${esc(p.group)})</li>`);
    b.push(`<li>steps done: ${r.interruption.stepsDone.length ? r.interruption.stepsDone.map((s) => esc(`${s.step} (${s.group})`)).join('; ') : 'none'}</li></ul>`);
  }

  b.push(regressions(r));

  for (const g of r.groups) b.push(groupSection(g, samples.get(g.key) ?? emptySamples()));

  b.push('<h2>Findings</h2>');
  if (!r.findings.length) b.push('<p>None recorded.</p>');
  for (const kind of Object.keys(FINDING_KIND_TITLES) as FindingKind[]) {
    const rows = r.findingGroups[kind];
    if (!rows.length) continue;
    b.push(`<h3>${esc(FINDING_KIND_TITLES[kind])}</h3><table class="findings" id="findings-${kind}"><tr><th></th><th>Finding</th><th>Where</th><th>Detail</th></tr>`);
    for (const f of rows) {
      const badge = f.confirmed ? '<span class="badge failed">confirmed</span>' : f.provenance?.kind === 'declared' ? '<span class="badge">declared</span>' : '<span class="badge">not confirmed</span>';
      const detail = f.details.length === 1 ? long(f.details[0]!) : `<ul class="why">${f.details.map((d) => `<li>${long(d)}</li>`).join('')}</ul>`;
      b.push(
        `<tr class="${f.confirmed ? 'confirmed' : 'unconfirmed'}"><td>${badge}</td><td>${esc(f.title)} <code>${esc(f.id)}</code><br>${provenanceHtml(f.provenance)}</td><td>${esc(f.where.join(', '))}</td><td>${detail}${causesHtml(f.causes)}</td></tr>`,
      );
    }
    b.push('</table>');
  }

  const logs = r.logs.slice(0, 50);
  if (logs.length) {
    b.push(`<details><summary>${r.logs.length} warning/error log line(s)</summary><ul>`);
    for (const l of logs) b.push(`<li>${esc(isoTime(l.t))} ${esc(l.level)} (${esc(l.group)}): ${esc(l.message)}</li>`);
    b.push('</ul></details>');
  }
  b.push(`<footer>report schema v${r.schemaVersion}, generated ${esc(r.generatedAt)} from the run's journal.</footer>`);
  b.push('</main></body></html>\n');
  return b.join('\n');
}

function groupSection(g: GroupReport, s: GroupSamples): string {
  const b: string[] = [];
  const heading = g.scenario === null ? 'Run level (outside any scenario)' : `${groupLabel(g)} <span class="badge ${esc(g.status)}">${esc(g.status)}</span>`;
  b.push(`<section class="group" data-group="${esc(g.key)}"><h2>${g.scenario === null ? esc(heading) : heading.replace(groupLabel(g), esc(groupLabel(g)))}</h2>`);
  const meta: string[] = [];
  if (g.method) meta.push(`${g.method} procedure`);
  if (g.validation) meta.push(`validation: ${g.validation}`);
  if (g.budgetMs !== null) meta.push(`budget ${fmtMs(g.budgetMs)}`);
  if (g.durationMs !== null) meta.push(`took ${fmtMs(g.durationMs)}`);
  if (g.metrics.timeToRestoreMs !== null) meta.push(`time to restore ${fmtMs(g.metrics.timeToRestoreMs)} (${g.metrics.timeToRestoreSource})`);
  if (meta.length) b.push(`<p class="meta">${meta.map((m) => `<span>${esc(m)}</span>`).join('')}</p>`);
  if (g.fault.name) {
    const eff = g.fault.effective === true ? 'took effect' : g.fault.effective === false ? 'did NOT take effect' : 'was not verified';
    b.push(`<p>Fault <b>${esc(g.fault.name)}</b> ${eff}${g.fault.evidence ? `: ${esc(g.fault.evidence)}` : ''}</p>`);
  }
  if (hasTimeline(g, s)) {
    if (s.availability.count || g.steps.length) b.push(LEGEND);
    b.push(renderTimeline(g, s));
    if (s.missing.length) b.push(`<div class="warn">sample file(s) not found: ${esc(s.missing.join(', '))}</div>`);
    if (s.skipped) b.push(`<div class="warn">${s.skipped} sample line(s) unreadable, left out of the timeline</div>`);
  }

  if (g.criteria.length) {
    b.push('<h3>Success criteria</h3><table class="criteria"><tr><th></th><th>Criterion</th><th>Expected</th><th>Measured</th><th>Budget</th><th>Evidence</th></tr>');
    for (const c of g.criteria)
      b.push(
        `<tr class="${criterionClass(c)}"><td>${criterionMark(c)}</td><td>${esc(c.title)} <code>${esc(c.id)}</code></td><td>${expectedHtml(c)}</td>${valueCell(fmtMeasured(c.measured, c.unit))}${valueCell(fmtMeasured(c.budget, c.unit))}<td>${long(c.evidence)}</td></tr>`,
      );
    b.push('</table>');
  }
  if (hasLatency(g)) {
    // The load column is the long text here: it may wrap; the numbers stay on one line each.
    b.push(`<h3>Load and latency</h3><p>${esc(LATENCY_NOTE)}</p><table class="latency"><tr>${LATENCY_HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`);
    for (const [phase, load, ...nums] of latencyRows(g)) b.push(`<tr><td>${esc(phase!)}</td><td>${esc(load!)}</td>${nums.map((x) => `<td class="num">${esc(x)}</td>`).join('')}</tr>`);
    b.push('</table>');
  }
  if (g.steps.length) {
    b.push('<h3>Steps vs budgets</h3><table class="steps"><tr><th>#</th><th>Procedure</th><th>Step</th><th>Outcome</th><th>Took</th><th>Budget</th><th>Message</th></tr>');
    for (const st of g.steps) {
      const cls = st.overBudget && st.outcome === 'ok' ? 'over' : st.outcome;
      b.push(
        `<tr class="${esc(cls)}"><td class="num">${st.index + 1}</td><td>${esc(st.procedure)}</td><td>${esc(st.step)}</td><td>${esc(st.outcome)}${st.overBudget ? ' <b class="over">over budget</b>' : ''}</td><td class="num">${esc(
          fmtMs(st.durationMs),
        )}</td><td class="num">${esc(fmtMs(st.budgetMs))}</td><td>${long(st.message)}</td></tr>`,
      );
    }
    b.push('</table>');
  }
  for (const p of g.probes) {
    const rows = summaryRows(p.probe, p.summary);
    if (!rows.length) continue;
    const phase = p.probe === 'load' ? ` (${p.summary.phase})` : '';
    b.push(`<h3>${esc(p.probe)}${esc(phase)}</h3><dl class="kv probe">${rows.map((x) => `<div><dt>${esc(x.label)}</dt><dd>${x.full ? expandable(x.value, x.full) : esc(x.value)}</dd></div>`).join('')}</dl>`);
  }
  if (g.triggers.length) {
    b.push('<h3>Automatic triggers</h3><table class="triggers"><tr><th>Trigger</th><th>Fired</th><th>Cleared</th><th>Detail</th></tr>');
    for (const t of g.triggers) b.push(`<tr><td>${esc(t.trigger)}</td><td>${esc(isoTime(t.firedAt))}</td><td>${esc(isoTime(t.clearedAt))}</td><td>${long(t.detail ?? '')}</td></tr>`);
    b.push('</table>');
  }
  b.push('</section>');
  return b.join('\n');
}

function regressions(r: RunReport): string {
  if (!r.history) return '';
  const h = r.history;
  if (h.compared === 0)
    return `<h2>Regressions vs history</h2><p>Nothing to compare with: no earlier ${esc(r.run.profile)} run measured the same scenarios${r.interruption ? ', or this run stopped before measuring' : ''}.</p>`;
  if (!h.regressions.length) return `<h2>Regressions vs history</h2><p>No regression against the median of the last ${h.compared} ${esc(r.run.profile)} run(s).</p>`;
  const rows = h.regressions
    .map(
      (x) =>
        `<tr class="failed"><td>${esc(keyLabel(x.group))}</td><td>${esc(x.metric)}</td><td class="num">${esc(fmtMs(x.current))}</td><td class="num">${esc(fmtMs(x.median))} (${x.runs} runs)</td><td class="num">${
          Number.isFinite(x.ratio) ? x.ratio.toFixed(2) : '∞'
        }×</td></tr>`,
    )
    .join('');
  return `<h2>Regressions vs history</h2><table id="regressions"><tr><th>Scenario</th><th>Metric</th><th>Now</th><th>Median of previous</th><th>Ratio</th></tr>${rows}</table>`;
}

// Criteria and checks against their expected outcome: the seed runbook's declared defects fail as
// expected (amber); a mismatch (unexpected failure or pass) is what fails the gate (red, on top).
function criterionClass(c: Pick<CriterionReport, 'passed' | 'matches'>): string {
  if (c.matches) return c.passed ? 'passed' : 'expected-failure';
  return c.passed ? 'unexpected-pass' : 'failed';
}

function criterionMark(c: Pick<CriterionReport, 'passed' | 'matches'>): string {
  if (c.matches) return c.passed ? mark('passed') : '<span class="mk aborted" title="failed as expected">✗</span>';
  return c.passed ? '<span class="mk failed" title="passed, expected to fail">!</span>' : mark('failed');
}

/** Where a statement comes from; a declaration is marked so it never reads as a measurement. */
function provenanceHtml(p: Parameters<typeof provenanceText>[0]): string {
  return `<span class="prov ${esc(p?.kind ?? 'measured')}">${esc(provenanceText(p))}</span>`;
}

/** The failing answers, telling log lines (linked to the full log) and the fix, as a list. */
function causesHtml(c: Causes | null): string {
  const lines = causeLines(c);
  if (!lines.length) return '';
  return `<ul class="why">${lines
    .map((l) => `<li class="cause">${l.kind === 'fix' ? esc(l.text) : `${esc(l.kind)}: <code>${esc(l.text)}</code>`}${l.file ? ` <a href="${esc(l.file)}">full log</a>` : ''}</li>`)
    .join('')}</ul>`;
}

/** A mismatch's measured cell: its words, and the whole evidence and causes a click away. */
function whyHtml(x: ExpectationRow): string {
  const whole = x.evidence ? `${x.measured}: ${x.evidence}` : x.measured;
  const parts = evidenceParts(whole);
  return `${esc(x.says ?? (whole.length > 240 ? `${whole.slice(0, 240)}…` : whole))}<details class="cut parts"><summary><i>(what was measured: ${parts.length} part(s))</i></summary><ul class="why">${parts
    .map((p) => `<li>${esc(p)}</li>`)
    .join('')}</ul></details>${causesHtml(x.causes)}`;
}

function expectedHtml(c: Pick<CriterionReport, 'passed' | 'matches' | 'expected' | 'expectedBecause' | 'maskReason'>): string {
  if (c.expected === 'pass') return expectedText({ ...c, maskReason: c.maskReason === null ? null : esc(c.maskReason) }, (id) => `<code>${esc(id)}</code>`);
  const why = `fail (finding <code>${esc(c.expectedBecause ?? '?')}</code>)`;
  return c.passed ? `${why} <span class="badge failed">unexpectedly passed: remove the expectation, the runbook was fixed</span>` : why;
}

function expectationsHtml(r: RunReport): string {
  const b: string[] = [];
  const { unexpectedPasses, unexpectedFailures, expectedFailures } = r.expectations;
  const measured = (x: ExpectationRow) => long(x.evidence ? `${x.measured}: ${x.evidence}` : x.measured);
  if (unexpectedPasses.length + unexpectedFailures.length) {
    b.push(`<div class="mismatch" id="mismatches"><h2>Verdicts that do not match their expectations</h2><table><tr><th></th><th>Scenario</th><th>Check</th><th>Expected</th><th>Measured</th></tr>`);
    for (const x of unexpectedPasses)
      b.push(`<tr class="unexpected-pass"><td>unexpectedly passed</td><td>${esc(keyLabel(x.group))}</td><td>${esc(x.title)} <code>${esc(x.id)}</code></td><td>fail (finding <code>${esc(x.finding ?? '?')}</code>): remove the expectation, the runbook was fixed</td><td>${measured(x)}</td></tr>`);
    for (const x of unexpectedFailures)
      b.push(`<tr class="failed"><td>${mark('failed')}</td><td>${esc(keyLabel(x.group))}</td><td>${esc(x.title)} <code>${esc(x.id)}</code></td><td>pass</td><td>${whyHtml(x)}</td></tr>`);
    b.push('</table></div>');
  }
  if (expectedFailures.length) {
    b.push('<h2>Expected failures (seed runbook as written)</h2><p>Known defects of the runbook, each declared next to the finding that explains it; they must fail (one that passes fails the run).</p>');
    b.push('<table id="expected-failures"><tr><th>Scenario</th><th>Check</th><th>Finding</th><th>Measured</th></tr>');
    for (const x of expectedFailures)
      b.push(`<tr class="expected-failure"><td>${esc(keyLabel(x.group))}</td><td>${esc(x.title)} <code>${esc(x.id)}</code></td><td>${esc(x.findingTitle ?? '')} <code>${esc(x.finding ?? '?')}</code></td><td>${measured(x)}</td></tr>`);
    b.push('</table>');
  }
  return b.join('\n');
}

// First: the timeline reads the samples, so it is the likeliest to fail, and the later reports name it.
export default textFormat({ id: 'html', file: 'report.html', order: 10, render: (r, ctx) => renderHtml(r, ctx.samples) });
