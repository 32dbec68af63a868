// What a cached build (the data tool's bundle, a compiled image's package) is built from: each
// source's name, size and mtime, and the compiler's version. A changed stamp means build again.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { version as esbuildVersion } from 'esbuild';

/** The stamp of `files` (relative to `root`), in the order given. */
export function buildStamp(root: string, files: readonly string[]): string {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const f of files) {
    const s = statSync(path.join(root, f));
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}
