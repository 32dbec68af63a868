// Which app is drilled: `--target NAME` (a profile in targets/NAME.ts of this repository) or
// `--target PATH` (a profile file of the user's). Default: the reference app.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TargetProfileSchema, type TargetProfile } from '../model/target-profile.ts';
import { TargetProfileError } from '../kit/errors.ts';

const TARGETS_DIR = path.join(import.meta.dirname, '..', '..', 'targets');

/** The profiles in targets/ (one file each). */
export function builtinTargets(): string[] {
  return readdirSync(TARGETS_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort((a, b) => (a === 'reference' ? -1 : b === 'reference' ? 1 : a.localeCompare(b)));
}

const cache = new Map<string, Promise<TargetProfile>>();

/**
 * The profile `nameOrPath` names. `appDir`: the user's checkout of the app (`--app-dir`), filled in
 * where the profile's image paths say `{{appDir}}`; a profile that needs one and gets none is an error.
 */
export function loadTarget(nameOrPath = 'reference', appDir?: string, cwd = process.cwd()): Promise<TargetProfile> {
  const isPath = /[\\/]|\.m?[jt]s$/.test(nameOrPath);
  const file = isPath ? path.resolve(cwd, nameOrPath) : path.join(TARGETS_DIR, `${nameOrPath}.ts`);
  const key = `${file}\n${appDir ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = importTarget(file, nameOrPath, isPath, appDir && path.resolve(cwd, appDir));
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function importTarget(file: string, given: string, isPath: boolean, appDir: string | undefined): Promise<TargetProfile> {
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
  return withAbsolutePaths(withAppDir(r.data, appDir), path.dirname(file));
}

/** `{{appDir}}` in the images' command, bins, cwd and env and in the app's build, filled in with the user's checkout. */
export function withAppDir(t: TargetProfile, appDir: string | undefined): TargetProfile {
  const text = JSON.stringify({ images: t.images, build: t.app.build });
  if (!text.includes('{{appDir}}')) return t;
  if (!appDir) throw new TargetProfileError(`target ${t.name} runs a checkout of its app: give its folder with --app-dir PATH (config appDir)`);
  if (!existsSync(appDir)) throw new TargetProfileError(`--app-dir ${appDir} does not exist`);
  const filled = JSON.parse(text.replaceAll('{{appDir}}', appDir.replaceAll('\\', '/'))) as { images: TargetProfile['images']; build?: TargetProfile['app']['build'] };
  return { ...t, images: filled.images, app: { ...t.app, ...(filled.build ? { build: filled.build } : {}) } };
}

/**
 * The images' files (a script to run, bins, the working directory) and the build context relative to
 * the profile's folder, made absolute; the Dockerfile relative to the build context.
 */
export function withAbsolutePaths(t: TargetProfile, dir: string): TargetProfile {
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(dir, p));
  const build = t.app.build && { context: abs(t.app.build.context), dockerfile: path.resolve(abs(t.app.build.context), t.app.build.dockerfile) };
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
  return { ...t, images, app: { ...t.app, ...(build ? { build } : {}) } };
}
