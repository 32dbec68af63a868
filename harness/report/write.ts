// Renders every report format of a run (each `*.format.ts` in formats/, see format-registry.ts)
// from its journal into the run's folder, and appends the run to history.jsonl. History rule: a run
// is appended once (by id) and only when at least one criterion was evaluated; a run aborted before
// any verdict measured nothing worth trending. Aborted and errored runs that are appended are kept
// out of the regression baseline (see compareWithHistory).
//
// Failure rule: the fallbacks are written first (report.md's: the verdicts from the journal alone),
// then each format renders on its own. One that throws is recorded (returned, and as a warning in the
// reports rendered after it) and the others still run; report.md keeps at least the verdicts table.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Journal, readJournal } from '../journal/journal.ts';
import { buildReport } from './build-report.ts';
import { loadFormats } from './format-registry.ts';
import { appendHistory, baselineSize, compareWithHistory, historyEntry, readHistory, type CompareOptions } from './history.ts';
import { makeDirs } from './folder.ts';
import type { RunReport } from './model.ts';
import { type RenderFailure, type ReportRenderer, writeAtomic } from './renderer.ts';
import { type GroupSamples, loadSamples } from './samples.ts';

export type { RenderFailure } from './renderer.ts';

export interface WriteOptions {
  /** history.jsonl to compare with and append to; default <outDir>/../history.jsonl; null: no history. */
  historyFile?: string | null;
  compare?: CompareOptions;
  generatedAt?: Date;
  /** Optional formats to render as well, by id (the CLI passes ['allure'] for `--allure`). */
  include?: readonly string[];
  /** The formats to choose from; default: every format in formats/ (loadFormats). */
  formats?: readonly ReportRenderer[];
  /** Replaces the render of the formats named by id (tests make one throw to prove the verdicts and the other reports survive). */
  renderers?: Readonly<Record<string, ReportRenderer['render']>>;
  /** Lines for the person running the drill (e.g. Allure's progress); default: dropped. */
  out?: (line: string) => void;
}

/** Where each rendered format's main file goes, by format id ({ markdown: <outDir>/report.md, … }). */
export type ReportPaths = Record<string, string>;

export interface WriteResult {
  /** A file whose format failed (see failures) is not there. */
  paths: ReportPaths;
  /** The history file when this run was appended to it, else null. */
  history: string | null;
  /** Every file the formats wrote, in render order. */
  written: string[];
  report: RunReport;
  /** Formats or stages that threw, in order; empty when every report was written. */
  failures: RenderFailure[];
}

export class ReportError extends Error {
  override readonly name = 'ReportError';
}

/** A format is named in failures by its first file ("report.html could not be rendered"). */
const label = (f: ReportRenderer): string => f.files[0]!;

/** The formats this run renders: the default ones and the optional ones included, with any render replaced. */
function select(formats: readonly ReportRenderer[], opts: WriteOptions): ReportRenderer[] {
  const include = opts.include ?? [];
  const replace = opts.renderers ?? {};
  for (const id of [...include, ...Object.keys(replace)]) {
    if (!formats.some((f) => f.id === id)) throw new ReportError(`unknown report format "${id}" (known: ${formats.map((f) => f.id).join(', ')})`);
  }
  return formats.filter((f) => !f.optional || include.includes(f.id)).map((f) => (replace[f.id] ? { ...f, render: replace[f.id]! } : f));
}

export async function writeReports(journalFile: string, outDir: string, opts: WriteOptions = {}): Promise<WriteResult> {
  if (!existsSync(journalFile)) throw new ReportError(`journal not found: ${journalFile}`);
  const events = readJournal(journalFile);
  if (events.length === 0) throw new ReportError(`journal is empty: ${journalFile}`);
  const formats = select(opts.formats ?? (await loadFormats()), opts);
  makeDirs(outDir);
  const historyFile = opts.historyFile === undefined ? path.join(path.dirname(path.resolve(outDir)), 'history.jsonl') : opts.historyFile;
  const paths: ReportPaths = Object.fromEntries(formats.map((f) => [f.id, path.join(outDir, label(f))]));
  let history: string | null = null;
  const failures: RenderFailure[] = [];
  const fallback = (f: ReportRenderer) => f.fallback && writeAtomic(path.join(outDir, label(f)), f.fallback(events, failures));
  // The verdicts are on disk before anything that could fail on size or on a bug runs.
  formats.forEach(fallback);

  let report: RunReport;
  try {
    report = buildReport(events, opts.generatedAt ? { generatedAt: opts.generatedAt } : {});
  } catch (err) {
    failures.push({ what: 'model', message: oneLine(err) });
    formats.forEach(fallback);
    const kept = formats.filter((f) => f.fallback).map((f) => path.join(outDir, label(f)));
    throw new ReportError(`the report could not be built (${oneLine(err)})${kept.length ? `; ${kept.join(', ')} has the verdicts` : ''}`);
  }
  const failed = (what: string, err: unknown) => {
    const f = { what, message: oneLine(err) };
    failures.push(f);
    // Reports rendered after this one say what is missing.
    report.warnings.push(`${what} could not be rendered: ${f.message}`);
  };

  if (historyFile) {
    try {
      const entry = historyEntry(report);
      const past = readHistory(historyFile);
      report.history = {
        compared: baselineSize(entry, past, opts.compare?.lastN),
        regressions: compareWithHistory(entry, past, opts.compare),
      };
      if (report.verdict.criteria.total > 0 && !past.some((h) => h.id === entry.id)) {
        appendHistory(historyFile, entry);
        history = historyFile;
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
  const written: string[] = [];
  const out = opts.out ?? (() => {});
  for (const f of formats) {
    try {
      written.push(...(await f.render(report, { outDir, journalFile, events, samples, written: [...written], out })));
    } catch (err) {
      failed(label(f), err);
    }
  }
  // A format with a fallback failed: its last-resort file stays, now listing every failure.
  for (const f of formats) if (failures.some((x) => x.what === label(f))) fallback(f);
  return { paths, history, written, report, failures };
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
  let kept: string[] = [];
  const note = (what: string, message: string) => {
    const left = kept.filter((f) => existsSync(f)).map((f) => path.basename(f));
    out(`rollback-drill: ${what} could not be rendered (${message})${left.length ? `; ${left.join(', ')} has the verdicts` : ''}`);
    try {
      journal.write({ type: 'log', level: 'error', message: `${what} could not be rendered: ${message}` });
    } catch {
      // the journal itself is unwritable: the line above is all there is
    }
  };
  let result: WriteResult | undefined;
  try {
    const formats = opts.formats ?? (await loadFormats());
    kept = formats.filter((f) => f.fallback).map((f) => path.join(outDir, label(f)));
    result = await writeReports(journal.file, outDir, { out, ...opts, formats });
  } catch (err) {
    note('the reports', oneLine(err));
  }
  for (const f of result?.failures ?? []) note(f.what, f.message);
  return { written: result?.written ?? kept.filter((f) => existsSync(f)), history: result?.history ?? null, failures: result?.failures ?? [] };
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const line = msg.split('\n')[0]!;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
