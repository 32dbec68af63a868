import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectsWith } from '../platform/testing/helpers.ts';
import { parse } from 'yaml';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { PlatformError } from '../platform/types.ts';
import { APP_NODE_PORT, KIND_CONFIG_PATH, KindCluster, renderKindConfig } from './kind.ts';
import type { ImageBuild } from './images.ts';
import { recorder, type RecordedCommand } from './testing/recorder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kind-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rejection = (p: Promise<unknown>): Promise<PlatformError> => rejectsWith(p, PlatformError);
/** The reference app's build as its profile states it, rooted in the test's folder. */
const appBuild = (): ImageBuild => ({ source: 'build', image: TOPOLOGY.appImage, context: dir, dockerfile: path.join(dir, 'app', 'Dockerfile'), what: 'the app image' });

describe('cluster/kind.yaml', () => {
  it('maps the app Service NodePort to a 127.0.0.1 host port, and the rendered port is configurable', async () => {
    const template = await readFile(KIND_CONFIG_PATH, 'utf8');
    const svc = (await loadBaselineManifests()).find((o) => o.kind === 'Service' && o.metadata?.name === TOPOLOGY.appService) as {
      spec: { type: string; ports: { nodePort: number }[] };
    };
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0]!.nodePort).toBe(APP_NODE_PORT);

    const cfg = parse(template);
    expect(cfg).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect(cfg.nodes[0].role).toBe('control-plane');
    expect(cfg.nodes[0].image).toMatch(/^kindest\/node:v1\.33\.\d+@sha256:[0-9a-f]{64}$/);
    expect(cfg.nodes[0].extraPortMappings).toEqual([{ containerPort: APP_NODE_PORT, hostPort: 30080, listenAddress: '127.0.0.1', protocol: 'TCP' }]);

    const rendered = parse(renderKindConfig(template, 38123));
    expect(rendered.nodes[0].extraPortMappings[0]).toMatchObject({ containerPort: APP_NODE_PORT, hostPort: 38123, listenAddress: '127.0.0.1' });
    expect(rendered.nodes[0].image).toBe(cfg.nodes[0].image);
  });

  it('a config without the app port mapping is refused', () => {
    expect(() => renderKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n', 30080)).toThrow(/maps no extraPortMappings containerPort 30080/);
  });
});

