// harness/ drills any image a user maps in, so it must not depend on the reference app's source:
// whatever it needs from an app (the data tool's JSON, the endpoints) is declared on the harness
// side (e.g. procedures/cli-contract.ts). Tests may use the reference app; the library may not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const HARNESS = path.dirname(new URL(import.meta.url).pathname);
const APP = path.join(path.dirname(HARNESS), 'app') + path.sep;

function libraryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(m|c)?tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every module specifier of a file (static and dynamic imports, re-exports) that resolves into app/. */
function appImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.') && (path.resolve(path.dirname(file), spec) + path.sep).startsWith(APP));
}

describe('harness/ never imports from app/', () => {
  it('finds the library files and detects an import into app/', () => {
    expect(libraryFiles(HARNESS).length).toBeGreaterThan(50);
    const probe = path.join(HARNESS, 'procedures', 'x.ts');
    const { importedFiles } = ts.preProcessFile(`import type { A } from '../../app/src/sync/sync.ts';\nexport * from '../../app/src/x.ts';\nawait import('../x.ts');`, true, true);
    const resolved = importedFiles.map((f) => path.resolve(path.dirname(probe), f.fileName) + path.sep);
    expect(resolved.map((r) => r.startsWith(APP))).toEqual([true, true, false]);
  });

  it('no library file under harness/ (tests excluded) imports a module from app/', () => {
    const offenders = libraryFiles(HARNESS).flatMap((f) => appImports(f).map((spec) => `${path.relative(HARNESS, f)} → ${spec}`));
    expect(offenders).toEqual([]);
  });
});
