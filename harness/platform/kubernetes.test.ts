import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectsWith } from './testing/helpers.ts';
import { KubeApiError } from './kube-errors.ts';
import { KubernetesPlatform, type KubernetesPlatformOptions } from './kubernetes.ts';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { startFakeKubeApi, type FakeKubeApi } from './testing/fake-kube-api.ts';
import { PlatformError, RUN_LABEL, WaitTimeoutError } from './types.ts';
import { type KubeObject } from '../model/platform.ts';

const NS = TOPOLOGY.namespace;
let fake: FakeKubeApi;
let progress: string[];

beforeEach(async () => {
  fake = await startFakeKubeApi();
  progress = [];
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
});

function platform(over: Partial<KubernetesPlatformOptions> = {}): KubernetesPlatform {
  return new KubernetesPlatform({
    kubeConfig: fake.kubeConfig(),
    target: { platform: 'kind', clusterName: 'drill-test' },
    runId: 'run-1',
    progress: (l) => progress.push(l),
    pollIntervalMs: 10,
    requestTimeoutMs: 2_000,
    ...over,
  });
}


function deployment(name: string, labels: Record<string, string> = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'hyperpage:v0.1.0', env: [{ name: 'DB_ENGINE', value: 'postgres' }, { name: 'KEEP', value: '1' }] }] } },
    },
  };
}

