import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { startFakeKubeApi, type FakeKubeApi } from '../platform/testing/fake-kube-api.ts';
import { PlatformError } from '../platform/types.ts';
import { openKindPlatform, type KindPlatformOptions } from './kind-platform.ts';
import { healthyTools, recorder, type RecordedCommand } from './testing/recorder.ts';
import type { RunResult } from './runner.ts';

let fake: FakeKubeApi;
let repo: string;

beforeEach(async () => {
  fake = await startFakeKubeApi();
  repo = await mkdtemp(path.join(tmpdir(), 'kind-platform-test-'));
  await mkdir(path.join(repo, 'app'));
  await writeFile(path.join(repo, 'app', 'Dockerfile'), 'FROM scratch\n');
  await mkdir(path.join(repo, 'datatool'));
  await writeFile(path.join(repo, 'datatool', 'Dockerfile'), 'FROM scratch\n');
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
  await rm(repo, { recursive: true, force: true });
});

/** docker + kind answering like a machine with Docker, the kind "cluster" being the fake API server. */
function kindMachine(over: (c: RecordedCommand) => Partial<RunResult> | undefined = () => undefined) {
  return recorder((c) => {
    const o = over(c);
    if (o) return o;
    const t = healthyTools(c);
    if (t) return t;
    if (c.line === 'kind get clusters') return { stdout: 'No kind clusters found.\n' };
    if (c.line === 'docker port drill-control-plane 30080/tcp') return { stdout: '127.0.0.1:31234\n' };
    if (c.line === 'kind get kubeconfig --name drill') return { stdout: fake.kubeConfig(['kind-drill']).exportConfig() };
    return {};
  });
}

function options(rec: ReturnType<typeof recorder>, over: Partial<KindPlatformOptions> = {}): KindPlatformOptions {
  return { clusterName: 'drill', runId: 'run-9', repoRoot: repo, runner: rec.runner, pollIntervalMs: 10, logsDir: '/tmp/report-x/kind-logs', ...over };
}

describe('openKindPlatform', () => {
  it('creates the cluster, loads both images, drives the API and cleans up in order', async () => {
    const rec = kindMachine();
    const progress: string[] = [];
    {
      await using kind = await openKindPlatform({ ...options(rec), progress: (l) => progress.push(l) });
      expect(kind.provisioned).toBe('created');
      expect(kind.hostPort).toBe(31234);
      expect(kind.platform.context).toBe('kind-drill');
      await kind.platform.apply(await loadBaselineManifests());
      expect(await kind.platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService)).toBe('http://127.0.0.1:31234');
      await expect(kind.platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.postgresService)).rejects.toThrow(/only NodePort 30080 is mapped/);
    }
    const kindLines = rec.lines().filter((l) => !/^(docker (version|info)|kind version)/.test(l));
    expect(kindLines.map((l) => l.replace(/--config \S+ --kubeconfig \S+/, '--config CFG --kubeconfig KC'))).toEqual([
      'kind get clusters',
      'kind create cluster --name drill --config CFG --kubeconfig KC --wait 120s',
      'docker port drill-control-plane 30080/tcp',
      'docker build -t hyperpage:v0.1.0 -f app/Dockerfile .',
      'kind load docker-image hyperpage:v0.1.0 --name drill',
      'docker build -t drill-data:v0.1.0 -f datatool/Dockerfile .',
      'kind load docker-image drill-data:v0.1.0 --name drill',
      'docker image inspect --format {{.Id}} postgres:15-alpine',
      'kind load docker-image postgres:15-alpine --name drill',
      'kind get kubeconfig --name drill',
      'kind export logs /tmp/report-x/kind-logs --name drill',
      'kind delete cluster --name drill',
    ]);
    // The run's namespace was deleted through the API before the cluster went.
    expect(fake.requestsTo('DELETE', /^\/api\/v1\/namespaces\/hyperpage$/)).toHaveLength(1);
    expect(progress[0]).toBe('kind: using docker 28.2.2 and kind v0.29.0');
  });

  it('--keep-cluster keeps the objects and the cluster', async () => {
    const rec = kindMachine();
    {
      await using kind = await openKindPlatform(options(rec, { keepCluster: true, logsDir: undefined }));
      await kind.platform.apply(await loadBaselineManifests());
    }
    expect(rec.lines()).not.toContain('kind delete cluster --name drill');
    expect(fake.requestsTo('DELETE', /./)).toEqual([]);
  });

  it('without docker/kind: exit code 2 and no cluster command at all', async () => {
    const rec = recorder(() => ({ notFound: true, exitCode: -1 }));
    const err = await openKindPlatform(options(rec)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).exitCode).toBe(2);
    expect(rec.lines().every((l) => /^(docker (version|info)|kind version)/.test(l))).toBe(true);
  });

  it('a failure after creating the cluster deletes it again', async () => {
    const rec = kindMachine((c) => (c.args[0] === 'build' ? { exitCode: 1, stderr: 'ERROR: failed to solve' } : undefined));
    const err = await openKindPlatform(options(rec)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^build image hyperpage:v0\.1\.0 failed/);
    expect(rec.lines().at(-1)).toBe('kind delete cluster --name drill');
  });

  it('the data tool image: built from datatool/Dockerfile beside the app; without it, exit 2 and the new cluster deleted', async () => {
    const rec = kindMachine();
    const noBuild = await openKindPlatform(options(rec, { dataToolImage: false, logsDir: undefined }));
    await noBuild[Symbol.asyncDispose]();
    expect(rec.lines().some((l) => l.includes('drill-data'))).toBe(false);

    await rm(path.join(repo, 'datatool'), { recursive: true });
    const rec2 = kindMachine();
    const err = (await openKindPlatform(options(rec2)).catch((e: unknown) => e)) as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(`cannot build the data tool image: datatool/Dockerfile not found in ${repo}`);
    expect(rec2.lines().some((l) => l.includes('drill-data'))).toBe(false);
    expect(rec2.lines().at(-1)).toBe('kind delete cluster --name drill');
  });

  it('a reused cluster without the port mapping is refused and left alone', async () => {
    const rec = kindMachine((c) => {
      if (c.line === 'kind get clusters') return { stdout: 'drill\n' };
      if (c.line.startsWith('docker port')) return { exitCode: 1, stderr: "Error: No public port '30080/tcp' published for drill-control-plane" };
      return undefined;
    });
    const err = (await openKindPlatform(options(rec, { reuseCluster: true })).catch((e: unknown) => e)) as PlatformError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/maps no 127\.0\.0\.1 host port to NodePort 30080/);
    expect(rec.lines().some((l) => l.startsWith('kind delete') || l.startsWith('kind create'))).toBe(false);
  });
});
