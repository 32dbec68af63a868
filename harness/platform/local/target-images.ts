// The local platform's image map for a drill, in three layers: the harness's own images
// (defaultImages: postgres, the data tool) < the target profile's images < the user's config
// `images`. A later layer replaces an entry of the same pattern; across patterns the ImageMap rule
// holds (an exact name, then the most specific pattern, then the later layer).
import type { z } from 'zod';
import type { LocalImageSchema } from '../../model/drill-config.ts';
import type { TargetProfile } from '../../model/target-profile.ts';
import { typeScriptArgv } from './compiled-entry.ts';
import { globToRegExp, LocalImageSpecSchema, type LocalImageSpec } from './config.ts';

type TargetImages = Pick<TargetProfile, 'images' | 'app'>;
type ConfigImage = z.input<typeof LocalImageSchema>;

/** A first command element ending in .ts/.mts is a script of this checkout: run it with node + tsx, or compiled. */
function hostCommand(command: string[], compile: boolean): string[] {
  const [first, ...rest] = command;
  const argv = first === undefined ? undefined : typeScriptArgv(first, compile);
  return argv ? [...argv, ...rest] : command;
}

/** The app image's pattern listens on the profile's port when a pod spec declares none (the runbook's planned deployment). */
function withAppPort(pattern: string, spec: LocalImageSpec, t: Pick<TargetProfile, 'app'> | undefined): LocalImageSpec {
  if (!t || spec.defaultPort !== undefined) return spec;
  return globToRegExp(pattern).test(t.app.image) ? { ...spec, defaultPort: t.app.port } : spec;
}

/** The profile's images as local image specs (paths already absolute: loadTarget). */
export function targetImages(t: TargetImages): Record<string, LocalImageSpec> {
  return Object.fromEntries(
    Object.entries(t.images).map(([pattern, img]) => [
      pattern,
      withAppPort(
        pattern,
        LocalImageSpecSchema.parse({
          command: hostCommand(img.command, img.compile),
          compile: img.compile,
          bins: img.bins,
          tools: img.tools,
          env: img.env,
          portEnv: img.portEnv,
          hostEnv: img.hostEnv,
          ...(img.cwd ? { cwd: img.cwd } : {}),
        }),
        t,
      ),
    ]),
  );
}

/** The user's config `images` (already validated by DrillConfigSchema) as local image specs. */
export function configImages(images: Record<string, ConfigImage>, t?: Pick<TargetProfile, 'app'>): Record<string, LocalImageSpec> {
  return Object.fromEntries(
    Object.entries(images).map(([pattern, img]) => [pattern, withAppPort(pattern, LocalImageSpecSchema.parse({ ...img, command: hostCommand(img.command, img.compile ?? false) }), t)]),
  );
}

/** Layers merged in order, a later one winning: a replaced pattern moves to the end, so it also wins the ImageMap's ties. */
export function mergeImageLayers(...layers: Record<string, LocalImageSpec>[]): Record<string, LocalImageSpec> {
  const out: Record<string, LocalImageSpec> = {};
  for (const layer of layers) {
    for (const [pattern, spec] of Object.entries(layer)) {
      delete out[pattern];
      out[pattern] = spec;
    }
  }
  return out;
}

/** What a drill of `target` hands the local platform (which puts its own defaults underneath). */
export function drillImages(target: TargetImages, userImages: Record<string, ConfigImage> = {}): Record<string, LocalImageSpec> {
  return mergeImageLayers(targetImages(target), configImages(userImages, target));
}
