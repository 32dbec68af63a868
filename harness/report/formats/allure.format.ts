// `--allure`: the drill's tests come as Allure results from allure-vitest; this adds one result per
// scenario × variant with the procedure steps from the journal (name, outcome, timing) and the
// journal and report.html attached, then renders the Allure HTML report with the `allure` CLI. An
// optional format: rendered only when asked for (`--allure`), after every other format.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { readJournal } from '../../journal/journal.ts';
import { REPO_ROOT } from '../../kit/repo.ts';
import { defineFormat } from '../renderer.ts';

export interface AllureOptions {
  resultsDir: string;
  outDir: string;
  /** Files attached to every procedure result (journal, report.html). */
  attach: string[];
  out(line: string): void;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.jsonl': 'application/x-ndjson', '.json': 'application/json', '.md': 'text/markdown' };

/** Writes the procedure results; returns how many. */
export function writeProcedureResults(journalFile: string, resultsDir: string, attach: string[]): number {
  mkdirSync(resultsDir, { recursive: true });
  const attachments = attach.filter((f) => existsSync(f)).map((f) => {
    const source = `${randomUUID()}-attachment${path.extname(f)}`;
    copyFileSync(f, path.join(resultsDir, source));
    return { name: path.basename(f), source, type: TYPES[path.extname(f)] ?? 'text/plain' };
  });
  const groups = new Map<string, ReturnType<typeof readJournal>>();
  for (const e of readJournal(journalFile)) {
    if (!e.scenario) continue;
    const key = `${e.scenario} (${e.variant ?? '-'})`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const [key, events] of groups) {
    const steps = events.flatMap((e) =>
      e.type === 'step.end'
        ? [{ name: `${e.procedure}: ${e.step} (budget ${e.budgetMs} ms)`, status: e.outcome === 'ok' ? 'passed' : 'failed', stage: 'finished', start: e.startedAt, stop: e.startedAt + e.durationMs, statusDetails: e.message ? { message: e.message } : {}, steps: [], attachments: [], parameters: [] }]
        : [],
    );
    const verdicts = events.filter((e) => e.type === 'verdict');
    const failed = steps.some((s) => s.status !== 'passed') || verdicts.some((v) => v.type === 'verdict' && !v.passed);
    const uuid = randomUUID();
    writeFileSync(
      path.join(resultsDir, `${uuid}-result.json`),
      JSON.stringify({
        uuid,
        historyId: `procedure ${key}`,
        name: `procedure steps: ${key}`,
        fullName: `rollback-drill: procedure steps: ${key}`,
        status: failed ? 'failed' : 'passed',
        stage: 'finished',
        start: events[0]!.t,
        stop: events[events.length - 1]!.t,
        steps,
        attachments,
        parameters: [],
        labels: [
          { name: 'suite', value: 'procedures' },
          { name: 'feature', value: key },
        ],
        links: [],
      }),
    );
  }
  return groups.size;
}

/** Renders the HTML report; returns its index.html, or undefined (with a line saying why). */
export async function generateAllureReport(o: AllureOptions & { journalFile?: string }): Promise<string | undefined> {
  const journal = o.journalFile ?? o.attach.find((f) => f.endsWith('.jsonl'));
  if (journal) writeProcedureResults(journal, o.resultsDir, o.attach);
  // The package exports no CLI entry; its bin script sits at the package root.
  const cli = path.join(REPO_ROOT, 'node_modules', 'allure', 'cli.js');
  if (!existsSync(cli)) {
    o.out('rollback-drill: --allure: the `allure` package is not installed (npm ci installs it); results are in ' + o.resultsDir);
    return undefined;
  }
  o.out('rollback-drill: generating the Allure report…');
  const r = await execa(process.execPath, [cli, 'generate', o.resultsDir, '--output', o.outDir], { reject: false, timeout: 180_000, all: true });
  const index = path.join(o.outDir, 'index.html');
  if (r.exitCode !== 0 || !existsSync(index)) {
    o.out(`rollback-drill: --allure: report generation failed (exit ${String(r.exitCode)}): ${(r.all ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    return undefined;
  }
  return index;
}

/** Where allure-vitest writes the drill tests' results in the run folder (the CLI points its reporter there). */
export const ALLURE_RESULTS = 'allure-results';

export default defineFormat({
  id: 'allure',
  files: ['allure-report/index.html'],
  order: 100,
  optional: true,
  async render(_report, ctx) {
    const index = await generateAllureReport({
      resultsDir: path.join(ctx.outDir, ALLURE_RESULTS),
      outDir: path.join(ctx.outDir, 'allure-report'),
      attach: [ctx.journalFile, ...ctx.written.filter((p) => p.endsWith('.html'))],
      out: (line) => ctx.out(line),
    });
    return index ? [index] : [];
  },
});
