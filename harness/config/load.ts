// Config file + flags → one validated DrillConfig. Flags override the file; every bad value is
// one line naming the key (and, for choices, the accepted values).
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MakeDirError, makeDirs } from '../report/folder.ts';
import { DrillConfigSchema, type DrillConfig, type DrillConfigInput } from '../model/drill-config.ts';
import { formatConfigError } from './parse.ts';

/** Errors the user caused: the CLI prints the message as one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export const DEFAULT_CONFIG_FILES = ['drill.config.json', 'drill.config.ts', 'drill.config.mjs', 'drill.config.js'];

export async function readConfigFile(file: string | undefined, cwd = process.cwd()): Promise<{ file?: string; values: Record<string, unknown> }> {
  const candidates = file ? [path.resolve(cwd, file)] : DEFAULT_CONFIG_FILES.map((f) => path.join(cwd, f));
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    if (file) throw new UsageError(`--config: ${file} does not exist`);
    return { values: {} };
  }
  if (!statSync(found).isFile()) throw new UsageError(`config ${found}: not a file`);
  try {
    accessSync(found, constants.R_OK);
  } catch {
    throw new UsageError(`config ${found}: not readable`);
  }
  let values: unknown;
  if (found.endsWith('.json')) {
    try {
      values = JSON.parse(readFileSync(found, 'utf8'));
    } catch (err) {
      throw new UsageError(`config ${found}: invalid JSON (${(err as Error).message.split('\n')[0]})`);
    }
  } else {
    try {
      const mod = (await import(pathToFileURL(found).href)) as { default?: unknown };
      values = mod.default;
    } catch (err) {
      throw new UsageError(`config ${found}: could not load (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (!values || typeof values !== 'object' || Array.isArray(values)) {
    throw new UsageError(`config ${found}: must be an object (export default { ... } or a JSON object)`);
  }
  return { file: found, values: values as Record<string, unknown> };
}

export function resolveConfig(fileValues: Record<string, unknown>, flags: DrillConfigInput, source = 'config'): DrillConfig {
  const merged = { ...fileValues, ...stripUndefined(flags) };
  const r = DrillConfigSchema.safeParse(merged);
  if (!r.success) throw new UsageError(`${source}: ${formatConfigError(r.error)}`);
  return r.data;
}

/**
 * The report folder must be writable before anything is started (a drill that cannot report loses
 * everything). Made segment by segment (makeDirs: a recursive mkdir never returns under /proc on
 * Node 20), then proven by making and removing a directory in it, which is what each run needs.
 */
export function assertWritableDir(dir: string): string {
  const abs = path.resolve(dir);
  const fail = (why: string) => new UsageError(`--report-dir ${dir}: not writable (${why})`);
  try {
    makeDirs(abs);
  } catch (err) {
    throw fail(err instanceof MakeDirError ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message));
  }
  try {
    rmdirSync(mkdtempSync(path.join(abs, '.write-check-')));
  } catch (err) {
    throw fail(`cannot create a folder in ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return abs;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
