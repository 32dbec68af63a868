// The data tool as its image runs it: compiled JavaScript (datatool/Dockerfile runs dist/cli.js),
// not TypeScript compiled at every start. Under tsx a start cost about 0.4 s, and every copy and
// salvage of a restore starts one, on the time-to-restore clock; the bundle starts in about 0.15 s.
// esbuild bundles the CLI and the copy's worker thread with their packages (one file parses faster
// than pg's and zod's many) into node_modules/.cache, beside node_modules so the native module left
// out (better-sqlite3) resolves as in the image's WORKDIR; rebuilt whenever a source file changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { buildStamp } from './build-stamp.ts';

/** The entry points: the CLI and the worker it starts by URL next to itself (load.ts: ./load-worker.js). */
const ENTRIES = ['cli', 'load-worker'] as const;

export interface DataToolBundle {
  /** dist/cli.js of the bundle. */
  cli: string;
  dir: string;
}

const built = new Map<string, DataToolBundle>();

/** What the bundle is built from: every non-test source of the folder (build-stamp.ts). */
export function sourceStamp(srcDir: string): string {
  return buildStamp(srcDir, readdirSync(srcDir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort());
}

/** Builds (once per process, and only when a source changed) and returns the bundle of this checkout's data tool. */
export function dataToolBundle(repoRoot: string): DataToolBundle {
  const cached = built.get(repoRoot);
  if (cached) return cached;
  const srcDir = path.join(repoRoot, 'datatool', 'src');
  const dir = path.join(repoRoot, 'node_modules', '.cache', 'rollback-drill', 'drill-data');
  const stampFile = path.join(dir, 'stamp');
  const stamp = sourceStamp(srcDir);
  const fresh = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && ENTRIES.every((e) => existsSync(path.join(dir, `${e}.js`)));
  if (!fresh) {
    mkdirSync(dir, { recursive: true });
    // Built beside, then renamed over: two drills starting at once each see a whole file.
    const tmp = path.join(dir, `.build-${process.pid}-${Date.now()}`);
    buildSync({
      entryPoints: ENTRIES.map((e) => path.join(srcDir, `${e}.ts`)),
      outdir: tmp,
      bundle: true,
      // Native (better-sqlite3) or optional and absent (pg-native): loaded from node_modules at run time.
      external: ['better-sqlite3', 'pg-native'],
      // The bundled CommonJS packages (pg) call require(); ESM has none of its own.
      banner: { js: "import { createRequire as __drillRequire } from 'node:module'; const require = __drillRequire(import.meta.url);" },
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    for (const e of ENTRIES) renameSync(path.join(tmp, `${e}.js`), path.join(dir, `${e}.js`));
    rmSync(tmp, { recursive: true, force: true });
    // Under node_modules no package.json of the checkout applies: the bundle says it is ESM itself.
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(stampFile, stamp);
  }
  const b = { cli: path.join(dir, 'cli.js'), dir };
  built.set(repoRoot, b);
  return b;
}
