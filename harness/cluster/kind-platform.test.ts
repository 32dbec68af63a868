import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { REPO_ROOT } from '../kit/repo.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { startFakeKubeApi, type FakeKubeApi } from '../platform/testing/fake-kube-api.ts';
import { PlatformError } from '../platform/types.ts';
import { kindImages, type KindImagesOptions } from './images.ts';
import { openKindPlatform, type KindPlatformOptions } from './kind-platform.ts';
import { healthyTools, recorder, type RecordedCommand } from './testing/recorder.ts';
import type { RunResult } from './runner.ts';
import { loadTarget } from '../targets/load.ts';
import type { TargetProfile } from '../model/target-profile.ts';

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

/** The reference app's images as its profile states them (app.build: the repo root, app/Dockerfile), in a test repo. */
function images(over: Partial<KindImagesOptions> = {}) {
  return kindImages({ target: 'reference', app: { image: TOPOLOGY.appImage, build: { context: repo, dockerfile: path.join(repo, 'app', 'Dockerfile') } }, repoRoot: repo, ...over });
}

function options(rec: ReturnType<typeof recorder>, over: Partial<KindPlatformOptions> = {}): KindPlatformOptions {
  return { clusterName: 'drill', runId: 'run-9', images: images(), runner: rec.runner, pollIntervalMs: 10, logsDir: '/tmp/report-x/kind-logs', ...over };
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
      `docker build -f ${repo}/app/Dockerfile -t hyperpage:v0.1.0 ${repo}`,
      'kind load docker-image hyperpage:v0.1.0 --name drill',
      `docker build -f ${repo}/datatool/Dockerfile -t drill-data:v0.1.0 ${repo}`,
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
    expect(progress[1]).toBe('kind: images: build hyperpage:v0.1.0 (app/Dockerfile), build drill-data:v0.1.0 (datatool/Dockerfile), load postgres:15-alpine');
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

  it('the data tool image: built from datatool/Dockerfile beside the app; without it, exit 2 before any cluster is made', async () => {
    const rec = kindMachine();
    const noBuild = await openKindPlatform(options(rec, { images: images({ dataToolImage: false }), logsDir: undefined }));
    await noBuild[Symbol.asyncDispose]();
    expect(rec.lines().some((l) => l.includes('drill-data'))).toBe(false);

    await rm(path.join(repo, 'datatool'), { recursive: true });
    const rec2 = kindMachine();
    const err = (await openKindPlatform(options(rec2)).catch((e: unknown) => e)) as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(`cannot build the data tool image: datatool/Dockerfile not found in ${repo}`);
    expect(rec2.lines().some((l) => l.includes('drill-data'))).toBe(false);
    // Checked before the cluster: nothing created, so nothing to delete.
    expect(rec2.lines().filter((l) => /^kind (get clusters|create|delete)/.test(l))).toEqual([]);
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

describe("the images come from the target profile (its app.build) and the drill's own", () => {
  const root = REPO_ROOT;
  /** Every docker build / kind load / image command of a whole openKindPlatform, in order. */
  async function imageCommands(target: TargetProfile): Promise<string[]> {
    const rec = kindMachine();
    const kind = await openKindPlatform(options(rec, { images: kindImages({ target: target.name, app: target.app }), logsDir: undefined }));
    await kind[Symbol.asyncDispose]();
    return rec.lines().filter((l) => /^(docker (build|image|pull)|kind load)/.test(l));
  }
  const drillOwn = [
    `docker build -f ${root}/datatool/Dockerfile -t drill-data:v0.1.0 ${root}`,
    'kind load docker-image drill-data:v0.1.0 --name drill',
    'docker image inspect --format {{.Id}} postgres:15-alpine',
    'kind load docker-image postgres:15-alpine --name drill',
  ];

  it('reference: app/Dockerfile with the repository root as context', async () => {
    expect(await imageCommands(await loadTarget('reference'))).toEqual([
      `docker build -f ${root}/app/Dockerfile -t hyperpage:v0.1.0 ${root}`,
      'kind load docker-image hyperpage:v0.1.0 --name drill',
      ...drillOwn,
    ]);
  });

  it('settings-app: its own folder and Dockerfile', async () => {
    expect(await imageCommands(await loadTarget('settings-app'))).toEqual([
      `docker build -f ${root}/fixtures/settings-app/Dockerfile -t settings-app:dev ${root}/fixtures/settings-app`,
      'kind load docker-image settings-app:dev --name drill',
      ...drillOwn,
    ]);
  });

  it("hyperpage: the user's checkout (--app-dir) and its Dockerfile", async () => {
    const checkout = path.join(repo, 'hyperpage');
    await mkdir(checkout);
    await writeFile(path.join(checkout, 'Dockerfile'), 'FROM node:22-alpine\n');
    expect(await imageCommands(await loadTarget('hyperpage', checkout))).toEqual([
      `docker build -f ${checkout}/Dockerfile -t hyperpage:151e93f ${checkout}`,
      'kind load docker-image hyperpage:151e93f --name drill',
      ...drillOwn,
    ]);
  });

  it('a profile without app.build: its prebuilt image is taken from docker and loaded, nothing built for it', async () => {
    const mutant = await loadTarget(path.join(root, 'suites', 'fixtures', 'settings-app-mutant.target.ts'));
    expect(mutant.app.build).toBeUndefined();
    expect(await imageCommands(mutant)).toEqual(['docker image inspect --format {{.Id}} settings-app:mutant', 'kind load docker-image settings-app:mutant --name drill', ...drillOwn]);
  });

  it('a profile whose Dockerfile or context is not there: one line, exit 2, before any cluster command', async () => {
    const profile = (build: string) => {
      const file = path.join(repo, `shop-${Math.random().toString(36).slice(2)}.target.mts`);
      return writeFile(file, `import ref from ${JSON.stringify(path.join(root, 'targets', 'reference.ts'))};\nexport default { ...ref, name: 'shop', app: { ...ref.app, build: ${build} } };\n`).then(() => loadTarget(file));
    };
    for (const [build, message] of [
      [`{ context: '.', dockerfile: 'docker/Nope.Dockerfile' }`, `cannot build the app image of target shop: docker/Nope.Dockerfile not found in ${repo} (the profile's app.build)`],
      [`{ context: './no-such-dir' }`, `cannot build the app image of target shop: build context ${repo}/no-such-dir is not a folder (the profile's app.build)`],
    ] as const) {
      const rec = kindMachine();
      const err = (await openKindPlatform(options(rec, { images: kindImages({ target: 'shop', app: (await profile(build)).app }) })).catch((e: unknown) => e)) as PlatformError;
      expect(err).toBeInstanceOf(PlatformError);
      expect(err.exitCode).toBe(2);
      expect(err.message).toBe(message);
      expect(rec.lines().every((l) => /^(docker (version|info)|kind version)/.test(l))).toBe(true);
    }
  });
});
