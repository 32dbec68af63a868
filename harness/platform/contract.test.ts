// The Platform contract (types.ts), one suite run against both platforms: the local platform with
// real processes (the fixture app as pods) and the kubernetes platform against the fake API server
// (whose stand-in kubelet runs Job and exec commands on this host). Same cases, same expectations;
// where a platform cannot show something (the fake has no pods to route HTTP to, the local platform
// holds no object it did not create) the target says so and the case checks the rest.
// The local half starts processes: run this file under the heavy lock.
import type { V1ConfigMap, V1Job, V1Service } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { until, rejectsWith } from './testing/helpers.ts';
import { KubeApiError } from './kube-errors.ts';
import { KubernetesPlatform } from './kubernetes.ts';
import { FIXTURE_IMAGE, fixtureDeployment, fixtureImages, fixtureService, namespace, pvc } from './local/fixtures/objects.ts';
import { createLocalPlatform } from './local/platform.ts';
import { startFakeKubeApi, type FakeKubeApi } from './testing/fake-kube-api.ts';
import { PlatformError, RUN_LABEL, WaitTimeoutError } from './types.ts';
import { type Platform } from '../model/platform.ts';

const NS = 'drill-contract';
const READY_MS = 30_000;

interface Subject extends AsyncDisposable {
  platform: Platform;
}

interface ContractTarget {
  name: string;
  start(): Promise<Subject>;
  /** The Service URL reaches real pods (local); the fake API server's service proxy is a stub. */
  servesTraffic: boolean;
  /**
   * Put a namespace and an unlabelled ConfigMap `theirs` in it, as someone else would; undefined when
   * the platform cannot hold an object the run did not create (the local platform).
   */
  plantForeign?: (subject: Subject) => void;
  /** Does the foreign ConfigMap still exist? */
  foreignExists?: (subject: Subject) => boolean;
}

/** Run a container's command on this host: the fake's kubelet for Jobs and exec. */
function runHere(command: string[], stdin = ''): { exitCode: number; stdout: string; stderr: string } {
  const r = spawnSync(command[0]!, command.slice(1), { input: stdin, encoding: 'utf8', timeout: 10_000 });
  return { exitCode: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const local: ContractTarget = {
  name: 'local',
  servesTraffic: true,
  async start() {
    const platform = await createLocalPlatform({ images: fixtureImages(), restartBackoffMs: { initial: 200, max: 2000 }, resyncMs: 100, handleSignals: false });
    return { platform, [Symbol.asyncDispose]: () => platform[Symbol.asyncDispose]() };
  },
};

type FakeSubject = Subject & { fake: FakeKubeApi };

const kubernetesOnFake: ContractTarget = {
  name: 'kubernetes (fake API server)',
  servesTraffic: false,
  async start(): Promise<FakeSubject> {
    const fake = await startFakeKubeApi();
    fake.jobOutcome = (job) => {
      const c = job.spec?.template?.spec?.containers?.[0] ?? {};
      const command: string[] = [...(c.command ?? []), ...(c.args ?? [])];
      // `sleep N` takes N seconds without blocking the fake's event loop.
      if (command[0] === 'sleep') return { exitCode: 0, logs: '', afterMs: Number(command[1]) * 1000 };
      const r = runHere(command);
      return { exitCode: r.exitCode, logs: r.stdout + r.stderr };
    };
    fake.exec = ({ command, stdin }) => runHere(command, stdin);
    const platform = new KubernetesPlatform({
      kubeConfig: fake.kubeConfig(),
      target: { platform: 'kind', clusterName: 'drill-test' },
      runId: 'contract-run',
      pollIntervalMs: 20,
      requestTimeoutMs: 5_000,
    });
    return {
      platform,
      fake,
      async [Symbol.asyncDispose]() {
        try {
          await platform[Symbol.asyncDispose]();
        } finally {
          await fake[Symbol.asyncDispose]();
        }
      },
    };
  },
  plantForeign(subject) {
    const { fake } = subject as FakeSubject;
    fake.put('namespaces', { metadata: { name: NS } });
    fake.put('configmaps', { metadata: { name: 'theirs', namespace: NS, labels: { app: 'theirs' } }, data: { keep: 'me' } });
  },
  foreignExists: (subject) => (subject as FakeSubject).fake.get('configmaps', NS, 'theirs') !== undefined,
};



const web = (name: string, labels: Record<string, string>, replicas = 1) => fixtureDeployment({ name, labels, replicas, ns: NS });

function job(name: string, script: string): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: FIXTURE_IMAGE, command: ['sh', '-c', script] }] } } },
  };
}

