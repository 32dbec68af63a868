// A TypeScript entrypoint run compiled, as an image built with tsc runs it (app/Dockerfile: tsc, then
// `node dist/main.js`), instead of compiled by tsx at every start. Locally a start under tsx cost
// about 0.2 s more on an idle machine, and more when three pods start at once beside a copy: the
// emergency restore's SQLite pods start on its clock. Opt-in per image (`compile: true`): code that
// needs tsx (a worker named by its .ts file) keeps running under it.
//
// The entry's package (the nearest folder with a package.json) is transpiled file by file with
// esbuild, its layout kept and relative `.ts` imports rewritten to `.js` (tsc's
// rewriteRelativeImportExtensions), so `new URL('./worker.js', import.meta.url)` finds its file; the
// package's other files are copied beside, so files read next to the code are found. The output
// goes under the node_modules the sources resolve their packages from, so they resolve the same ones.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { buildStamp } from './build-stamp.ts';
import { tsxNodeCommand } from './config.ts';

const TS = /\.m?ts$/;
const SKIP_DIRS = new Set(['node_modules', 'dist']);

/** The package an entry belongs to: the nearest folder above it with a package.json. */
export function packageRoot(entry: string): string {
  for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`${entry}: no package.json above it, so there is no package to compile`);
  }
}

/** Every file of the package, relative to its root: not node_modules, dist or dot folders. */
function packageFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) out.push(...packageFiles(root, r));
    } else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

const isTest = (f: string) => /\.test\.m?ts$/.test(f);

/** The node_modules the package's sources find their packages in (the nearest above it), or the package's own. */
function resolvingNodeModules(root: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir) return path.join(root, 'node_modules');
  }
}

/** `./a.ts` (or `.mts`) → `./a.js` in esbuild's output, which writes specifiers in double quotes and names every output `.js`. */
export function rewriteRelativeTsImports(js: string): string {
  return js.replace(/((?:\bfrom|\bimport)\s*\(?\s*)"(\.\.?\/[^"\n]*?)\.m?ts"/g, '$1"$2.js"');
}

const jsName = (f: string) => f.replace(TS, '.js');

/**
 * How a TypeScript script of an image runs on this host (its command's first element, or a bin):
 * compiled, or under node + tsx. undefined: not a TypeScript file.
 */
export function typeScriptArgv(file: string, compile: boolean): string[] | undefined {
  if (!TS.test(file)) return undefined;
  return compile ? [process.execPath, compiledEntry(file)] : [...tsxNodeCommand(), file];
}

const built = new Map<string, string>();

/** The compiled counterpart of the `.ts` entry, looked at once per process (compilePackage). */
export function compiledEntry(entry: string): string {
  const abs = path.resolve(entry);
  const js = built.get(abs) ?? compilePackage(abs);
  built.set(abs, js);
  return js;
}

/** Compiles the entry's package when a file of it changed since the last build; returns the entry's .js. */
export function compilePackage(entry: string): string {
  const abs = path.resolve(entry);
  const root = packageRoot(abs);
  const files = packageFiles(root);
  const sources = files.filter((f) => TS.test(f) && !isTest(f) && !f.endsWith('.d.ts'));
  const others = files.filter((f) => !TS.test(f));
  const key = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const out = path.join(resolvingNodeModules(root), '.cache', 'rollback-drill', 'compiled', `${path.basename(root)}-${key}`);
  const stampFile = path.join(out, '.stamp');
  const stamp = buildStamp(root, [...sources, ...others]);
  if (!(existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)) {
    // Built beside, then renamed over: two drills starting at once each see a whole tree.
    const tmp = `${out}.build-${process.pid}-${Date.now()}`;
    buildSync({
      entryPoints: sources.map((f) => path.join(root, f)),
      outbase: root,
      outdir: tmp,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    for (const f of sources) {
      const js = path.join(tmp, jsName(f));
      writeFileSync(js, rewriteRelativeTsImports(readFileSync(js, 'utf8')));
    }
    for (const f of others) {
      mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      copyFileSync(path.join(root, f), path.join(tmp, f));
    }
    // The sources are ESM (tsx ran them so); a package.json without "type" would make the .js CommonJS.
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ ...pkg, type: 'module' }, null, 2));
    writeFileSync(path.join(tmp, '.stamp'), stamp);
    const old = `${out}.old-${process.pid}-${Date.now()}`;
    if (existsSync(out)) renameSync(out, old);
    try {
      renameSync(tmp, out);
    } catch (err) {
      // Another drill put its build there between the two renames: the same sources, so keep that one.
      if (!existsSync(stampFile)) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
    rmSync(old, { recursive: true, force: true });
  }
  return path.join(out, jsName(path.relative(root, abs)));
}
