// The local platform against real processes: the fixture app as pods (fixtures/http-app.ts),
// real HTTP through the service proxy, real signals. Each test has its own platform, disposed
// even when it fails.
import { existsSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { until } from '../testing/helpers.ts';
import { KubeApiError } from '../kube-errors.ts';
import { emergencyDeployment } from '../../procedures/runbook-manifests.ts';
import { PlatformError, RUN_LABEL, WaitTimeoutError } from '../types.ts';
import { type Platform } from '../../model/platform.ts';
import { FIXTURE_IMAGE, FIXTURE_NS as NS, fixtureDeployment, fixtureImages, fixtureService, namespace, pvc } from './fixtures/objects.ts';
import { groupAlive } from './process-group.ts';
import { createLocalPlatform, type LocalPlatform } from './platform.ts';

function newPlatform(): Promise<LocalPlatform> {
  return createLocalPlatform({ images: fixtureImages(), restartBackoffMs: { initial: 200, max: 2000 }, resyncMs: 100, handleSignals: false });
}

async function get(url: string): Promise<{ status: number; body: { hostname?: string; name?: string } }> {
  const res = await request(url, { headersTimeout: 5000, bodyTimeout: 5000 });
  const text = await res.body.text();
  return { status: res.statusCode, body: JSON.parse(text) as { hostname?: string; name?: string } };
}


function pidsOf(pods: Awaited<ReturnType<Platform['listPods']>>): number[] {
  return pods.flatMap((p) => (p.metadata?.annotations?.['local.drill.rollback/pids'] ?? '').split(',').filter(Boolean).map(Number));
}

describe('local platform: deployments', () => {
  it('scales 3 → 0 → 3: pods stop (process groups gone), the service answers 503, then 3 new pods serve', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), fixtureDeployment({ name: 'web', labels: { app: 'web' }, replicas: 3 }), fixtureService('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 3, { timeoutMs: 30_000 });
    const url = await p.serviceUrl(NS, 'web');
    const first = await p.listPods(NS, { app: 'web' });
    expect(first).toHaveLength(3);
    expect(first.every((x) => x.metadata?.labels?.[RUN_LABEL] === p.runId)).toBe(true);
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) served.add((await get(`${url}/`)).body.hostname!);
    expect(served.size).toBe(3); // round-robin over the three ready pods

    const oldPids = pidsOf(first);
    await p.scale(NS, 'web', 0);
    expect(await p.waitForReady(NS, 'web', 0, { timeoutMs: 30_000 })).toMatchObject({ replicas: 0, readyReplicas: 0 });
    expect((await get(`${url}/`)).status).toBe(503);
    await until('old pods gone', async () => ((await p.listPods(NS, { app: 'web' })).length === 0 ? true : undefined));
    expect(oldPids.filter((pid) => groupAlive(pid))).toEqual([]);
    const events = await p.events(NS);
    expect(events.filter((e) => e.reason === 'Killing')).toHaveLength(3);

    await p.scale(NS, 'web', 3);
    const status = await p.waitForReady(NS, 'web', 3, { timeoutMs: 30_000 });
    expect(status).toEqual({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
    const second = (await p.listPods(NS, { app: 'web' })).map((x) => x.metadata!.name!);
    expect(second.filter((n) => first.some((f) => f.metadata!.name === n))).toEqual([]);
    expect((await get(`${url}/api/health`)).status).toBe(200);
    const dep = await p.getDeployment(NS, 'web');
    expect(dep?.metadata?.labels?.[RUN_LABEL]).toBe(p.runId);
    expect(dep?.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('switches the service selector between two ready deployments under continuous requests without losing one', async () => {
    await using p = await newPlatform();
    await p.apply([
      namespace(),
      fixtureDeployment({ name: 'blue', labels: { app: 'web', color: 'blue' }, replicas: 2 }),
      fixtureDeployment({ name: 'green', labels: { app: 'web', color: 'green' }, replicas: 2 }),
      fixtureService('web', { app: 'web', color: 'blue' }),
    ]);
    await p.waitForReady(NS, 'blue', 2, { timeoutMs: 30_000 });
    await p.waitForReady(NS, 'green', 2, { timeoutMs: 30_000 });
    const url = await p.serviceUrl(NS, 'web');
    const results: { status: number; name?: string; afterSwitch: boolean }[] = [];
    let switchedAt = Infinity;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const startedAt = performance.now();
        const r = await get(`${url}/`).catch(() => ({ status: 0, body: {} as { name?: string } }));
        results.push({ status: r.status, name: r.body.name, afterSwitch: startedAt > switchedAt });
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await new Promise((r) => setTimeout(r, 700));
    await p.patchServiceSelector(NS, 'web', { color: 'green' });
    switchedAt = performance.now();
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    await Promise.all(workers);

    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => !r.afterSwitch).some((r) => r.name === 'blue')).toBe(true);
    const after = results.filter((r) => r.afterSwitch);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((r) => r.name !== 'green')).toEqual([]);
    // JSON merge patch semantics: the selector keeps its other keys.
    expect((await p.getService(NS, 'web'))?.spec?.selector).toEqual({ app: 'web', color: 'green' });
  });

  it('replaces what was killed: a SIGKILLed container restarts in its pod, a deleted pod gets a successor', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), fixtureDeployment({ name: 'web', labels: { app: 'web' }, replicas: 2 })]);
    await p.waitForReady(NS, 'web', 2, { timeoutMs: 30_000 });
    const [victim] = await p.listPods(NS, { app: 'web' });
    const [pid] = pidsOf([victim!]);
    process.kill(pid!, 'SIGKILL');
    const restarted = await until('container restarted and ready', async () => {
      const pod = (await p.listPods(NS, { app: 'web' })).find((x) => x.metadata?.name === victim!.metadata?.name);
      const cs = pod?.status?.containerStatuses?.[0];
      return cs && cs.restartCount >= 1 && cs.ready ? cs : undefined;
    });
    expect(restarted.lastState?.terminated?.exitCode).toBe(137);
    expect(await p.getDeploymentStatus(NS, 'web')).toMatchObject({ readyReplicas: 2 });

    await p.deletePod(NS, victim!.metadata!.name!);
    const names = await until('a successor pod', async () => {
      const pods = await p.listPods(NS, { app: 'web' });
      const ready = pods.filter((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length === 2 && !pods.some((x) => x.metadata?.name === victim!.metadata?.name) ? pods.map((x) => x.metadata!.name!) : undefined;
    });
    expect(names).toHaveLength(2);
  });

  it('restarts a crashing container with a growing back-off (CrashLoopBackOff), keeping the pod', async () => {
    await using p = await newPlatform();
    const dep = fixtureDeployment({ name: 'crash', labels: { app: 'crash' }, readiness: false });
    dep.spec!.template.spec!.containers[0]!.command = ['sh', '-c', 'echo crashing; exit 1'];
    await p.apply([namespace(), dep]);
    await new Promise((r) => setTimeout(r, 2500));
    const [pod] = await p.listPods(NS, { app: 'crash' });
    const cs = pod!.status!.containerStatuses![0]!;
    // back-off 0, 0.2, 0.4, 0.8, 1.6 s: a handful of restarts in 2.5 s, not hundreds
    expect(cs.restartCount).toBeGreaterThanOrEqual(2);
    expect(cs.restartCount).toBeLessThanOrEqual(8);
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect((await p.events(NS)).some((e) => e.reason === 'BackOff' && e.message.includes('Back-off restarting failed container'))).toBe(true);
    expect((await p.logs(NS))[0]!.text).toContain('crashing');
    expect(await p.getDeploymentStatus(NS, 'crash')).toMatchObject({ replicas: 1, readyReplicas: 0 });
  });

  it('gives no traffic to a pod whose readiness probe fails, and takes it back when it passes again', async () => {
    await using p = await newPlatform();
    const dep = fixtureDeployment({ name: 'web', labels: { app: 'web' }, replicas: 2, claim: 'data' });
    // Each pod reports unhealthy while /data/unhealthy-<its name> exists.
    const c = dep.spec!.template.spec!.containers[0]!;
    c.env!.push({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'HEALTH_FILE', value: '/data/unhealthy-$(POD_NAME)' });
    await p.apply([namespace(), pvc('data'), dep, fixtureService('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 2, { timeoutMs: 30_000 });
    const url = await p.serviceUrl(NS, 'web');
    const [sick, healthy] = (await p.listPods(NS, { app: 'web' })).map((x) => x.metadata!.name!);
    const flag = path.join(p.claimPath(NS, 'data'), `unhealthy-${sick}`);
    writeFileSync(flag, '');
    await until('probe marks the pod unready', async () => ((await p.getDeploymentStatus(NS, 'web')).readyReplicas === 1 ? true : undefined));
    const served = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await get(`${url}/`);
      expect(r.status).toBe(200);
      served.add(r.body.hostname!);
    }
    expect([...served]).toEqual([healthy]);
    const unhealthy = (await p.events(NS)).filter((e) => e.reason === 'Unhealthy' && e.object === `Pod/${sick}`).map((e) => e.message);
    expect(unhealthy).toContain('Readiness probe failed: HTTP probe failed with statuscode: 503');

    rmSync(flag);
    await p.waitForReady(NS, 'web', 2, { timeoutMs: 10_000 });
    for (let i = 0; i < 4; i++) served.add((await get(`${url}/`)).body.hostname!);
    expect(served.size).toBe(2);
  });

  it('never routes to a pod that never passes its probe: 503 at once, with a JSON body', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), fixtureDeployment({ name: 'web', labels: { app: 'web' }, env: { HEALTH: 'fail' } }), fixtureService('web', { app: 'web' })]);
    await until('the pod runs', async () => ((await p.listPods(NS, { app: 'web' }))[0]?.status?.phase === 'Running' ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    const url = await p.serviceUrl(NS, 'web');
    const t0 = performance.now();
    const r = await get(`${url}/`);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: 'no ready endpoints', service: `${NS}/web` });
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(p.waitForReady(NS, 'web', 1, { timeoutMs: 1500 })).rejects.toThrow(/not ready with 1 replicas.*Unhealthy/);
  });

  it('stops a pod with SIGTERM, and SIGKILLs it when the grace period runs out', async () => {
    await using p = await newPlatform();
    await p.apply([
      namespace(),
      fixtureDeployment({ name: 'stubborn', labels: { app: 'stubborn' }, env: { IGNORE_SIGTERM: 'true' }, terminationGracePeriodSeconds: 1 }),
      fixtureDeployment({ name: 'polite', labels: { app: 'polite' }, terminationGracePeriodSeconds: 10 }),
    ]);
    await p.waitForReady(NS, 'stubborn', 1, { timeoutMs: 30_000 });
    await p.waitForReady(NS, 'polite', 1, { timeoutMs: 30_000 });
    const timed = async (name: string) => {
      const [pid] = pidsOf(await p.listPods(NS, { app: name }));
      const t0 = performance.now();
      await p.scale(NS, name, 0);
      await until(`${name} gone`, async () => ((await p.listPods(NS, { app: name })).length === 0 ? true : undefined));
      expect(groupAlive(pid!)).toBe(false);
      return performance.now() - t0;
    };
    const stubborn = await timed('stubborn');
    const polite = await timed('polite');
    expect(stubborn).toBeGreaterThanOrEqual(1000); // waited the whole grace period
    expect(polite).toBeLessThan(5000); // drained and exited on SIGTERM, long before its 10 s
    const logs = await p.logs(NS);
    expect(logs.find((l) => l.owner === 'stubborn')?.text).toContain('SIGTERM ignored');
    expect(logs.find((l) => l.owner === 'polite')?.text).toContain('SIGTERM: draining');
  });

  it('rolls pods when the env is patched, keeping the deployment available', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), fixtureDeployment({ name: 'web', labels: { app: 'web' }, replicas: 2, env: { MODE: 'one' } })]);
    await p.waitForReady(NS, 'web', 2, { timeoutMs: 30_000 });
    const before = (await p.listPods(NS, { app: 'web' })).map((x) => x.metadata!.name!);
    await p.setDeploymentEnv(NS, 'web', { MODE: 'two' });
    await until('rolled out', async () => {
      const s = await p.getDeploymentStatus(NS, 'web');
      const pods = await p.listPods(NS, { app: 'web' });
      return s.updatedReplicas === 2 && s.readyReplicas === 2 && pods.length === 2 && !pods.some((x) => before.includes(x.metadata!.name!)) ? true : undefined;
    });
    const r = await p.exec(NS, 'web', ['sh', '-c', 'echo $MODE']);
    expect(r.stdout.trim()).toBe('two');
  });
});

