// The conditions procedures wait on, and the waits built from them: each says what it saw last.
import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../platform/kube-errors.ts';
import type { DeploymentStatus, Platform, PodInfo } from '../model/platform.ts';
import { WaitTimeoutError, waitFor } from '../platform/wait.ts';
import { startTestServer } from '../probes/test-server.ts';
import { observeMissingClaim, verifyServedBy } from '../procedures/actions.ts';
import { waitForNoPods } from './pods.ts';
import { deploymentReady, noPodsMatching, servedHealthyBy } from './conditions.ts';
import type { HealthTarget } from './health.ts';

/** The test server speaks the reference app's health contract: its path, its engine header. */
const REF_HEALTH: HealthTarget = { health: { path: '/api/health', reflectsDatabase: true }, identity: { engineHeader: 'x-db-engine' } };

const pod = (name: string, phase: string, terminating = false): PodInfo =>
  ({ metadata: { name, ...(terminating ? { deletionTimestamp: new Date() } : {}) }, status: { phase } }) as PodInfo;

/** Just the Platform calls the conditions make, answering from arrays the test changes. */
function stubPlatform(s: { pods: PodInfo[][]; status?: DeploymentStatus; events?: { reason: string; message: string }[] }): Platform {
  let i = 0;
  return {
    listPods: async () => s.pods[Math.min(i++, s.pods.length - 1)]!,
    getDeploymentStatus: async () => s.status!,
    events: async () => s.events ?? [],
  } as unknown as Platform;
}

describe('noPodsMatching / waitForNoPods', () => {
  it('done once only finished pods are left; returns how long it took', async () => {
    const p = stubPlatform({ pods: [[pod('a', 'Running'), pod('b', 'Running', true)], [pod('a', 'Succeeded')]] });
    const ms = await waitForNoPods(p, 'ns', { app: 'x' }, 2_000);
    expect(ms).toBeLessThan(1_000);
  });

  it('a timeout names the selector and the pods still there', async () => {
    const p = stubPlatform({ pods: [[pod('web-1', 'Running', true)]] });
    const err = (await waitForNoPods(p, 'ns', { app: 'x', engine: 'pg' }, 300).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toMatch(/^timed out after 300 ms waiting for no pods matching app=x,engine=pg in ns \(\d+ checks\); last seen: 1 pod\(s\) left: web-1 \(terminating\)$/);
    expect(err.lastState).toBe('1 pod(s) left: web-1 (terminating)');
  });

  it('the condition alone: not yet with the phases', async () => {
    const c = await noPodsMatching(stubPlatform({ pods: [[pod('a', 'Pending')]] }), 'ns', {})(undefined);
    expect(c).toEqual({ done: false, state: '1 pod(s) left: a (Pending)' });
  });
});

describe('deploymentReady', () => {
  it('done with the status at N ready; otherwise says ready n/N', async () => {
    const status = { replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3 };
    const p = stubPlatform({ pods: [[]], status });
    expect(await deploymentReady(p, 'ns', 'app', 3)(undefined)).toEqual({ done: false, state: 'ready 2/3 (replicas 3, updated 3)' });
    expect(await deploymentReady(p, 'ns', 'app', 2)(undefined)).toEqual({ done: true, value: status });
  });

  it('a missing deployment (NotFound, the Platform contract) is not yet; other errors end the wait', async () => {
    const missing = { getDeploymentStatus: async () => Promise.reject(new KubeApiError('deployment ns/app: not found', 404, 'NotFound')) } as unknown as Platform;
    expect(await deploymentReady(missing, 'ns', 'app', 1)(undefined)).toEqual({ done: false, state: 'deployment ns/app not found' });
    const broken = { getDeploymentStatus: async () => Promise.reject(new Error('API down')) } as unknown as Platform;
    await expect(Promise.resolve(deploymentReady(broken, 'ns', 'app', 1)(undefined))).rejects.toThrow('API down');
  });
});

describe('servedHealthyBy / verifyServedBy', () => {
  it('counts consecutive healthy answers by the engine; a wrong engine starts over', async () => {
    await using srv = await startTestServer();
    srv.state.engine = 'postgres';
    const c = servedHealthyBy(srv.url, REF_HEALTH, 'sqlite', 2);
    expect(await c(undefined)).toEqual({ done: false, state: 'HTTP 200 engine=postgres healthy (0/2 in a row)' });
    srv.state.engine = 'sqlite';
    expect(await c(undefined)).toEqual({ done: false, state: 'HTTP 200 engine=sqlite healthy (1/2 in a row)' });
    expect(await c(undefined)).toEqual({ done: true, value: { streak: 2, requests: 3 } });
  });

  it('verifyServedBy: a sentence with the numbers, or a timeout with the last answer', async () => {
    await using srv = await startTestServer();
    srv.state.engine = 'sqlite';
    expect(await verifyServedBy(srv.url, REF_HEALTH, 'sqlite', { consecutive: 3, timeoutMs: 2_000, intervalMs: 10 })).toBe(
      '3 consecutive healthy responses served by sqlite (3 requests)',
    );
    srv.state.healthy = false;
    const err = (await verifyServedBy(srv.url, REF_HEALTH, 'sqlite', { consecutive: 3, timeoutMs: 200, intervalMs: 20 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toContain(`waiting for 3 consecutive healthy answers served by sqlite at ${srv.url}`);
    expect(err.message).toMatch(/last seen: HTTP 503 engine=sqlite unhealthy \(0\/3 in a row\)$/);
  });

  it('nothing listening: the last answer says why', async () => {
    const err = (await waitFor(servedHealthyBy('http://127.0.0.1:9', REF_HEALTH, 'sqlite', 1), { describe: 'x', timeoutMs: 0 }).catch((e: unknown) => e)) as WaitTimeoutError;
    expect(err.lastState).toMatch(/^HTTP 0 engine=- .*ECONNREFUSED/);
  });
});

describe('observeMissingClaim', () => {
  it('the FailedScheduling message once every pod is Pending; undefined when not seen in time', async () => {
    const events = [{ reason: 'FailedScheduling', message: 'persistentvolumeclaim "hyperpage-pvc" not found' }];
    const p = stubPlatform({ pods: [[pod('a', 'Pending')]], events });
    expect(await observeMissingClaim(p, 'ns', {}, 'hyperpage-pvc', 1_000)).toBe(events[0]!.message);
    const q = stubPlatform({ pods: [[pod('a', 'Running')]], events });
    expect(await observeMissingClaim(q, 'ns', {}, 'hyperpage-pvc', 100)).toBeUndefined();
  });
});