describe('context safety', () => {
  it('refuses an existing context unless allowed, and a context the kubeconfig does not have', async () => {
    const kc = fake.kubeConfig(['prod', 'kind-drill-test']);
    expect(() => new KubernetesPlatform({ kubeConfig: kc, target: { platform: 'existing', context: 'prod', allowContext: false }, runId: 'r' })).toThrow(
      /refusing kube context "prod": drilling an existing cluster needs --context NAME and --allow-context/,
    );
    try {
      new KubernetesPlatform({ kubeConfig: kc, target: { platform: 'kind', clusterName: 'other' }, runId: 'r' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlatformError);
      expect((e as PlatformError).exitCode).toBe(2);
      expect((e as Error).message).toBe('kube context "kind-other" not found in the kubeconfig (known: prod, kind-drill-test)');
    }
    expect(fake.requests).toEqual([]);
  });

  it('pins the kind context even when another one is current, and talks only to its server', async () => {
    await using prod = await startFakeKubeApi();
    const kc = prod.kubeConfig(['prod']);
    const kindKc = fake.kubeConfig(['kind-drill-test']);
    kc.addCluster({ ...kindKc.getCluster('fake')!, name: 'kind' });
    kc.addContext({ name: 'kind-drill-test', cluster: 'kind', user: 'tester' });
    expect(kc.getCurrentContext()).toBe('prod');
    const p = platform({ kubeConfig: kc });
    expect(p.context).toBe('kind-drill-test');
    await p.getDeployment(NS, 'hyperpage');
    expect(prod.requests).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('says which context and namespace before the first change', async () => {
    const patchesAtAnnouncement: number[] = [];
    const p = platform({ progress: (l) => { progress.push(l); if (l.includes('namespace')) patchesAtAnnouncement.push(fake.requestsTo('PATCH', /./).length); } });
    expect(progress[0]).toMatch(/^kubernetes: context kind-drill-test \(API server http:\/\/127\.0\.0\.1:\d+\), run run-1$/);
    await p.apply(await loadBaselineManifests());
    expect(progress).toContain('kubernetes: creating namespace "hyperpage" on context kind-drill-test');
    expect(patchesAtAnnouncement[0]).toBe(0);
  });
});

describe('apply', () => {
  it('server-side applies the baseline with the run label, field manager and force', async () => {
    const p = platform();
    const baseline = await loadBaselineManifests();
    await p.apply(baseline);
    const patches = fake.requestsTo('PATCH', /./);
    expect(patches.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/hyperpage',
      '/api/v1/namespaces/hyperpage/secrets/hyperpage-postgres-credentials',
      '/api/v1/namespaces/hyperpage/secrets/hyperpage-app-secrets',
      '/api/v1/namespaces/hyperpage/persistentvolumeclaims/hyperpage-postgres-pvc',
      '/api/v1/namespaces/hyperpage/persistentvolumeclaims/hyperpage-data-pvc',
      '/apis/apps/v1/namespaces/hyperpage/deployments/hyperpage-postgres',
      '/api/v1/namespaces/hyperpage/services/hyperpage-postgres',
      '/apis/apps/v1/namespaces/hyperpage/deployments/hyperpage',
      '/api/v1/namespaces/hyperpage/services/hyperpage-service',
    ]);
    for (const r of patches) {
      expect(r.contentType).toBe('application/apply-patch+yaml');
      expect(r.query.get('fieldManager')).toBe('rollback-drill');
      expect(r.query.get('force')).toBe('true');
      expect((r.body as KubeObject).metadata?.labels?.[RUN_LABEL]).toBe('run-1');
    }
    const app = fake.get('deployments', NS, 'hyperpage')!;
    expect(app.spec.template.metadata.labels).toMatchObject({ app: 'hyperpage', engine: 'postgres', [RUN_LABEL]: 'run-1' });
    expect(app.spec.selector.matchLabels).not.toHaveProperty(RUN_LABEL);
    expect(app.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_ENGINE', value: 'postgres' });
    // The caller's objects are not mutated.
    expect(baseline.find((o) => o.metadata?.name === 'hyperpage' && o.kind === 'Deployment')!.metadata!.labels).not.toHaveProperty(RUN_LABEL);
  });

  it('refuses to change an object nobody labelled, adopts one an earlier drill run labelled', async () => {
    fake.put('deployments', { ...deployment('theirs'), metadata: { name: 'theirs', namespace: NS } });
    fake.put('deployments', { ...deployment('earlier'), metadata: { name: 'earlier', namespace: NS, labels: { [RUN_LABEL]: 'run-0' } } });
    const p = platform();
    const err = await rejectsWith(p.apply(deployment('theirs')), PlatformError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^refusing to change Deployment hyperpage\/theirs: it exists on context kind-drill-test without the drill\.rollback\/run label/);
    expect(fake.requestsTo('PATCH', /theirs/)).toEqual([]);
    await rejectsWith(p.scale(NS, 'theirs', 0), PlatformError);
    await rejectsWith(p.delete('Deployment', NS, 'theirs'), PlatformError);
    expect(fake.get('deployments', NS, 'theirs')).toBeDefined();

    await p.apply(deployment('earlier'));
    expect(fake.get('deployments', NS, 'earlier')!.metadata!.labels[RUN_LABEL]).toBe('run-1');
  });

  it('a pre-existing namespace is used as it is: not labelled, not deleted', async () => {
    fake.put('namespaces', { metadata: { name: NS } });
    const p = platform();
    await p.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, deployment('app')]);
    expect(fake.requestsTo('PATCH', /^\/api\/v1\/namespaces\/hyperpage$/)).toEqual([]);
    expect(progress).toContain('kubernetes: namespace "hyperpage" already exists: using it, it will not be deleted');
    await rejectsWith(p.delete('Namespace', '', NS), PlatformError);
    await p.teardown();
    expect(fake.get('namespaces', undefined, NS)).toBeDefined();
    expect(fake.get('deployments', NS, 'app')).toBeUndefined();
  });

  it('retries a 409 Conflict, and gives up with the server reason after the retries', async () => {
    const p = platform();
    fake.faults.push({ method: 'PATCH', path: /deployments\/app$/, status: 409, reason: 'Conflict', message: 'the object has been modified', times: 2 });
    await p.apply(deployment('app'));
    expect(fake.requestsTo('PATCH', /deployments\/app$/)).toHaveLength(3);

    fake.faults.push({ method: 'PATCH', path: /deployments\/app$/, status: 409, reason: 'Conflict', message: 'the object has been modified', times: 99 });
    const err = await rejectsWith(platform({ conflictRetries: 1 }).apply(deployment('app')), KubeApiError);
    expect(err.status).toBe(409);
    expect(err.message).toBe('apply Deployment hyperpage/app: API server answered 409 Conflict: the object has been modified');
  });

  it('a rejected manifest (422) is a KubeApiError naming the object and the server message', async () => {
    fake.faults.push({ method: 'PATCH', path: /deployments\/bad$/, status: 422, reason: 'Invalid', message: 'Deployment.apps "bad" is invalid: spec.template.spec.volumes[0].persistentVolumeClaim.claimName: Required value' });
    const err = await rejectsWith(platform().apply(deployment('bad')), KubeApiError);
    expect(err.status).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toContain('apply Deployment hyperpage/bad: API server answered 422 Invalid: Deployment.apps "bad" is invalid');
  });
});

describe('scale, selector, env, status', () => {
  it('scales through the scale subresource with a merge patch', async () => {
    const p = platform();
    await p.apply(deployment('app'));
    await p.scale(NS, 'app', 3);
    const [req] = fake.requestsTo('PATCH', /\/scale$/);
    expect(req!.path).toBe('/apis/apps/v1/namespaces/hyperpage/deployments/app/scale');
    expect(req!.contentType).toBe('application/merge-patch+json');
    expect(req!.body).toEqual({ spec: { replicas: 3 } });
    expect(fake.get('deployments', NS, 'app')!.spec.replicas).toBe(3);
    expect(await p.waitForReady(NS, 'app', 3, { timeoutMs: 2_000 })).toEqual({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
  });

  it('scaling a deployment that does not exist is a 404 KubeApiError', async () => {
    const err = await rejectsWith(platform().scale(NS, 'ghost', 1), KubeApiError);
    expect(err.status).toBe(404);
  });

  it('merge-patches the service selector as the runbook does', async () => {
    const p = platform();
    await p.apply((await loadBaselineManifests()).filter((o) => o.kind === 'Namespace' || o.kind === 'Service'));
    await p.patchServiceSelector(NS, TOPOLOGY.appService, { app: 'hyperpage', component: 'app', emergency: 'true' });
    const req = fake.requestsTo('PATCH', /services\/hyperpage-service$/).at(-1)!;
    expect(req.contentType).toBe('application/merge-patch+json');
    expect(req.body).toEqual({ spec: { selector: { app: 'hyperpage', component: 'app', emergency: 'true' } } });
    expect((await p.getService(NS, TOPOLOGY.appService))!.spec!.selector).toEqual({ app: 'hyperpage', component: 'app', emergency: 'true' });
  });

  it('sets and removes env vars of one container, keeping the others', async () => {
    const p = platform();
    await p.apply(deployment('app'));
    await p.setDeploymentEnv(NS, 'app', { DB_ENGINE: 'sqlite', DATABASE_PATH: '/data/hyperpage.db', KEEP: null });
    const req = fake.requestsTo('PATCH', /deployments\/app$/).at(-1)!;
    expect(req.contentType).toBe('application/merge-patch+json');
    const env = fake.get('deployments', NS, 'app')!.spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'DB_ENGINE', value: 'sqlite' },
      { name: 'DATABASE_PATH', value: '/data/hyperpage.db' },
    ]);
  });

  it('reads deployments: missing is undefined, status counts default to 0', async () => {
    const p = platform();
    expect(await p.getDeployment(NS, 'nope')).toBeUndefined();
    expect(await p.getService(NS, 'nope')).toBeUndefined();
    fake.deploymentReadyAfterMs = undefined;
    await p.apply(deployment('app'));
    expect(await p.getDeploymentStatus(NS, 'app')).toEqual({ replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 });
    await rejectsWith(p.getDeploymentStatus(NS, 'nope'), KubeApiError);
  });

  it('waitForReady reports progress and waits for the controller to observe a scale to 0', async () => {
    const p = platform();
    await p.apply(deployment('app'));
    await p.waitForReady(NS, 'app', 1, { timeoutMs: 2_000 });
    fake.deploymentReadyAfterMs = 150;
    await p.scale(NS, 'app', 0);
    const seen: number[] = [];
    const started = Date.now();
    const s = await p.waitForReady(NS, 'app', 0, { timeoutMs: 2_000, onProgress: (st) => seen.push(st.replicas) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100); // the stale 1/1 status did not count
    expect(s.replicas).toBe(0);
    expect(seen).toEqual([1, 0]);
  });

  it('waitForReady times out with the last status', async () => {
    fake.deploymentReadyAfterMs = undefined;
    const p = platform();
    await p.apply(deployment('app'));
    const err = await rejectsWith(p.waitForReady(NS, 'app', 3, { timeoutMs: 200 }), WaitTimeoutError);
    expect(err.message).toBe('deployment hyperpage/app not ready with 3 replicas within 0s (ready 0/0, updated 0, available 0)');
    expect(err.lastStatus).toEqual({ replicas: 0, readyReplicas: 0, availableReplicas: 0, updatedReplicas: 0 });
  });

  it('an API server that does not answer: PlatformError after the request timeout', async () => {
    fake.hang.push(/deployments\/slow$/);
    const p = platform({ requestTimeoutMs: 300 });
    const started = Date.now();
    const err = await rejectsWith(p.getDeployment(NS, 'slow'), PlatformError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^read deployment hyperpage\/slow: no answer from the API server at http:\/\/127\.0\.0\.1:\d+ within 0\.3s$/);
  });

  it('an API server that is gone: PlatformError naming it', async () => {
    const p = platform();
    await fake[Symbol.asyncDispose]();
    const err = await rejectsWith(p.getDeployment(NS, 'app'), PlatformError);
    expect(err.message).toMatch(/^read deployment hyperpage\/app: API server at http:\/\/127\.0\.0\.1:\d+ unreachable \(ECONNREFUSED\)$/);
    fake = await startFakeKubeApi(); // for afterEach
  });
});

describe('jobs', () => {
  const job = (name: string): V1Job => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'sync', image: 'hyperpage:v0.1.0', command: ['node', 'cli.js', 'sync'] }] } } },
  });

  it('creates the job with the run label, waits, returns logs and exit code', async () => {
    fake.jobOutcome = () => ({ exitCode: 0, logs: 'copied 500 rows\nverified\n' });
    const p = platform();
    const r = await p.runJob(job('sync'), { timeoutMs: 3_000 });
    expect(r).toMatchObject({ name: 'sync', succeeded: true, exitCode: 0, logs: 'copied 500 rows\nverified\n' });
    const [post] = fake.requestsTo('POST', /jobs$/);
    expect((post!.body as V1Job).metadata!.labels![RUN_LABEL]).toBe('run-1');
    expect((post!.body as V1Job).spec!.template.metadata!.labels![RUN_LABEL]).toBe('run-1');
  });

  it('a failed job gives its exit code; a leftover of this run is replaced (409 while it goes is retried)', async () => {
    fake.jobOutcome = () => ({ exitCode: 2, logs: 'checksum mismatch\n' });
    const p = platform();
    await p.runJob(job('sync'), { timeoutMs: 3_000 });
    fake.faults.push({ method: 'POST', path: /jobs$/, status: 409, reason: 'AlreadyExists', message: 'jobs.batch "sync" already exists', times: 1 });
    const r = await p.runJob(job('sync'), { timeoutMs: 3_000 });
    expect(r).toMatchObject({ succeeded: false, exitCode: 2, logs: 'checksum mismatch\n' });
    expect(fake.requestsTo('DELETE', /jobs\/sync$/)).toHaveLength(1);
    expect(fake.requestsTo('POST', /jobs$/)).toHaveLength(3);
  });

  it('a job that does not finish: WaitTimeoutError and the job is deleted', async () => {
    fake.jobOutcome = undefined;
    const err = await rejectsWith(platform().runJob(job('stuck'), { timeoutMs: 200 }), WaitTimeoutError);
    expect(err.message).toMatch(/^job hyperpage\/stuck did not finish within 0s/);
    expect(fake.get('jobs', NS, 'stuck')).toBeUndefined();
  });
});

