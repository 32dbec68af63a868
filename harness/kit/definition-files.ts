// Files a user or the project adds one at a time (`*.scenario.ts`, `*.criterion.ts`, `*.format.ts`):
// each one's default export, loaded and checked with one-line errors naming the file, and the
// folders' loads cached per set of paths (a failed load is forgotten, so a fixed file loads next time).
import { pathToFileURL } from 'node:url';

/**
 * The default export of `file`, an object, as `what` (e.g. "scenario file"); `definer` names the call
 * it should be made with (e.g. "defineScenario"). Every problem is `error(line)`.
 */
export async function importDefinition(file: string, what: string, definer: string, error: (message: string) => Error): Promise<object> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw error(`${what} ${file}: could not load (${(err as Error).message.split('\n')[0]})`);
  }
  if (!mod.default || typeof mod.default !== 'object') throw error(`${what} ${file}: needs \`export default ${definer}({...})\``);
  return mod.default;
}

/** `build(key)` once per key; a rejected build is dropped from the cache. */
export function cachedLoader<T>(build: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let p = cache.get(key);
    if (!p) {
      p = build(key);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  };
}
