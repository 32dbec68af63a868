// Renders every report of a run from its journal into the run's folder and appends the run to
// history.jsonl. History rule: a run is appended once (by id) and only when at least one criterion
// was evaluated; a run aborted before any verdict measured nothing worth trending. Aborted and
// errored runs that are appended are kept out of the regression baseline (see compareWithHistory).
import { existsSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJournal } from '../journal/journal.ts';
import { appendHistory, baselineSize, compareWithHistory, historyEntry, readHistory, type CompareOptions } from './history.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { buildReport, type RunReport } from './model.ts';
import { loadSamples } from './samples.ts';

export interface WriteOptions {
  /** history.jsonl to compare with and append to; default <outDir>/../history.jsonl; null: no history. */
  historyFile?: string | null;
  compare?: CompareOptions;
  generatedAt?: Date;
}

export interface ReportPaths {
  json: string;
  markdown: string;
  html: string;
  junit: string;
  /** The history file when this run was appended to it, else null. */
  history: string | null;
}

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

export function writeReports(journalFile: string, outDir: string, opts: WriteOptions = {}): { paths: ReportPaths; report: RunReport } {
  if (!existsSync(journalFile)) throw new ReportError(`journal not found: ${journalFile}`);
  const events = readJournal(journalFile);
  if (events.length === 0) throw new ReportError(`journal is empty: ${journalFile}`);
  const report = buildReport(events, opts.generatedAt ? { generatedAt: opts.generatedAt } : {});

  const historyFile = opts.historyFile === undefined ? path.join(path.dirname(path.resolve(outDir)), 'history.jsonl') : opts.historyFile;
  let appended = false;
  if (historyFile) {
    const entry = historyEntry(report);
    const history = readHistory(historyFile);
    report.history = {
      compared: baselineSize(entry, history, opts.compare?.lastN),
      regressions: compareWithHistory(entry, history, opts.compare),
    };
    if (report.verdict.criteria.total > 0 && !history.some((h) => h.id === entry.id)) {
      appendHistory(historyFile, entry);
      appended = true;
    }
  }

  mkdirSync(outDir, { recursive: true });
  const samples = loadSamples(report, path.dirname(path.resolve(journalFile)));
  const paths: ReportPaths = {
    json: path.join(outDir, 'report.json'),
    markdown: path.join(outDir, 'report.md'),
    html: path.join(outDir, 'report.html'),
    junit: path.join(outDir, 'junit.xml'),
    history: appended ? historyFile! : null,
  };
  writeAtomic(paths.json, renderJson(report));
  writeAtomic(paths.markdown, renderMarkdown(report));
  writeAtomic(paths.html, renderHtml(report, samples));
  writeAtomic(paths.junit, renderJunit(report));
  return { paths, report };
}

// A reader (CI uploading artifacts, a person refreshing the page) never sees half a file.
function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