describe('exec', () => {
  async function running(p: KubernetesPlatform): Promise<void> {
    await p.apply(deployment('app'));
    await p.waitForReady(NS, 'app', 1, { timeoutMs: 2_000 });
  }

  it('runs in a ready pod of the deployment, with stdin, and returns output and exit status', async () => {
    const seen: unknown[] = [];
    fake.exec = (ctx) => {
      seen.push(ctx);
      return { stdout: `users: 42\n`, stderr: 'warning\n', exitCode: 0 };
    };
    const p = platform();
    await running(p);
    const r = await p.exec(NS, 'app', ['sqlite3', '/data/hyperpage.db', 'SELECT COUNT(*) FROM users;'], { stdin: 'ignored' });
    expect(r).toEqual({ exitCode: 0, stdout: 'users: 42\n', stderr: 'warning\n', pod: 'app-5d8f7-0' });
    expect(seen[0]).toEqual({ namespace: NS, pod: 'app-5d8f7-0', container: 'main', command: ['sqlite3', '/data/hyperpage.db', 'SELECT COUNT(*) FROM users;'], stdin: 'ignored' });
  });

  it('a non-zero exit and a missing executable are results, not exceptions', async () => {
    const p = platform();
    await running(p);
    fake.exec = () => ({ stderr: 'boom\n', exitCode: 3 });
    expect(await p.exec(NS, 'app', ['false'])).toMatchObject({ exitCode: 3, stderr: 'boom\n' });
    fake.exec = () => ({ failureMessage: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "sqlite3": executable file not found in $PATH: unknown' });
    const r = await p.exec(NS, 'app', ['sqlite3']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain('"sqlite3": executable file not found');
  });

  it('exec refused by the API server (403 on the upgrade) is one clear line', async () => {
    const p = platform();
    await running(p);
    fake.exec = 'forbidden';
    const err = await rejectsWith(p.exec(NS, 'app', ['true']), PlatformError);
    expect(err.message).toBe('exec into pod hyperpage/app-5d8f7-0 (true): the API server refused the exec connection: Unexpected server response: 403 (forbidden: the credentials may not create pods/exec)');
  });

  it('a deployment scaled to 0 has no pod to exec into', async () => {
    const p = platform();
    await running(p);
    await p.scale(NS, 'app', 0);
    await p.waitForReady(NS, 'app', 0, { timeoutMs: 2_000 });
    const err = await rejectsWith(p.exec(NS, 'app', ['true']), KubeApiError);
    expect(err.message).toBe('exec into deployment hyperpage/app: no running pod (0 replicas)');
  });
});

describe('artifacts, service URL, teardown', () => {
  it('collects logs of the run\'s pods with their owner, and events oldest first', async () => {
    const p = platform();
    await p.apply(deployment('app'));
    await p.waitForReady(NS, 'app', 1, { timeoutMs: 2_000 });
    fake.podLogs.set(`${NS}/app-5d8f7-0/main`, 'listening on 3000\n');
    fake.put('pods', { metadata: { name: 'stranger', namespace: NS, labels: {} }, spec: { containers: [{ name: 'x', image: 'x' }] } });
    fake.put('events', { metadata: { name: 'e2', namespace: NS }, type: 'Warning', reason: 'BackOff', involvedObject: { kind: 'Pod', name: 'app-5d8f7-0' }, message: 'Back-off', lastTimestamp: '2025-01-01T00:00:02Z' });
    fake.put('events', { metadata: { name: 'e1', namespace: NS }, type: 'Normal', reason: 'Scheduled', involvedObject: { kind: 'Pod', name: 'app-5d8f7-0' }, message: 'assigned', lastTimestamp: '2025-01-01T00:00:01Z' });
    expect(await p.logs(NS)).toEqual([{ pod: 'app-5d8f7-0', container: 'main', owner: 'app', text: 'listening on 3000\n' }]);
    expect(await p.events(NS)).toEqual([
      { time: '2025-01-01T00:00:01.000Z', type: 'Normal', reason: 'Scheduled', object: 'Pod/app-5d8f7-0', message: 'assigned' },
      { time: '2025-01-01T00:00:02.000Z', type: 'Warning', reason: 'BackOff', object: 'Pod/app-5d8f7-0', message: 'Back-off' },
    ]);
  });

  it('kind: the service URL comes from the resolver (the NodePort mapping)', async () => {
    const seen: unknown[] = [];
    const p = platform({ serviceUrl: async (svc, port) => (seen.push([svc.metadata?.name, port.nodePort]), 'http://127.0.0.1:31234') });
    await p.apply((await loadBaselineManifests()).filter((o) => o.kind === 'Namespace' || o.kind === 'Service'));
    expect(await p.serviceUrl(NS, TOPOLOGY.appService)).toBe('http://127.0.0.1:31234');
    expect(seen).toEqual([[TOPOLOGY.appService, 30080]]);
    await rejectsWith(p.serviceUrl(NS, TOPOLOGY.appService, 8080), PlatformError);
  });

  it('existing: a 127.0.0.1 proxy through the API server\'s service proxy, per request', async () => {
    const p = platform({ target: { platform: 'existing', context: 'staging', allowContext: true }, kubeConfig: fake.kubeConfig(['staging']) });
    await p.apply((await loadBaselineManifests()).filter((o) => o.kind === 'Namespace' || o.kind === 'Service'));
    const url = await p.serviceUrl(NS, TOPOLOGY.appService);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ via: 'apiserver-proxy', namespace: NS, service: TOPOLOGY.appService, path: '/api/health', method: 'GET' });
    const [req] = fake.requestsTo('GET', /\/proxy\//);
    expect(req!.path).toBe('/api/v1/namespaces/hyperpage/services/hyperpage-service:80/proxy/api/health');
    await p[Symbol.asyncDispose]();
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('teardown deletes only what carries this run\'s label, then the namespace it created; idempotent', async () => {
    const p = platform();
    await p.apply(await loadBaselineManifests());
    await p.apply(deployment('extra'));
    fake.put('configmaps', { metadata: { name: 'not-ours', namespace: 'other' } });
    await p.teardown();
    const deletes = fake.requestsTo('DELETE', /./).map((r) => r.path);
    expect(deletes).toEqual(['/api/v1/namespaces/hyperpage']);
    expect(fake.get('configmaps', 'other', 'not-ours')).toBeDefined();
    expect(progress).toContain('kubernetes: deleting namespace "hyperpage" (created by this run)');
    await p.teardown();
    expect(fake.requestsTo('DELETE', /./)).toHaveLength(1);
  });

  it('in a namespace it did not create, teardown sweeps labelled objects by kind and leaves the rest', async () => {
    fake.put('namespaces', { metadata: { name: NS } });
    fake.put('services', { metadata: { name: 'theirs', namespace: NS, labels: { app: 'x' } } });
    fake.put('secrets', { metadata: { name: 'other-run', namespace: NS, labels: { [RUN_LABEL]: 'run-0' } } });
    const p = platform();
    await p.apply((await loadBaselineManifests()).filter((o) => o.kind !== 'Namespace'));
    await p.delete('Secret', NS, 'does-not-exist');
    await p[Symbol.asyncDispose]();
    const lists = fake.requestsTo('GET', /^\/api(s\/[^/]+)?\/v1\/namespaces\/hyperpage\/[a-z]+$/);
    expect(lists.every((r) => r.query.get('labelSelector') === `${RUN_LABEL}=run-1`)).toBe(true);
    expect([...fake.store.keys()].sort()).toEqual(['namespaces//hyperpage', 'secrets/hyperpage/other-run', 'services/hyperpage/theirs']);
  });
});
