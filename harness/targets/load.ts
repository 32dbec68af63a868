// Which app is drilled: `--target NAME` (a profile in targets/NAME.ts of this repository) or
// `--target PATH` (a profile file of the user's). Default: the reference app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TargetProfileError, TargetProfileSchema, type TargetProfile } from './schema.ts';

const TARGETS_DIR = path.join(import.meta.dirname, '..', '..', 'targets');

export function builtinTargets(): string[] {
  return ['reference', 'settings-app'].filter((n) => existsSync(path.join(TARGETS_DIR, `${n}.ts`)));
}

const cache = new Map<string, Promise<TargetProfile>>();

export function loadTarget(nameOrPath = 'reference', cwd = process.cwd()): Promise<TargetProfile> {
  const isPath = /[\\/]|\.m?[jt]s$/.test(nameOrPath);
  const file = isPath ? path.resolve(cwd, nameOrPath) : path.join(TARGETS_DIR, `${nameOrPath}.ts`);
  let p = cache.get(file);
  if (!p) {
    p = importTarget(file, nameOrPath, isPath);
    cache.set(file, p);
    p.catch(() => cache.delete(file));
  }
  return p;
}

async function importTarget(file: string, given: string, isPath: boolean): Promise<TargetProfile> {
  if (!existsSync(file)) {
    throw new TargetProfileError(isPath ? `target profile ${file} does not exist` : `unknown target "${given}" (known: ${builtinTargets().join(', ')}; or a path to a profile file)`);
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new TargetProfileError(`target profile ${file}: could not load (${(err as Error).message.split('\n')[0]})`);
  }
  const r = TargetProfileSchema.safeParse(mod.default);
  if (!r.success) throw new TargetProfileError(`target profile ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(profile)'}: ${i.message}`).join('; ')}`);
  return withAbsolutePaths(r.data, path.dirname(file));
}

/** The images' files (a script to run, bins, the working directory) relative to the profile's folder, made absolute. */
export function withAbsolutePaths(t: TargetProfile, dir: string): TargetProfile {
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(dir, p));
  const isFile = (p: string) => p.startsWith('.') || /\.m?[jt]s$/.test(p);
  const images = Object.fromEntries(
    Object.entries(t.images).map(([pattern, img]) => [
      pattern,
      {
        ...img,
        command: img.command.map((c, i) => (i === 0 && isFile(c) ? abs(c) : c)),
        bins: Object.fromEntries(Object.entries(img.bins).map(([name, file]) => [name, abs(file)])),
        ...(img.cwd ? { cwd: abs(img.cwd) } : {}),
      },
    ]),
  );
  return { ...t, images };
}
