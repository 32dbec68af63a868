// `--cluster kind` end to end: check the tools and the images' build paths, create or reuse the
// cluster, build and load the images (images.ts: the profile's app, the data tool, postgres), connect the Kubernetes platform to context
// kind-<name>, and on dispose export the cluster's logs, tear down the run's objects and delete
// the cluster (unless --keep-cluster).
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesPlatform } from '../platform/kubernetes.ts';
import { PlatformError } from '../platform/types.ts';
import { assertImagesBuildable, describeImages, type KindImage } from './images.ts';
import { APP_NODE_PORT, KindCluster, type KindTimeouts } from './kind.ts';
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
  /** What goes into the node, in order: `kindImages(...)` of the target profile and the drill's own images. */
  images: readonly KindImage[];
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
  // A bad build path is the user's mistake: said before a cluster is created (minutes) for nothing.
  await assertImagesBuildable(opts.images);
  progress(`kind: images: ${describeImages(opts.images)}`);

  const cluster = new KindCluster({
    name: opts.clusterName,
    hostPort: opts.hostPort,
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
    for (const image of opts.images) await cluster.provide(image);

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
