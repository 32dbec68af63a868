// Builds the report model (model.ts) from a run's journal and nothing else: the events in time
// order, folded per scenario × variant (group-report.ts), then the run's verdict, expectations,
// warnings and interruption. The result is redacted once more before any renderer sees it.
import type { JournalEvent, RunStatus } from '../model/journal-events.ts';
import { Redactor } from '../journal/redact.ts';
import { expectationRows } from './expectation-rows.ts';
import { GroupBuilder } from './group-report.ts';
import { groupFindings } from './finding-groups.ts';
import { headline } from './headline.ts';
import { capScore, premiseChecks } from './score-cap.ts';
import { interruptionOf } from './interruption.ts';
import { type BuildOptions, type FindingReport, type RunReport, SCHEMA_VERSION } from './model.ts';

export function buildReport(events: JournalEvent[], opts: BuildOptions = {}): RunReport {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e);
  const start = sorted.find((e) => e.type === 'run.start');
  const end = [...sorted].reverse().find((e) => e.type === 'run.end');
  const groups = new Map<string, GroupBuilder>();
  const group = (e: JournalEvent): GroupBuilder => {
    const key = e.scenario ? `${e.scenario}/${e.variant ?? 'default'}` : 'run';
    let g = groups.get(key);
    if (!g) {
      g = new GroupBuilder(key, e.scenario ?? null, e.scenario ? (e.variant ?? 'default') : null);
      groups.set(key, g);
    }
    return g;
  };

  const findings: FindingReport[] = [];
  const logs: RunReport['logs'] = [];
  const artifacts: RunReport['artifacts'] = [];
  let runScore: number | null = null;

  const unknown: string[] = [];
  for (const e of sorted) {
    if (e.type === 'run.start' || e.type === 'run.end') continue;
    if (e.type === 'unknown') {
      // A line that does not match its schema is reported, never read as data.
      unknown.push(`journal line ${e.line}${e.scenario ? ` (${e.scenario}/${e.variant ?? 'default'})` : ''}: ${e.problem}`);
      continue;
    }
    const g = group(e);
    g.add(e);
    if (e.type === 'finding') findings.push(g.findings.at(-1)!);
    if (e.type === 'log' && e.level !== 'info') logs.push({ t: e.t, level: e.level, message: e.message, group: g.key });
    if (e.type === 'artifact') artifacts.push({ kind: e.kind, path: e.path, group: g.key });
  }

  // Interrupted: killed before writing run.end, or stopped (SIGINT) and said so in run.end.
  const aborted = !end || end.status === 'aborted';
  const lastEventAt = sorted.at(-1)?.t ?? null;
  const built = [...groups.values()].map((g) => g.build(aborted, lastEventAt));
  // Scenario groups in the order they ran; the run-level group (if any) last.
  built.sort((a, b) => (a.scenario === null ? 1 : 0) - (b.scenario === null ? 1 : 0) || (a.startedAt ?? 0) - (b.startedAt ?? 0));
  const runGroup = built.find((g) => g.scenario === null);
  if (runGroup) runScore = runGroup.metrics.score;
  const scoredGroups = built.filter((g) => g.scenario !== null && g.metrics.score !== null);
  // Without a run-level score, the weakest scenario's score stands for the run (a chain is as strong as its weakest link).
  const uncapped = runScore ?? (scoredGroups.length > 0 ? Math.min(...scoredGroups.map((g) => g.metrics.score!)) : null);
  const { score: resilienceScore, cap: scoreCap } = capScore(uncapped, built);

  const status: RunStatus = end?.status ?? 'aborted';
  const allCriteria = built.flatMap((g) => g.criteria.map((c) => ({ g, c })));
  const failedCriteria = allCriteria.filter((x) => !x.c.passed);
  const expectations = expectationRows(built, findings);
  const mismatchCount = expectations.unexpectedPasses.length + expectations.unexpectedFailures.length;
  const allSteps = built.flatMap((g) => g.steps);
  const stepCounts = {
    total: allSteps.length,
    ok: allSteps.filter((s) => s.outcome === 'ok').length,
    failed: allSteps.filter((s) => s.outcome === 'failed').length,
    overBudget: allSteps.filter((s) => s.overBudget).length,
    notRun: allSteps.filter((s) => s.outcome === 'skipped' || s.outcome === 'aborted' || s.outcome === 'interrupted').length,
  };

  const warnings: string[] = [];
  if (status === 'passed' && mismatchCount > 0) {
    warnings.push(`run.end says passed, but ${mismatchCount} verdict(s)/check(s) do not match their expected outcome`);
  }
  if (status === 'passed' && allCriteria.length === 0) warnings.push('run.end says passed, but no criterion was evaluated');
  for (const g of built) {
    if (g.fault.effective === false) warnings.push(`${g.key}: fault ${g.fault.name} did not take effect`);
    if (g.fault.injectedAt !== null && g.fault.effective === null) warnings.push(`${g.key}: fault ${g.fault.name} injected but never verified`);
  }
  if (!start) warnings.push('journal has no run.start event');
  for (const u of unknown.slice(0, 10)) warnings.push(`${u}; left out of the report`);
  if (unknown.length > 10) warnings.push(`${unknown.length - 10} more journal line(s) that match no event schema left out of the report`);

  const interruption = aborted ? interruptionOf(built, lastEventAt) : null;

  const startedAt = start?.t ?? sorted[0]?.t ?? null;
  const endedAt = end?.t ?? null;
  const report: RunReport = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: (opts.generatedAt ?? new Date()).toISOString(),
    run: {
      id: start?.runId ?? 'unknown',
      profile: start?.profile ?? 'unknown',
      platform: start?.platform ?? 'unknown',
      platformReason: start?.platformReason ?? null,
      target: start?.target ?? null,
      scenarios: start?.scenarios ?? [],
      variants: start?.variants ?? [],
      startedAt,
      endedAt,
      durationMs: startedAt !== null && endedAt !== null ? endedAt - startedAt : null,
      status,
      exitCode: end?.exitCode ?? null,
      reason: end?.reason ?? (end ? null : 'interrupted: the journal ends without run.end'),
      host: start?.host ?? null,
      config: scalarConfig(start?.config ?? {}),
    },
    verdict: {
      passed: status === 'passed',
      status,
      headline: headline({
        status,
        endReason: end?.reason,
        total: allCriteria.length,
        failed: failedCriteria,
        steps: stepCounts,
        interruption,
        expectations,
        mismatchCount,
        groupsRun: built.filter((g) => g.scenario !== null).length,
        premises: premiseChecks(built),
      }),
      matchesExpectations: mismatchCount === 0,
      criteria: {
        total: allCriteria.length,
        passed: allCriteria.length - failedCriteria.length,
        failed: failedCriteria.length,
        expectedFailures: allCriteria.filter((x) => x.c.expected === 'fail' && x.c.matches).length,
        mismatched: allCriteria.filter((x) => !x.c.matches).length,
      },
      steps: stepCounts,
    },
    interruption,
    resilienceScore,
    expectations,
    groups: built,
    findings,
    findingGroups: groupFindings(findings),
    scoreCap,
    logs,
    artifacts,
    warnings,
    history: null,
  };
  // The journal is already redacted; this second pass guards what the report derives from it.
  return new Redactor().value(report);
}

const CONFIG_DROP = /(env|secret|password|token|key|credential|url)/i;
function scalarConfig(config: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(config)) {
    if (CONFIG_DROP.test(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
