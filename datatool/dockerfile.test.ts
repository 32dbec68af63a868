// The image cannot be built here (no Docker engine): compile the tool with the image's build
// tsconfig and run the compiled CLI (its worker thread included) on a real copy, as the image would;
// check the Dockerfile installs that CLI and the salvage binaries, and pins the lockfile's versions.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyResultSchema } from './src/result.ts';
import { startPostgres, type TestPostgres } from './test-support/postgres.ts';
import { createPgSchema, createSqlite, MAPPING } from './test-support/schema.ts';

const root = path.resolve(import.meta.dirname, '..');
const dockerfile = readFileSync(path.join(root, 'datatool', 'Dockerfile'), 'utf8');
let out: string;
let server: TestPostgres;

beforeAll(async () => {
  // Inside the repo so the compiled files resolve node_modules as in the image.
  out = mkdtempSync(path.join(root, 'datatool', '.dist-test-'));
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'datatool', 'tsconfig.build.json'), '--outDir', out]);
  server = await startPostgres();
  await createPgSchema(server.url);
}, 120_000);

afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('datatool/Dockerfile', () => {
  it('compiles into the files the image runs, and the compiled CLI copies and verifies', () => {
    expect(dockerfile).toContain('exec node /datatool/dist/cli.js');
    for (const f of ['cli.js', 'load-worker.js']) expect(existsSync(path.join(out, f)), f).toBe(true);
    const file = path.join(out, 'copy.db');
    createSqlite(file);
    const mapping = path.join(out, 'mapping.json');
    writeFileSync(mapping, JSON.stringify(MAPPING));
    const stdout = execFileSync(process.execPath, [path.join(out, 'cli.js'), 'copy', '--from', server.url, '--to', file, '--mapping', mapping, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const r = CopyResultSchema.parse(JSON.parse(stdout.trim()));
    expect(r.ok).toBe(true);
    expect(r.tables.map((t) => t.table)).toEqual(['users', 'settings']);
  }, 60_000);

  it('is multi-stage, non-root, ships the postgres binaries for salvage, and pins the lockfile versions', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/apt-get install[^\n]*postgresql-15/);
    expect(dockerfile).toContain('PG_BIN_DIR=/usr/lib/postgresql/15/bin');
    const pkg = JSON.parse(readFileSync(path.join(root, 'datatool', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    // Every runtime import of the tool is in the image's package.json.
    const imports = new Set<string>();
    for (const f of ['cli', 'copy', 'checksum', 'load', 'load-worker', 'mapping', 'resolve', 'salvage', 'result', 'proxy', 'convert', 'copy-text', 'redact'])
      for (const m of readFileSync(path.join(root, 'datatool', 'src', `${f}.ts`), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.][^']*)'/gm)) if (!m[1]!.startsWith('node:')) imports.add(m[1]!);
    expect([...imports].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
