// The tools inside an image, on real processes: an image with a tools list runs only those (and its
// bins), on PATH and as argv[0], in an exec, through its shell and as a Job's command; an image
// without one runs what this host has. The host here has sqlite3, so a refusal is the rule's doing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrillConfigSchema } from '../../model/drill-config.ts';
import { FIXTURE_NS as NS, fixtureDeployment, fixtureImages, namespace } from './fixtures/objects.ts';
import { createLocalPlatform, type LocalPlatform } from './platform.ts';
import { configImages } from './target-images.ts';

const hostHasSqlite = (() => {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The premise of both tests that need it: without sqlite3 on the host a refusal would prove nothing (.ci/run installs it). */
const needsHostSqlite = () => expect(hostHasSqlite, 'sqlite3 is not on this host: install it (apt-get install sqlite3; .ci/run does)').toBe(true);

const notFound = (tool: string) => `OCI runtime exec failed: exec failed: unable to start container process: exec: "${tool}": executable file not found in $PATH: unknown\n`;

let dir: string;
let p: LocalPlatform;

function deployment(name: string, image: string) {
  const d = fixtureDeployment({ name, labels: { app: name } });
  d.spec!.template.spec!.containers[0]!.image = image;
  return d;
}

function job(name: string, image: string, command: string[]) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image, command }] } } },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'image-tools-'));
  const cli = path.join(dir, 'hello-cli');
  // A bin that uses this host's tools inside (dirname): its insides are the image's, not the rule's.
  writeFileSync(cli, '#!/bin/sh\necho "hello from $(dirname /x/y) $1"\n', { mode: 0o755 });
  const app = fixtureImages()['fixture:*']!;
  // The drill config's `images` entries, as a user writes them: cwd, env and tools.
  const config = DrillConfigSchema.parse({
    images: {
      'slim:*': { command: app.command, bins: { 'hello-cli': cli }, tools: ['node', 'sh', 'not-on-this-host-tool'], cwd: dir, env: { GREETING: 'from the image', NAME: 'image-default' } },
      'fat:*': { command: app.command },
    },
  });
  p = await createLocalPlatform({ images: configImages(config.images), restartBackoffMs: { initial: 200, max: 2000 }, resyncMs: 100, handleSignals: false });
  await p.apply([namespace(), deployment('slim', 'slim:1'), deployment('fat', 'fat:1')]);
  await p.waitForReady(NS, 'slim', 1, { timeoutMs: 30_000 });
  await p.waitForReady(NS, 'fat', 1, { timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await p?.[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

describe('an image with tools [node, sh] and a bin', () => {
  it('exec of sqlite3 (on this host, not in the image) fails as kubectl exec does: 127 and the OCI runtime message', async () => {
    needsHostSqlite();
    const r = await p.exec(NS, 'slim', ['sqlite3', '-version']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe(notFound('sqlite3'));
    expect(r.stdout).toBe('');
    const abs = await p.exec(NS, 'slim', ['/usr/bin/sqlite3', '-version']);
    expect(abs.exitCode).toBe(127);
    expect(abs.stderr).toContain('exec: "/usr/bin/sqlite3": stat /usr/bin/sqlite3: no such file or directory');
  });

  it('sh works, and its children find only the image tools', async () => {
    const r = await p.exec(NS, 'slim', ['sh', '-c', 'echo ok; node -e "process.stdout.write(String(1+1))"']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'ok\n2' });
    const viaShell = await p.exec(NS, 'slim', ['sh', '-c', 'sqlite3 -version']);
    expect(viaShell.exitCode).toBe(127);
    expect(viaShell.stderr).toMatch(/sqlite3: not found/);
    const abs = await p.exec(NS, 'slim', ['/bin/sh', '-c', 'echo abs']);
    expect(abs).toMatchObject({ exitCode: 0, stdout: 'abs\n' });
  });

  it('a bins entry works (its own insides run with this host PATH)', async () => {
    const r = await p.exec(NS, 'slim', ['hello-cli', 'there']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'hello from /x there\n' });
  });

  it('a listed tool that is neither a bin nor on this host fails the same way', async () => {
    const r = await p.exec(NS, 'slim', ['not-on-this-host-tool']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe(notFound('not-on-this-host-tool'));
  });

  it('the config entry sets the working directory and the image ENV (a container env var wins)', async () => {
    const r = await p.exec(NS, 'slim', ['sh', '-c', 'pwd; echo "$GREETING"; echo "$NAME"']);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([realpathSync(dir), 'from the image', 'slim']);
  });

  it('a Job whose command the image lacks fails to start (127, a Failed event); one it has runs', async () => {
    const missing = await p.runJob(job('needs-curl', 'slim:1', ['curl', '--version']), { timeoutMs: 20_000 });
    expect(missing).toMatchObject({ succeeded: false, exitCode: 127 });
    expect((await p.events(NS)).some((e) => e.reason === 'Failed' && e.message.includes('exec: "curl": executable file not found in $PATH'))).toBe(true);
    const ok = await p.runJob(job('uses-cli', 'slim:1', ['hello-cli', 'job']), { timeoutMs: 20_000 });
    expect(ok).toMatchObject({ succeeded: true, exitCode: 0 });
    expect(ok.logs).toContain('hello from /x job');
  });
});

describe('an image without a tools list', () => {
  it('runs what this host has, as before', async () => {
    needsHostSqlite();
    const r = await p.exec(NS, 'fat', ['sqlite3', '-version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^3\./);
  });
});