describe('KindCluster', () => {
  it('creates a cluster from the rendered config, its kubeconfig kept out of ~/.kube', async () => {
    let seenConfig = '';
    const rec = recorder(async (c: RecordedCommand) => {
      if (c.line === 'kind get clusters') return { stdout: 'other\n' };
      if (c.args[0] === 'create') seenConfig = await readFile(c.args[c.args.indexOf('--config') + 1]!, 'utf8');
      return { stderr: 'Creating cluster "drill" ...\n ✓ Ensuring node image' };
    });
    const log: string[] = [];
    const progress: string[] = [];
    const cluster = new KindCluster({ name: 'drill', hostPort: 31111, runner: rec.runner, log: (l) => log.push(l), progress: (l) => progress.push(l) });
    expect(await cluster.ensure({ reuse: false })).toBe('created');
    expect(cluster.created).toBe(true);
    expect(cluster.context).toBe('kind-drill');

    const create = rec.calls[1]!;
    expect(create.args.slice(0, 4)).toEqual(['create', 'cluster', '--name', 'drill']);
    expect(create.args).toContain('--wait');
    expect(create.args[create.args.indexOf('--wait') + 1]).toBe('120s');
    const kubeconfig = create.args[create.args.indexOf('--kubeconfig') + 1]!;
    expect(kubeconfig.startsWith(tmpdir())).toBe(true);
    expect(create.opts.timeoutMs).toBeGreaterThanOrEqual(120_000);
    expect(parse(seenConfig).nodes[0].extraPortMappings[0]).toMatchObject({ hostPort: 31111, listenAddress: '127.0.0.1' });
    // CLI output went to the log, progress lines to the terminal callback.
    expect(log).toContain('[kind stderr] Creating cluster "drill" ...');
    expect(progress.some((l) => l.startsWith('kind: creating cluster "drill"'))).toBe(true);
    expect(progress.some((l) => l.includes('Creating cluster'))).toBe(false);
  });

  it('an existing cluster is an error unless reuse is asked for; a reused cluster is never deleted', async () => {
    const rec = recorder((c) => (c.line === 'kind get clusters' ? { stdout: 'drill\n' } : {}));
    const cluster = new KindCluster({ name: 'drill', runner: rec.runner });
    const err = await rejection(cluster.ensure({ reuse: false }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('a kind cluster named "drill" already exists: pass --reuse-cluster');

    expect(await cluster.ensure({ reuse: true })).toBe('reused');
    await cluster[Symbol.asyncDispose]();
    expect(rec.lines().filter((l) => /create|delete/.test(l))).toEqual([]);
  });

  it('create failing gives one line quoting kind\'s last error line, exit code 3', async () => {
    const rec = recorder((c) =>
      c.args[0] === 'create'
        ? { exitCode: 1, stderr: 'Creating cluster "drill" ...\n ✗ Preparing nodes 📦\nERROR: failed to create cluster: could not find a log line that matches "Reached target .*Multi-User System.*"' }
        : {},
    );
    const cluster = new KindCluster({ name: 'drill', runner: rec.runner });
    const err = await rejection(cluster.ensure({ reuse: false }));
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^create kind cluster "drill" failed \(`kind create cluster --name drill --config \S+ --kubeconfig \S+ --wait 120s` exit 1\): ERROR: failed to create cluster: could not find/);
    expect(cluster.created).toBe(false);
  });

  it('timeouts and a kind binary vanishing mid-way are one line each', async () => {
    const slow = new KindCluster({ name: 'drill', runner: recorder((c) => (c.args[0] === 'create' ? { timedOut: true, exitCode: -1 } : {})).runner, timeouts: { create: 5_000 } });
    expect((await rejection(slow.create())).message).toMatch(/^create kind cluster "drill" timed out after 5s/);
    const gone = new KindCluster({ name: 'drill', runner: recorder(() => ({ notFound: true })).runner });
    const err = await rejection(gone.exists());
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('kind not found on PATH while trying to list kind clusters');
  });

  it('refuses a name that is not a DNS label', () => {
    expect(() => new KindCluster({ name: 'Bad_Name' })).toThrow(/must be a DNS label/);
  });

  it('builds the app image from its context and Dockerfile and loads it; pulls postgres only when missing', async () => {
    await mkdir(path.join(dir, 'app'));
    await writeFile(path.join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
    let havePostgres = false;
    const rec = recorder((c) => {
      if (c.line.startsWith('docker image inspect')) return havePostgres ? { stdout: 'sha256:abc' } : { exitCode: 1, stderr: 'Error: No such image: postgres:15-alpine' };
      return {};
    });
    const progress: string[] = [];
    const cluster = new KindCluster({ name: 'drill', runner: rec.runner, progress: (l) => progress.push(l) });
    await cluster.buildAndLoad(appBuild());
    await cluster.pullAndLoad();
    havePostgres = true;
    await cluster.pullAndLoad();
    expect(rec.lines()).toEqual([
      `docker build -f ${dir}/app/Dockerfile -t hyperpage:v0.1.0 ${dir}`,
      'kind load docker-image hyperpage:v0.1.0 --name drill',
      'docker image inspect --format {{.Id}} postgres:15-alpine',
      'docker pull postgres:15-alpine',
      'kind load docker-image postgres:15-alpine --name drill',
      'docker image inspect --format {{.Id}} postgres:15-alpine',
      'kind load docker-image postgres:15-alpine --name drill',
    ]);
    expect(rec.calls[0]!.opts.cwd).toBe(dir);
    // A progress line before and after each long step (build, pull, load), with its duration.
    expect(progress.map((l) => l.replace(/in \d+\.\ds$/, 'in Ns'))).toEqual([
      `kind: building hyperpage:v0.1.0 from app/Dockerfile (context ${dir})`,
      'kind: built hyperpage:v0.1.0 in Ns',
      'kind: loading hyperpage:v0.1.0 into "drill"',
      'kind: loaded hyperpage:v0.1.0 in Ns',
      'kind: pulling postgres:15-alpine (not in docker yet)',
      'kind: pulled postgres:15-alpine in Ns',
      'kind: loading postgres:15-alpine into "drill"',
      'kind: loaded postgres:15-alpine in Ns',
      'kind: loading postgres:15-alpine into "drill"',
      'kind: loaded postgres:15-alpine in Ns',
    ]);
  });

  it('a missing Dockerfile is a clear error before docker runs', async () => {
    const rec = recorder();
    const err = await rejection(new KindCluster({ name: 'drill', runner: rec.runner }).buildAndLoad(appBuild()));
    expect(err.message).toBe(`cannot build the app image: app/Dockerfile not found in ${dir}`);
    expect(err.exitCode).toBe(2);
    expect(rec.calls).toEqual([]);
    const noContext = await rejection(new KindCluster({ name: 'drill', runner: rec.runner }).buildAndLoad({ ...appBuild(), context: path.join(dir, 'gone'), declaredIn: "the profile's app.build" }));
    expect(noContext.message).toBe(`cannot build the app image: build context ${dir}/gone is not a folder (the profile's app.build)`);
    expect(noContext.exitCode).toBe(2);
    expect(rec.calls).toEqual([]);
  });

  it("a prebuilt image docker has is only loaded; one it has not and cannot pull is one line naming the remedy (exit 2)", async () => {
    const prebuilt = { what: 'the app image of target shop', remedy: 'build it first, or say how in the profile (app.build: {context, dockerfile})' };
    let have = true;
    const rec = recorder((c) => {
      if (c.line.startsWith('docker image inspect')) return have ? { stdout: 'sha256:abc' } : { exitCode: 1, stderr: 'Error: No such image: shop:1' };
      if (c.line === 'docker pull shop:1') return { exitCode: 1, stderr: 'Error response from daemon: pull access denied for shop, repository does not exist or may require \'docker login\'' };
      return {};
    });
    const cluster = new KindCluster({ name: 'drill', runner: rec.runner });
    await cluster.pullAndLoad('shop:1', prebuilt);
    expect(rec.lines()).toEqual(['docker image inspect --format {{.Id}} shop:1', 'kind load docker-image shop:1 --name drill']);
    have = false;
    const err = await rejection(cluster.pullAndLoad('shop:1', prebuilt));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      "the app image of target shop (shop:1) is not in docker and could not be pulled (Error response from daemon: pull access denied for shop, repository does not exist or may require 'docker login'): build it first, or say how in the profile (app.build: {context, dockerfile})",
    );
    expect(rec.lines().slice(2)).toEqual(['docker image inspect --format {{.Id}} shop:1', 'docker pull shop:1']);
    // The drill's own images (postgres) keep docker's failure as an infrastructure error.
    const pg = await rejection(new KindCluster({ name: 'drill', runner: recorder((c) => (c.line.startsWith('docker') ? { exitCode: 1, stderr: 'net/http: TLS handshake timeout' } : {})).runner }).pullAndLoad());
    expect(pg.exitCode).toBe(3);
    expect(pg.message).toBe('pull image postgres:15-alpine failed (`docker pull postgres:15-alpine` exit 1): net/http: TLS handshake timeout');
  });

  it('a failing build names the image and quotes docker', async () => {
    await mkdir(path.join(dir, 'app'));
    await writeFile(path.join(dir, 'app', 'Dockerfile'), 'FROM scratch\n');
    const rec = recorder(() => ({ exitCode: 1, stderr: '#5 ERROR: failed to solve: node:20-slim: not found' }));
    const err = await rejection(new KindCluster({ name: 'drill', runner: rec.runner }).buildAndLoad(appBuild()));
    expect(err.message).toMatch(/^build image hyperpage:v0\.1\.0 failed .*: #5 ERROR: failed to solve/);
  });

  it('reads the real host port mapping, exports logs, and deletes only what it created unless kept', async () => {
    const rec = recorder((c) => {
      if (c.line === 'docker port drill-control-plane 30080/tcp') return { stdout: '127.0.0.1:31234\n' };
      if (c.line === 'kind get clusters') return { stdout: '' };
      return {};
    });
    const cluster = new KindCluster({ name: 'drill', runner: rec.runner });
    expect(await cluster.mappedHostPort()).toBe(31234);
    await cluster.ensure({ reuse: true });
    await cluster.exportLogs('/tmp/report/kind-logs');
    cluster.keep = true;
    await cluster[Symbol.asyncDispose]();
    expect(rec.lines()).not.toContain('kind delete cluster --name drill');
    cluster.keep = false;
    await cluster[Symbol.asyncDispose]();
    expect(rec.lines()).toContain('kind export logs /tmp/report/kind-logs --name drill');
    expect(rec.lines().at(-1)).toBe('kind delete cluster --name drill');
    await cluster[Symbol.asyncDispose]();
    expect(rec.lines().filter((l) => l.startsWith('kind delete'))).toHaveLength(1);
  });

  it('no mapping for the port: undefined', async () => {
    const rec = recorder(() => ({ exitCode: 1, stderr: 'Error: No public port \'30080/tcp\' published' }));
    expect(await new KindCluster({ name: 'drill', runner: rec.runner }).mappedHostPort()).toBeUndefined();
  });
});
