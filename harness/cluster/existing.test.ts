import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from '../platform/testing/fake-kube-api.ts';
import { PlatformError } from '../platform/types.ts';
import { openExistingPlatform, preflightExistingContext } from './existing.ts';

let fake: FakeKubeApi;
beforeEach(async () => {
  fake = await startFakeKubeApi();
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
});

describe('openExistingPlatform', () => {
  it('needs the context named and allowed', () => {
    for (const o of [{ context: undefined, allowContext: true }, { context: 'staging', allowContext: false }]) {
      try {
        openExistingPlatform({ ...o, runId: 'r', kubeconfig: fake.kubeConfig(['staging']).exportConfig() });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PlatformError);
        expect((e as PlatformError).exitCode).toBe(2);
        expect((e as Error).message).toBe('--cluster existing needs --context NAME and --allow-context (the drill changes and deletes objects there)');
      }
    }
  });

  it('uses exactly the named context, not the current one', async () => {
    const kc = fake.kubeConfig(['prod', 'staging']);
    expect(kc.getCurrentContext()).toBe('prod');
    const p = openExistingPlatform({ context: 'staging', allowContext: true, runId: 'r', kubeconfig: kc.exportConfig() });
    expect(p.name).toBe('existing');
    expect(p.context).toBe('staging');
    expect(await p.getDeployment('hyperpage', 'x')).toBeUndefined();
    expect(() => openExistingPlatform({ context: 'nope', allowContext: true, runId: 'r', kubeconfig: kc.exportConfig() })).toThrow(/kube context "nope" not found/);
  });

  it('an unreadable kubeconfig is one line, exit code 2', () => {
    try {
      openExistingPlatform({ context: 'staging', allowContext: true, runId: 'r', kubeconfig: 'clusters: [' });
      expect.unreachable();
    } catch (e) {
      expect((e as PlatformError).exitCode).toBe(2);
      expect((e as Error).message).toMatch(/^cannot read the kubeconfig: /);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('preflight: the API server of the named context answers', async () => {
    const kubeconfig = fake.kubeConfig(['prod', 'staging']).exportConfig();
    expect(await preflightExistingContext({ context: 'staging', allowContext: true, kubeconfig })).toBe(fake.url);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/api/v1/namespaces')).toBe(true);
  });

  it('preflight: a context that is missing, or whose API server does not answer, is one line with exit code 2', async () => {
    const dead = fake.kubeConfig(['staging']).exportConfig().replace(fake.url, 'http://127.0.0.1:1');
    for (const [context, message] of [
      ['nope', /^kube context "nope" not found in the kubeconfig \(known: staging\)$/],
      ['staging', /^context staging: API server at http:\/\/127\.0\.0\.1:1 unreachable \(ECONNREFUSED\); check the context and that the cluster is up$/],
    ] as const) {
      const err = await preflightExistingContext({ context, allowContext: true, kubeconfig: dead }, 2000).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(PlatformError);
      expect((err as PlatformError).exitCode).toBe(2);
      expect((err as Error).message).toMatch(message);
    }
  });
});
