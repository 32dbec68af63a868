// `--cluster kind` end to end: check the tools, create or reuse the cluster, build and load the
// images (the app's, the data tool's, postgres), connect the Kubernetes platform to context
// kind-<name>, and on dispose export the cluster's logs, tear down the run's objects and delete
// the cluster (unless --keep-cluster).
import { KubeConfig } from '@kubernetes/client-node';
import { DATA_TOOL_IMAGE, TOPOLOGY } from '../kit/topology.ts';
import { KubernetesPlatform } from '../platform/kubernetes.ts';
import { PlatformError } from '../platform/types.ts';
import { APP_NODE_PORT, KindCluster, POSTGRES_IMAGE, type KindTimeouts } from './kind.ts';
import type { CommandRunner } from './runner.ts';
import { assertKindUsable } from './tools.ts';

export interface KindPlatformOptions {
  clusterName: string;
  runId: string;
  /** 127.0.0.1 host port for the app NodePort when the cluster is created (default 30080). */
  hostPort?: number;
  reuseCluster?: boolean;
  keepCluster?: boolean;
  /** Folder (in the report) for `kind export logs` at the end; none = no export. */
  logsDir?: string;
  /** Build app/Dockerfile and load it (default true); false when the image is already loaded. */
  buildApp?: boolean;
  appImage?: string;
  /** The drill's data tool, built from datatool/Dockerfile and loaded beside the app (default DATA_TOOL_IMAGE); false: not built. */
  dataToolImage?: string | false;
  /** Other images the manifests use, pulled and loaded into the node (default postgres:15-alpine). */
  extraImages?: string[];
  repoRoot?: string;
  runner?: CommandRunner;
  log?: (line: string) => void;
  progress?: (line: string) => void;
  timeouts?: Partial<KindTimeouts>;
  pollIntervalMs?: number;
}

export interface KindPlatformHandle extends AsyncDisposable {
  platform: KubernetesPlatform;
  cluster: KindCluster;
  /** The 127.0.0.1 port the app Service answers on. */
  hostPort: number;
  /** `created` or `reused`. */
  provisioned: 'created' | 'reused';
}

export async function openKindPlatform(opts: KindPlatformOptions): Promise<KindPlatformHandle> {
  const progress = opts.progress ?? (() => {});
  const tools = await assertKindUsable(opts.runner);
  progress(`kind: using docker ${tools.docker.version ?? '?'} and kind ${tools.kind.version ?? '?'}`);

  const cluster = new KindCluster({
    name: opts.clusterName,
    hostPort: opts.hostPort,
    repoRoot: opts.repoRoot,
    runner: opts.runner,
    log: opts.log,
    progress: opts.progress,
    timeouts: opts.timeouts,
  });
  cluster.keep = opts.keepCluster ?? false;
  try {
    const provisioned = await cluster.ensure({ reuse: opts.reuseCluster ?? false });
    const hostPort = await cluster.mappedHostPort(APP_NODE_PORT);
    if (hostPort === undefined) {
      throw new PlatformError(
        `kind cluster "${cluster.name}" maps no 127.0.0.1 host port to NodePort ${APP_NODE_PORT} (it was not created from cluster/kind.yaml): delete it or pick another --cluster-name`,
        2,
      );
    }
    if (opts.buildApp ?? true) await cluster.buildAndLoadApp(opts.appImage ?? TOPOLOGY.appImage);
    const dataTool = opts.dataToolImage ?? DATA_TOOL_IMAGE;
    if (dataTool !== false) await cluster.buildAndLoad(dataTool, 'datatool/Dockerfile', 'the data tool image');
    for (const image of opts.extraImages ?? [POSTGRES_IMAGE]) await cluster.pullAndLoad(image);

    const kc = new KubeConfig();
    kc.loadFromString(await cluster.kubeconfig());
    const platform = new KubernetesPlatform({
      kubeConfig: kc,
      target: { platform: 'kind', clusterName: cluster.name },
      runId: opts.runId,
      progress: opts.progress,
      pollIntervalMs: opts.pollIntervalMs,
      // Only the app's NodePort is mapped to the host: that is the path probes must take.
      serviceUrl: async (svc, port) => {
        if (port.nodePort !== APP_NODE_PORT) {
          throw new PlatformError(
            `service ${svc.metadata?.namespace}/${svc.metadata?.name} port ${port.port} is not reachable from the host: only NodePort ${APP_NODE_PORT} is mapped (cluster/kind.yaml)`,
            3,
          );
        }
        return `http://127.0.0.1:${hostPort}`;
      },
    });

    return {
      platform,
      cluster,
      hostPort,
      provisioned,
      async [Symbol.asyncDispose]() {
        try {
          if (opts.logsDir) {
            await cluster.exportLogs(opts.logsDir).catch((err: Error) => progress(`kind: could not export logs: ${err.message}`));
          }
          if (cluster.keep) progress(`kind: --keep-cluster: leaving the run's objects in place for inspection`);
          else await platform[Symbol.asyncDispose]();
        } finally {
          await cluster[Symbol.asyncDispose]();
        }
      },
    };
  } catch (err) {
    // Nothing half-made stays behind: a cluster this call created goes (unless --keep-cluster).
    await cluster[Symbol.asyncDispose]().catch(() => {});
    throw err;
  }
}
