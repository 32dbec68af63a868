// Renders every report of a run from its journal into the run's folder and appends the run to
// history.jsonl. History rule: a run is appended once (by id) and only when at least one criterion
// was evaluated; a run aborted before any verdict measured nothing worth trending. Aborted and
// errored runs that are appended are kept out of the regression baseline (see compareWithHistory).
//
// Failure rule: the verdicts are written first (report.md from the verdict events alone), then each
// renderer runs on its own. One that throws is recorded (returned, and as a warning in the reports
// rendered after it) and the others still run; report.md keeps at least the verdicts table.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Journal, readJournal } from '../journal/journal.ts';
import { appendHistory, baselineSize, compareWithHistory, historyEntry, readHistory, type CompareOptions } from './history.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { makeDirs } from './folder.ts';
import { buildReport } from './build-report.ts';
import type { RunReport } from './model.ts';
import { type GroupSamples, loadSamples } from './samples.ts';
import { type RenderFailure, renderVerdictsMarkdown } from './verdicts-md.ts';

export type { RenderFailure } from './verdicts-md.ts';

export interface Renderers {
  json: (r: RunReport) => string;
  markdown: (r: RunReport) => string;
  html: (r: RunReport, samples: Map<string, GroupSamples>) => string;
  junit: (r: RunReport) => string;
}

export interface WriteOptions {
  /** history.jsonl to compare with and append to; default <outDir>/../history.jsonl; null: no history. */
  historyFile?: string | null;
  compare?: CompareOptions;
  generatedAt?: Date;
  /** Replaces renderers (tests make one throw to prove the verdicts and the other reports survive). */
  renderers?: Partial<Renderers>;
}

export interface ReportPaths {
  json: string;
  markdown: string;
  html: string;
  junit: string;
  /** The history file when this run was appended to it, else null. */
  history: string | null;
}

export interface WriteResult {
  /** Where each report goes; a file whose renderer failed (see failures) is not there. */
  paths: ReportPaths;
  report: RunReport;
  /** Renderers or stages that threw, in order; empty when every report was written. */
  failures: RenderFailure[];
}

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

const DEFAULT_RENDERERS: Renderers = { json: renderJson, markdown: renderMarkdown, html: renderHtml, junit: renderJunit };

export async function writeReports(journalFile: string, outDir: string, opts: WriteOptions = {}): Promise<WriteResult> {
  if (!existsSync(journalFile)) throw new ReportError(`journal not found: ${journalFile}`);
  const events = readJournal(journalFile);
  if (events.length === 0) throw new ReportError(`journal is empty: ${journalFile}`);
  makeDirs(outDir);
  const historyFile = opts.historyFile === undefined ? path.join(path.dirname(path.resolve(outDir)), 'history.jsonl') : opts.historyFile;
  const paths: ReportPaths = {
    json: path.join(outDir, 'report.json'),
    markdown: path.join(outDir, 'report.md'),
    html: path.join(outDir, 'report.html'),
    junit: path.join(outDir, 'junit.xml'),
    history: null,
  };
  const failures: RenderFailure[] = [];
  const fallback = () => writeAtomic(paths.markdown, renderVerdictsMarkdown(events, failures));
  // The verdicts are on disk before anything that could fail on size or on a bug runs.
  fallback();

  let report: RunReport;
  try {
    report = buildReport(events, opts.generatedAt ? { generatedAt: opts.generatedAt } : {});
  } catch (err) {
    failures.push({ what: 'model', message: oneLine(err) });
    fallback();
    throw new ReportError(`the report could not be built (${oneLine(err)}); ${paths.markdown} has the verdicts`);
  }
  const failed = (what: RenderFailure['what'], err: unknown) => {
    const f = { what, message: oneLine(err) };
    failures.push(f);
    // Reports rendered after this one say what is missing.
    report.warnings.push(`${what} could not be rendered: ${f.message}`);
  };

  if (historyFile) {
    try {
      const entry = historyEntry(report);
      const history = readHistory(historyFile);
      report.history = {
        compared: baselineSize(entry, history, opts.compare?.lastN),
        regressions: compareWithHistory(entry, history, opts.compare),
      };
      if (report.verdict.criteria.total > 0 && !history.some((h) => h.id === entry.id)) {
        appendHistory(historyFile, entry);
        paths.history = historyFile;
      }
    } catch (err) {
      failed('history', err);
    }
  }

  let samples = new Map<string, GroupSamples>();
  try {
    samples = await loadSamples(report, path.dirname(path.resolve(journalFile)));
  } catch (err) {
    failed('samples', err);
  }
  const r = { ...DEFAULT_RENDERERS, ...opts.renderers };
  // Most likely to fail first (the timeline reads the samples), so the later reports can name it.
  const jobs: [RenderFailure['what'], string, () => string][] = [
    ['report.html', paths.html, () => r.html(report, samples)],
    ['junit.xml', paths.junit, () => r.junit(report)],
    ['report.json', paths.json, () => r.json(report)],
    ['report.md', paths.markdown, () => r.markdown(report)],
  ];
  for (const [what, file, render] of jobs) {
    try {
      writeAtomic(file, render());
    } catch (err) {
      failed(what, err);
    }
  }
  // report.md failed: the verdicts-only file stays, now listing every failure.
  if (failures.some((f) => f.what === 'report.md')) fallback();
  return { paths, report, failures };
}

export interface RunReportsResult {
  /** Report files that were written (report.md always, unless even the verdicts could not be written). */
  written: string[];
  history: string | null;
  failures: RenderFailure[];
}

/**
 * writeReports for the CLI, which must exit with the verdicts' code whatever happens here: never
 * throws; each failure is one line on `out` and a journalled error (so the record says it too).
 */
export async function renderRunReports(journal: Journal, outDir: string, out: (line: string) => void, opts: WriteOptions = {}): Promise<RunReportsResult> {
  const note = (what: string, message: string) => {
    const md = existsSync(path.join(outDir, 'report.md')) ? '; report.md has the verdicts' : '';
    out(`rollback-drill: ${what} could not be rendered (${message})${md}`);
    try {
      journal.write({ type: 'log', level: 'error', message: `${what} could not be rendered: ${message}` });
    } catch {
      // the journal itself is unwritable: the line above is all there is
    }
  };
  let result: WriteResult | undefined;
  try {
    result = await writeReports(journal.file, outDir, opts);
  } catch (err) {
    note('the reports', oneLine(err));
  }
  for (const f of result?.failures ?? []) note(f.what, f.message);
  const candidates = result ? [result.paths.markdown, result.paths.html, result.paths.json, result.paths.junit] : ['report.md', 'report.html', 'report.json', 'junit.xml'].map((f) => path.join(outDir, f));
  return { written: candidates.filter((f) => existsSync(f)), history: result?.paths.history ?? null, failures: result?.failures ?? [] };
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const line = msg.split('\n')[0]!;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

// A reader (CI uploading artifacts, a person refreshing the page) never sees half a file.
function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
