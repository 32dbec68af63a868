import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry, compilePackage, packageRoot, rewriteRelativeTsImports } from './compiled-entry.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'compiled-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const f = path.join(dir, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}

// A package as an app is written for tsx: .ts imports, a type-only import, a worker by URL
// (chosen by the running file's extension, as app/src/sync/sqlite-load.ts does), a file read next to
// the code, and a package import from the node_modules above it.
write('pkg/package.json', '{ "name": "p" }\n');
write('node_modules/dep/package.json', '{ "name": "dep", "type": "module", "exports": "./index.js" }\n');
write('node_modules/dep/index.js', 'export const dep = "dep-ok";\n');
write('pkg/src/lib/greet.ts', 'export interface Who { name: string }\nexport const greet = (w: Who): string => `hello ${w.name}`;\n');
write('pkg/src/lib/types.ts', 'export type Unused = { a: number };\n');
write('pkg/src/worker.ts', "import { parentPort } from 'node:worker_threads';\nparentPort!.postMessage('worker-ok');\n");
write('pkg/src/greeting.txt', 'from-a-file');
const main = write(
  'pkg/src/main.ts',
  [
    "import { readFileSync } from 'node:fs';",
    "import { Worker } from 'node:worker_threads';",
    "import { dep } from 'dep';",
    "import { greet, type Who } from './lib/greet.ts';",
    "import type { Unused } from './lib/types.ts';",
    "const who: Who = { name: 'ä😀' };",
    'const u: Unused | undefined = undefined;',
    "const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);",
    "const { fmt } = await import('./lib/fmt.ts');",
    'const w = new Worker(url);',
    "w.once('message', (m) => { console.log(JSON.stringify([greet(who), dep, m, fmt(u), readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8'), process.argv.slice(2)])); w.terminate(); });",
  ].join('\n'),
);
write('pkg/src/lib/fmt.ts', 'export const fmt = (x: unknown): string => String(x);\n');
write('pkg/src/main.test.ts', 'this is not TypeScript a build would accept;\n');

describe('a TypeScript entry run compiled (what an image with `compile: true` runs)', () => {
  it('runs as tsx runs the sources: imports rewritten, types gone, the worker and a file beside it found, packages resolved', () => {
    const js = compiledEntry(main);
    expect(js.endsWith(path.join('src', 'main.js'))).toBe(true);
    expect(js.startsWith(path.join(dir, 'node_modules', '.cache'))).toBe(true); // resolves `dep` as the sources do
    const out = execFileSync(process.execPath, [js, '--flag'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['hello ä😀', 'dep-ok', 'worker-ok', 'undefined', 'from-a-file', ['--flag']]);
    expect(compiledEntry(main)).toBe(js); // built once per process
  });

  it('is rebuilt when a file of its package changed, and kept when nothing did', () => {
    const js = compiledEntry(main);
    const stamp = path.join(path.dirname(path.dirname(js)), '.stamp');
    const before = statSync(stamp).mtimeMs;
    expect(compilePackage(main)).toBe(js);
    expect(statSync(stamp).mtimeMs).toBe(before); // nothing changed: not rebuilt
    const f = write('pkg/src/lib/greet.ts', 'export interface Who { name: string }\nexport const greet = (w: Who): string => `hi ${w.name}`;\n');
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    const out = execFileSync(process.execPath, [compilePackage(main)], { encoding: 'utf8' });
    expect(JSON.parse(out)[0]).toBe('hi ä😀');
  });

  it('rewrites only relative .ts specifiers, as tsc --rewriteRelativeImportExtensions does', () => {
    const js = ['import a from "./a.ts";', 'export * from "../b.mts";', 'const c = await import("./c/d.ts");', 'import e from "e.ts";', 'const s = "./f.ts";'].join('\n');
    expect(rewriteRelativeTsImports(js).split('\n')).toEqual(['import a from "./a.js";', 'export * from "../b.js";', 'const c = await import("./c/d.js");', 'import e from "e.ts";', 'const s = "./f.ts";']);
  });

  it('says which entry has no package to compile', () => {
    expect(packageRoot(main)).toBe(path.join(dir, 'pkg'));
    expect(() => packageRoot('/no-package-here.ts')).toThrow(/no package\.json above it/);
  });
});