describe('local platform: volumes, exec and jobs', () => {
  it('keeps a pod whose claim does not exist Pending with a FailedScheduling event, and schedules it once the claim appears', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), fixtureDeployment({ name: 'web', labels: { app: 'web' }, claim: 'hyperpage-pvc' })]);
    const event = await until('FailedScheduling', async () => (await p.events(NS)).find((e) => e.reason === 'FailedScheduling'));
    expect(event.type).toBe('Warning');
    expect(event.message).toContain('persistentvolumeclaim "hyperpage-pvc" not found');
    const pods = await p.listPods(NS, { app: 'web' });
    expect(pods.map((x) => x.status?.phase)).toEqual(['Pending']);
    expect(pods[0]!.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(pidsOf(pods)).toEqual([]);

    await p.apply(pvc('hyperpage-pvc'));
    await p.waitForReady(NS, 'web', 1, { timeoutMs: 30_000 });
  });

  it('execs in the pod environment: env, translated paths, stdin, exit codes, missing binaries, timeouts', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), pvc('data'), fixtureDeployment({ name: 'web', labels: { app: 'web' }, claim: 'data', env: { GREETING: 'hello' } })]);
    await p.waitForReady(NS, 'web', 1, { timeoutMs: 30_000 });
    const r = await p.exec(NS, 'web', ['sh', '-c', 'echo "$GREETING from $HOSTNAME"; cat > /data/in.txt; cat /data/in.txt; exit 3'], { stdin: 'from stdin' });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe(`hello from ${r.pod}\nfrom stdin`);
    expect(existsSync(path.join(p.claimPath(NS, 'data'), 'in.txt'))).toBe(true);

    // The runbook's `kubectl exec ... curl http://localhost:3000/...`: the pod's own port (node as the client: no curl needed here).
    const self = await p.exec(NS, 'web', ['node', '-e', "fetch('http://localhost:3000/api/health').then((r) => r.text()).then((t) => process.stdout.write(t))"]);
    expect(JSON.parse(self.stdout)).toMatchObject({ status: 'healthy', hostname: r.pod });

    const missing = await p.exec(NS, 'web', ['no-such-tool', '--version']);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('executable file not found in $PATH');

    await expect(p.exec(NS, 'web', ['sleep', '30'], { timeoutMs: 300 })).rejects.toThrow(PlatformError);

    await p.scale(NS, 'web', 0);
    await p.waitForReady(NS, 'web', 0, { timeoutMs: 10_000 });
    const err = await p.exec(NS, 'web', ['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).reason).toBe('NoPod');
  });

  it('runs Jobs to completion with exit code and logs, honours backoffLimit, times out', async () => {
    await using p = await newPlatform();
    await p.apply([namespace(), pvc('data')]);
    const job = (name: string, script: string, backoffLimit = 0) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: NS },
      spec: {
        backoffLimit,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'job', image: FIXTURE_IMAGE, command: ['sh', '-c', script], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
          },
        },
      },
    });
    const ok = await p.runJob(job('ok', 'echo working; echo done > /data/job.txt'), { timeoutMs: 20_000 });
    expect(ok).toMatchObject({ name: 'ok', succeeded: true, exitCode: 0 });
    expect(ok.logs).toContain('working');
    expect(existsSync(path.join(p.claimPath(NS, 'data'), 'job.txt'))).toBe(true);
    const okPods = await p.listPods(NS, { 'job-name': 'ok' });
    expect(okPods.map((x) => x.status?.phase)).toEqual(['Succeeded']);

    const failed = await p.runJob(job('fails', 'echo broken >&2; exit 3', 1), { timeoutMs: 20_000 });
    expect(failed).toMatchObject({ succeeded: false, exitCode: 3 });
    expect(failed.logs).toContain('broken');
    expect(await p.listPods(NS, { 'job-name': 'fails' })).toHaveLength(2); // first try + one retry
    expect((await p.events(NS)).some((e) => e.reason === 'BackoffLimitExceeded')).toBe(true);

    // Same name again: the earlier Job is replaced.
    expect((await p.runJob(job('ok', 'exit 0'), { timeoutMs: 20_000 })).succeeded).toBe(true);

    await expect(p.runJob(job('slow', 'sleep 30'), { timeoutMs: 500 })).rejects.toThrow(WaitTimeoutError);

    // An emptyDir of medium Memory is on tmpfs, as a node mounts it, and goes with the run.
    const scratch = job('scratch', 'echo kept > /scratch/x; cat /scratch/x');
    scratch.spec.template.spec.volumes.push({ name: 'scratch', emptyDir: { medium: 'Memory' } } as never);
    scratch.spec.template.spec.containers[0]!.volumeMounts.push({ name: 'scratch', mountPath: '/scratch' });
    const s = await p.runJob(scratch, { timeoutMs: 20_000 });
    expect(s).toMatchObject({ succeeded: true, logs: 'kept\n' });
    const mem = p.memoryDir();
    if (existsSync('/dev/shm')) expect(mem.startsWith('/dev/shm/rollback-drill-')).toBe(true);
    expect(readdirSync(path.join(mem, NS)).length).toBe(1);
    await p.teardown();
    expect(existsSync(mem)).toBe(false);
  });
});

