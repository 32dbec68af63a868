// The image cannot be built here (no Docker engine): check that what the Dockerfile runs exists
// in the build output and that the runtime has what the runbook execs in the pod.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dockerfile = readFileSync(path.join(root, 'app', 'Dockerfile'), 'utf8');

describe('app/Dockerfile', () => {
  it('compiles the app with the build tsconfig into the files the image runs', () => {
    // Inside the repo so the compiled files resolve node_modules as in the image.
    const out = mkdtempSync(path.join(root, 'app', '.dist-test-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'app', 'tsconfig.build.json'), '--outDir', out]);
      expect(dockerfile).toContain('CMD ["node", "/app/dist/main.js"]');
      expect(dockerfile).toContain('exec node /app/dist/cli.js');
      for (const f of ['main.js', 'cli.js']) expect(existsSync(path.join(out, f)), f).toBe(true);
      const r = (() => {
        try {
          return execFileSync(process.execPath, [path.join(out, 'main.js')], { env: { DB_ENGINE: 'postgresql' }, encoding: 'utf8', stdio: 'pipe' });
        } catch (e) {
          return String((e as { stderr: string }).stderr);
        }
      })();
      expect(r).toContain('DB_ENGINE must be "sqlite" or "postgres"');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('is multi-stage, non-root, and ships curl, sqlite3 and the postgres binaries for salvage', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/apt-get install[^\n]*curl sqlite3 postgresql-15/);
    expect(dockerfile).toContain('EXPOSE 3000');
    const pkg = JSON.parse(readFileSync(path.join(root, 'app', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
  });
});
