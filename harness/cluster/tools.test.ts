import { describe, expect, it } from 'vitest';
import { PlatformError } from '../platform/types.ts';
import { execaRunner } from './runner.ts';
import { healthyTools, recorder } from './testing/recorder.ts';
import { assertKindUsable, detectCluster, detectTools, kindAvailability } from './tools.ts';

const DAEMON_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

async function rejection(p: Promise<unknown>): Promise<PlatformError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

describe('docker/kind detection', () => {
  it('asks docker for client and daemon and kind for its version', async () => {
    const rec = recorder((c) => healthyTools(c) ?? {});
    const s = await detectTools(rec.runner);
    expect(rec.lines().sort()).toEqual(['docker info --format {{.ServerVersion}}', 'docker version --format {{.Client.Version}}', 'kind version']);
    expect(s).toMatchObject({ docker: { installed: true, daemon: true, version: '28.2.2' }, kind: { installed: true, version: 'v0.29.0' } });
    expect(await detectCluster(rec.runner)).toMatchObject({ platform: 'kind' });
    expect(await kindAvailability(rec.runner)).toEqual({ available: true, reason: expect.stringContaining('kind v0.29.0') });
    await expect(assertKindUsable(rec.runner)).resolves.toBeDefined();
  });

  it('missing docker and kind: one line, exit code 2, how to install both', async () => {
    const rec = recorder(() => ({ notFound: true, exitCode: -1 }));
    const err = await rejection(assertKindUsable(rec.runner));
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/docker not found on PATH \(install Docker: https:\/\/docs\.docker\.com/);
    expect(err.message).toMatch(/kind not found on PATH \(install kind v0\.29\.0: https:\/\/kind\.sigs\.k8s\.io/);
    expect(err.message).toContain('--cluster local');
    expect(await detectCluster(rec.runner)).toEqual({ platform: 'local', reason: expect.stringContaining('docker not found') });
  });

  it('docker daemon down: names the daemon, quotes docker, still exit code 2', async () => {
    const rec = recorder((c) => {
      if (c.file === 'docker' && c.args[0] === 'version') return { exitCode: 1, stdout: '28.2.2\n', stderr: DAEMON_DOWN };
      if (c.file === 'docker' && c.args[0] === 'info') return { exitCode: 1, stderr: `Client:\n Version: 28.2.2\n${DAEMON_DOWN}` };
      return healthyTools(c) ?? {};
    });
    const { available, reason } = await kindAvailability(rec.runner);
    expect(available).toBe(false);
    expect(reason).toBe(`docker 28.2.2 is installed but its daemon is not reachable (${DAEMON_DOWN}); start Docker`);
    const err = await rejection(assertKindUsable(rec.runner));
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('kind not found');
  });

  it('a daemon that does not answer in time is reported as such', async () => {
    const rec = recorder((c) => (c.args[0] === 'info' ? { timedOut: true, exitCode: -1 } : (healthyTools(c) ?? {})));
    expect((await kindAvailability(rec.runner)).reason).toMatch(/daemon is not reachable \(no answer in 15s\)/);
  });

  it('kind present but broken', async () => {
    const rec = recorder((c) => (c.file === 'kind' ? { exitCode: 1, stderr: 'exec format error' } : (healthyTools(c) ?? {})));
    expect(await kindAvailability(rec.runner)).toEqual({ available: false, reason: '`kind version` failed: exec format error' });
  });

  it('on this machine, with the real CLIs, the answer is consistent: usable, or one line with exit code 2', async () => {
    const { available, reason } = await kindAvailability(execaRunner);
    expect(reason.length).toBeGreaterThan(0);
    if (available) {
      await expect(assertKindUsable(execaRunner)).resolves.toBeDefined();
    } else {
      const err = await rejection(assertKindUsable(execaRunner));
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain(reason);
      expect(err.message).not.toContain('\n');
    }
  });
});