describe.each([local, kubernetesOnFake])('Platform contract: $name', (target) => {
  it('apply: the objects carry the run label (their pods too), the caller\'s objects are not changed; status of a ready deployment', async () => {
    await using s = await target.start();
    const p = s.platform;
    const dep = web('web', { app: 'web' });
    const config: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { a: '1' } };
    await p.apply([namespace(NS), config, pvc('data', NS), dep, fixtureService('web', { app: 'web' }, NS)]);
    expect(dep.metadata?.labels).not.toHaveProperty(RUN_LABEL);

    const ready = await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });
    expect(ready).toEqual({ replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 });
    expect(await p.getDeploymentStatus(NS, 'web')).toEqual(ready);
    const got = await p.getDeployment(NS, 'web');
    expect(got?.metadata?.labels?.[RUN_LABEL]).toBe(p.runId);
    expect(got?.spec?.template.metadata?.labels?.[RUN_LABEL]).toBe(p.runId);
    expect(got?.status?.observedGeneration).toBeGreaterThanOrEqual(got?.metadata?.generation ?? 0);
    expect((await p.getService(NS, 'web'))?.metadata?.labels?.[RUN_LABEL]).toBe(p.runId);
    const pods = await p.listPods(NS, { app: 'web' });
    expect(pods).toHaveLength(1);
    expect(pods[0]!.metadata?.labels?.[RUN_LABEL]).toBe(p.runId);
    expect(await p.listPods(NS, { [RUN_LABEL]: p.runId })).toHaveLength(1);
  });

  it('scale up and down: waitForReady counts only a status of the latest spec', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply([namespace(NS), web('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });

    await p.scale(NS, 'web', 2);
    expect(await p.waitForReady(NS, 'web', 2, { timeoutMs: READY_MS })).toEqual({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
    // 2 ready pods satisfy "ready >= 1", yet the wait after a scale to 1 returns the new status only.
    await p.scale(NS, 'web', 1);
    expect(await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS })).toEqual({ replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 });
    await p.scale(NS, 'web', 0);
    expect(await p.waitForReady(NS, 'web', 0, { timeoutMs: READY_MS })).toMatchObject({ replicas: 0, readyReplicas: 0 });
    expect(await p.getDeploymentStatus(NS, 'web')).toEqual({ replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 });
    await until('no pod left', async () => ((await p.listPods(NS, { app: 'web' })).length === 0 ? true : undefined));
  });

  it('a missing deployment: NotFound for status, scale and exec; undefined for get; a wait times out saying "not found"', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply(namespace(NS));
    expect(await p.getDeployment(NS, 'ghost')).toBeUndefined();
    expect(await p.getService(NS, 'ghost')).toBeUndefined();
    for (const call of [() => p.getDeploymentStatus(NS, 'ghost'), () => p.scale(NS, 'ghost', 1), () => p.exec(NS, 'ghost', ['true'])]) {
      const err = await rejectsWith(call(), KubeApiError);
      expect(err.status).toBe(404);
      expect(err.reason).toBe('NotFound');
    }
    const timeout = await rejectsWith(p.waitForReady(NS, 'ghost', 1, { timeoutMs: 300 }), WaitTimeoutError);
    expect(timeout.message).toContain('not found');
    expect(timeout.lastStatus).toBeUndefined();
  });

  it('a wait ends on the caller\'s signal with the signal\'s reason, long before its timeout', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply(namespace(NS));
    const budget = new Error('step budget exceeded');
    const started = Date.now();
    const err = await rejectsWith(p.waitForReady(NS, 'ghost', 1, { timeoutMs: 20_000, signal: AbortSignal.timeout(200) }), Error);
    expect(err.name).toMatch(/TimeoutError|Abort/);
    expect(Date.now() - started).toBeLessThan(2_000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(budget), 100);
    expect(await rejectsWith(p.waitForReady(NS, 'ghost', 1, { timeoutMs: 20_000, signal: ac.signal }), Error)).toBe(budget);
  });

  it('setDeploymentEnv merges the env of the container and rolls the pods; a missing container or deployment is an error', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply([namespace(NS), fixtureDeployment({ name: 'web', labels: { app: 'web' }, ns: NS, env: { MODE: 'one', KEEP: '1', DROP: 'x' } })]);
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });
    const generation = (await p.getDeployment(NS, 'web'))!.metadata!.generation!;

    await p.setDeploymentEnv(NS, 'web', { MODE: 'two', DROP: null, ADDED: 'yes' });
    const dep = (await p.getDeployment(NS, 'web'))!;
    expect(dep.metadata!.generation).toBeGreaterThan(generation);
    const env = dep.spec!.template.spec!.containers[0]!.env!.map((e) => `${e.name}=${e.value}`);
    expect(env).toEqual(['NAME=web', 'MODE=two', 'KEEP=1', 'ADDED=yes']); // in place, removed, appended
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });
    await until('pods rolled to the new env', async () => {
      const pods = await p.listPods(NS, { app: 'web' });
      const modes = pods.map((x) => x.spec?.containers[0]?.env?.find((e) => e.name === 'MODE')?.value);
      return modes.length === 1 && modes[0] === 'two' ? true : undefined;
    });

    expect((await rejectsWith(p.setDeploymentEnv(NS, 'web', { A: 'b' }, 'sidecar'), PlatformError)).exitCode).toBe(2);
    const missing = await rejectsWith(p.setDeploymentEnv(NS, 'ghost', { A: 'b' }), KubeApiError);
    expect(missing.status).toBe(404);
  });

  it('service URL: 127.0.0.1, the first port by default, the same URL when asked again; a missing port or service is an error', async () => {
    await using s = await target.start();
    const p = s.platform;
    const svc: V1Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: NS },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'metrics', port: 9100, targetPort: 3000, protocol: 'TCP' },
          { name: 'http', appProtocol: 'http', port: 80, targetPort: 3000, protocol: 'TCP' },
        ],
      },
    };
    await p.apply([namespace(NS), svc]);
    const byDefault = await p.serviceUrl(NS, 'web');
    expect(byDefault).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(byDefault).toBe(await p.serviceUrl(NS, 'web', 9100));
    expect(await p.serviceUrl(NS, 'web', 80)).not.toBe(byDefault);
    expect(await p.serviceUrl(NS, 'web')).toBe(byDefault);
    expect((await rejectsWith(p.serviceUrl(NS, 'web', 8080), PlatformError)).exitCode).toBe(2);
    expect((await rejectsWith(p.serviceUrl(NS, 'ghost'), KubeApiError)).status).toBe(404);
  });

  it('patchServiceSelector merges the selector; the Service then routes only to ready pods that match it', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply([
      namespace(NS),
      web('blue', { app: 'web', color: 'blue' }),
      web('green', { app: 'web', color: 'green' }),
      fixtureService('web', { app: 'web', color: 'blue' }, NS),
    ]);
    await p.waitForReady(NS, 'blue', 1, { timeoutMs: READY_MS });
    await p.waitForReady(NS, 'green', 1, { timeoutMs: READY_MS });
    const url = await p.serviceUrl(NS, 'web');
    const servedBy = async () => {
      const names = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const res = await request(`${url}/`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
        names.add(((await res.body.json()) as { name: string }).name);
      }
      return [...names];
    };
    if (target.servesTraffic) expect(await servedBy()).toEqual(['blue']);

    await p.patchServiceSelector(NS, 'web', { color: 'green' });
    const selector = (await p.getService(NS, 'web'))?.spec?.selector;
    expect(selector).toEqual({ app: 'web', color: 'green' });
    const endpoints = await p.listPods(NS, selector!);
    expect(endpoints.map((x) => x.metadata?.labels?.color)).toEqual(['green']);
    expect(endpoints.every((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
    if (target.servesTraffic) expect(await servedBy()).toEqual(['green']);
    expect((await rejectsWith(p.patchServiceSelector(NS, 'ghost', { a: 'b' }), KubeApiError)).status).toBe(404);
  });

  it('exec: a non-zero exit is a result; a deployment with no running pod is KubeApiError NoPod', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply([namespace(NS), web('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });
    const r = await p.exec(NS, 'web', ['sh', '-c', 'cat; echo out; echo err >&2; exit 3'], { stdin: 'in\n' });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'in\nout\n', stderr: 'err\n' });
    expect(r.pod).toMatch(/^web-/);

    await p.scale(NS, 'web', 0);
    await p.waitForReady(NS, 'web', 0, { timeoutMs: READY_MS });
    const err = await rejectsWith(p.exec(NS, 'web', ['true']), KubeApiError);
    expect(err.status).toBe(404);
    expect(err.reason).toBe('NoPod');
    expect(err.message).toBe(`exec into deployment ${NS}/web: no running pod (0 replicas)`);
  });

  it('runJob: runs to completion with exit code and logs, a failure is a result, the pods carry the run label', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply(namespace(NS));
    const ok = await p.runJob(job('ok', 'echo working'), { timeoutMs: READY_MS });
    expect(ok).toMatchObject({ name: 'ok', succeeded: true, exitCode: 0 });
    expect(ok.logs).toContain('working');
    const failed = await p.runJob(job('fails', 'echo broken >&2; exit 3'), { timeoutMs: READY_MS });
    expect(failed).toMatchObject({ name: 'fails', succeeded: false, exitCode: 3 });
    expect(failed.logs).toContain('broken');
    const pods = await p.listPods(NS, { 'job-name': 'fails' });
    expect(pods.length).toBeGreaterThanOrEqual(1);
    expect(pods.every((x) => x.metadata?.labels?.[RUN_LABEL] === p.runId)).toBe(true);
    // Same name again: the earlier Job is replaced.
    expect((await p.runJob(job('ok', 'exit 0'), { timeoutMs: READY_MS })).succeeded).toBe(true);
  });

  it('logs: one entry per container of the run\'s pods, named by pod, container and owning Deployment or Job', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply([namespace(NS), web('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });
    await p.runJob(job('hello', 'echo hello from the job'), { timeoutMs: READY_MS });
    const logs = await p.logs(NS);
    const [pod] = await p.listPods(NS, { app: 'web' });
    expect(logs.find((l) => l.owner === 'web')).toMatchObject({ pod: pod!.metadata!.name, container: 'app' });
    expect(logs.find((l) => l.owner === 'hello')).toMatchObject({ container: 'job', text: expect.stringContaining('hello from the job') });
  });

  it('runJob: a job that does not finish in time is a WaitTimeoutError, and is deleted', async () => {
    await using s = await target.start();
    const p = s.platform;
    await p.apply(namespace(NS));
    const slow: V1Job = { ...job('slow', ''), spec: { ...job('slow', '').spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: FIXTURE_IMAGE, command: ['sleep', '30'] }] } } } };
    await rejectsWith(p.runJob(slow, { timeoutMs: 500 }), WaitTimeoutError);
    await until('the slow job\'s pods gone', async () => ((await p.listPods(NS, { 'job-name': 'slow' })).length === 0 ? true : undefined));
    expect((await p.runJob(job('slow', 'echo again'), { timeoutMs: READY_MS })).logs).toContain('again');
  });

  it('delete and teardown remove what the run created (pods with it), and nothing else', async () => {
    await using s = await target.start();
    const p = s.platform;
    target.plantForeign?.(s);
    await p.apply([namespace(NS), web('gone', { app: 'gone' }), web('web', { app: 'web' }), fixtureService('web', { app: 'web' }, NS)]);
    await p.waitForReady(NS, 'gone', 1, { timeoutMs: READY_MS });
    await p.waitForReady(NS, 'web', 1, { timeoutMs: READY_MS });

    await p.delete('Deployment', NS, 'gone');
    expect(await p.getDeployment(NS, 'gone')).toBeUndefined();
    await until('the deleted deployment\'s pods gone', async () => ((await p.listPods(NS, { app: 'gone' })).length === 0 ? true : undefined));
    await p.delete('Deployment', NS, 'gone'); // a missing object is not an error
    if (target.plantForeign) {
      expect((await rejectsWith(p.delete('ConfigMap', NS, 'theirs'), PlatformError)).exitCode).toBe(2);
      expect((await rejectsWith(p.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: NS } }), PlatformError)).exitCode).toBe(2);
    }

    await p.teardown();
    expect(await p.getDeployment(NS, 'web')).toBeUndefined();
    expect(await p.getService(NS, 'web')).toBeUndefined();
    await until('no pod of the run left', async () => ((await p.listPods(NS, { [RUN_LABEL]: p.runId })).length === 0 ? true : undefined));
    await p.teardown(); // idempotent
    if (target.foreignExists) expect(target.foreignExists(s)).toBe(true);
  });
});