describe('local platform: the API server part', () => {
  it('rejects what the API server rejects: non-string labels (the runbook bug), missing namespaces, selector/template mismatch', async () => {
    await using p = await newPlatform();
    await p.apply(namespace('hyperpage'));
    const err = await p.apply(emergencyDeployment(FIXTURE_IMAGE)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(422);
    expect((err as Error).message).toContain('metadata.labels.emergency');

    const other = fixtureDeployment({ name: 'x', labels: { app: 'x' }, ns: 'nowhere' });
    await expect(p.apply(other)).rejects.toThrow('namespaces "nowhere" not found');

    const bad = fixtureDeployment({ name: 'x', labels: { app: 'x' }, ns: 'hyperpage' });
    bad.spec!.selector.matchLabels = { app: 'y' };
    await expect(p.apply(bad)).rejects.toThrow('selector` does not match template `labels`');
    await expect(p.scale('hyperpage', 'missing', 1)).rejects.toThrow('deployments.apps "missing" not found');
  });

  it('tears down everything: processes, ports, run dir', async () => {
    const p = await newPlatform();
    await p.apply([namespace(), pvc('data'), fixtureDeployment({ name: 'web', labels: { app: 'web' }, replicas: 2, claim: 'data' }), fixtureService('web', { app: 'web' })]);
    await p.waitForReady(NS, 'web', 2, { timeoutMs: 30_000 });
    const pids = pidsOf(await p.listPods(NS, { app: 'web' }));
    const url = await p.serviceUrl(NS, 'web');
    const report = path.join(p.runDir, '..', `artifacts-${p.runId}`);
    const files = await p.collectArtifacts(report);
    expect(files.some((f) => f.endsWith('events.json'))).toBe(true);
    rmSync(report, { recursive: true, force: true });
    await p.teardown();
    await p.teardown(); // idempotent
    expect(pids.filter((pid) => groupAlive(pid))).toEqual([]);
    await expect(request(url)).rejects.toThrow();
    expect(existsSync(p.runDir)).toBe(false);
    await expect(p.apply(namespace('again'))).rejects.toThrow(PlatformError);
  });
});
