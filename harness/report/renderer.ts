// The one interface every report format implements: report.md, report.html, junit.xml, Allure, a
// user's own. A format is one `*.format.ts` file in formats/ whose default export is
// `defineFormat({...})` (or `textFormat({...})` for one text file); format-registry.ts finds it by
// listing the folder, and write.ts renders every format from the same report model.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JournalEvent } from '../model/journal-events.ts';
import type { RunReport } from './model.ts';
import type { GroupSamples } from './samples.ts';

/** What failed: a format (named by its first file) or a stage before rendering ('model', 'samples', 'history'). */
export interface RenderFailure {
  what: string;
  message: string;
}

/** What a format gets besides the model. */
export interface RenderContext {
  /** The run's folder: a format writes its files here. */
  readonly outDir: string;
  readonly journalFile: string;
  /** The journal as read, for a format that needs more than the model (Allure groups raw events). */
  readonly events: readonly JournalEvent[];
  /** Each group's probe samples, binned for a timeline (empty when they could not be read). */
  readonly samples: ReadonlyMap<string, GroupSamples>;
  /** Files the formats rendered before this one wrote, in order (Allure attaches report.html). */
  readonly written: readonly string[];
  /** One line for the person running the drill. */
  out(line: string): void;
}

export interface ReportRenderer {
  /** Short unique name (lowercase, digits, "-"): options name a format by it. */
  readonly id: string;
  /** What it writes, relative to the run folder; the first is the one to open, and names the format in failures. */
  readonly files: readonly string[];
  /**
   * Formats render in ascending order, ties by id (default 50). A format that fails is named in the
   * reports rendered after it, so report.md (90) comes after the data formats; Allure (100) last, as
   * it attaches report.html.
   */
  readonly order?: number;
  /** Rendered only when asked for by id (`--allure`); default false: every run renders it. */
  readonly optional?: boolean;
  /**
   * A last-resort content for the first file, from the journal alone: written before the model is
   * built, and written again if render throws, so a run always leaves something readable.
   */
  readonly fallback?: (events: readonly JournalEvent[], failures: readonly RenderFailure[]) => string;
  /** Writes the files; returns the ones written (absolute paths). A throw costs this format only. */
  render(report: RunReport, ctx: RenderContext): Promise<string[]>;
}

/** A format file that is not a valid format (a user's file is input): one line, naming the file. */
export class ReportFormatError extends Error {
  override readonly name = 'ReportFormatError';
}

const fn = z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', 'a function');
// Relative, inside the run folder: a format never writes beside other runs.
const RelativeFile = z
  .string()
  .min(1)
  .refine((f) => !path.isAbsolute(f) && path.normalize(f).split(path.sep)[0] !== '..', 'a path inside the run folder');
const ReportRendererSchema = z.object({
  id: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-"'),
  files: z.array(RelativeFile).min(1),
  order: z.number().finite().optional(),
  optional: z.boolean().optional(),
  fallback: fn.optional(),
  render: fn,
});

/** Checks a format's declaration; a format file's default export goes through this. */
export function defineFormat(spec: ReportRenderer): ReportRenderer {
  const r = ReportRendererSchema.safeParse(spec);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ReportFormatError(`report format ${typeof spec?.id === 'string' ? spec.id : '(no id)'}: ${i.path.join('.') || 'format'}: ${i.message}`);
  }
  return spec;
}

/** A format that writes one text file: `render` returns its content; the file is written atomically. */
export function textFormat(spec: Omit<ReportRenderer, 'files' | 'render'> & { file: string; render(report: RunReport, ctx: RenderContext): string }): ReportRenderer {
  const { file, render, ...rest } = spec;
  return defineFormat({
    ...rest,
    files: [file],
    async render(report, ctx) {
      const target = path.join(ctx.outDir, file);
      writeAtomic(target, render(report, ctx));
      return [target];
    },
  });
}

// A reader (CI uploading artifacts, a person refreshing the page) never sees half a file.
export function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
