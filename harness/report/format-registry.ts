// Where report formats come from: every `*.format.ts` in formats/, found by listing the folder, so a
// new format is one new file and no edit here (as scenarios/registry.ts finds `*.scenario.ts`).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { cachedLoader, importDefinition } from '../kit/definition-files.ts';
import { defineFormat, ReportFormatError, type ReportRenderer } from './renderer.ts';

export const BUILTIN_FORMATS_DIR = path.join(import.meta.dirname, 'formats');
const SUFFIX = '.format.ts';
const DEFAULT_ORDER = 50;

/** A format file's default export, checked. */
async function importFormat(file: string): Promise<ReportRenderer> {
  const def = await importDefinition(file, 'report format file', 'defineFormat', (m) => new ReportFormatError(m));
  try {
    return defineFormat(def as ReportRenderer);
  } catch (err) {
    throw new ReportFormatError(`report format file ${file}: ${(err as Error).message}`);
  }
}

const load = cachedLoader((key) => build(key.split('\n')));

/** Every format in `dirs` (default: formats/), in render order; loaded once per set of folders. */
export function loadFormats(dirs: readonly string[] = [BUILTIN_FORMATS_DIR]): Promise<ReportRenderer[]> {
  return load(dirs.map((d) => path.resolve(d)).join('\n'));
}

async function build(dirs: readonly string[]): Promise<ReportRenderer[]> {
  const formats: ReportRenderer[] = [];
  const owner = new Map<string, string>();
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(SUFFIX)).sort()) {
      const format = await importFormat(path.join(dir, f));
      // Two formats with one id, or writing one file, would overwrite each other's output.
      for (const claim of [`id ${format.id}`, ...format.files.map((x) => `file ${path.normalize(x)}`)]) {
        const clash = owner.get(claim);
        if (clash) throw new ReportFormatError(`report format file ${path.join(dir, f)}: ${claim} is already taken by ${clash}`);
        owner.set(claim, path.join(dir, f));
      }
      formats.push(format);
    }
  }
  return formats.sort((a, b) => (a.order ?? DEFAULT_ORDER) - (b.order ?? DEFAULT_ORDER) || a.id.localeCompare(b.id));
}
