// The connection a KubernetesPlatform works through: the one context it was given, pinned (never
// whatever is current), typed API clients with a per-request timeout (client-node has none), and
// API errors turned into the platform's one-line errors.
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  createConfiguration,
  ServerConfiguration,
  type KubeConfig,
  type KubernetesObject,
  type RequestContext,
  type ResponseContext,
  type V1Service,
  type V1ServicePort,
} from '@kubernetes/client-node';
import { httpStatusOf, isNotFound, toKubeError } from '../kube-errors.ts';
import { PlatformError } from '../types.ts';
import { type KubeKind } from '../../model/platform.ts';

export type KubernetesTarget =
  /** A kind cluster the provider created or reused: the context must be `kind-<clusterName>`. */
  | { platform: 'kind'; clusterName: string }
  /** Any context, only when named and allowed explicitly (--context NAME --allow-context). */
  | { platform: 'existing'; context: string; allowContext: boolean };

export interface KubernetesPlatformOptions {
  kubeConfig: KubeConfig;
  target: KubernetesTarget;
  runId: string;
  /** Host-reachable URL for a Service port (kind: the NodePort's 127.0.0.1 mapping). Default: an API-server service proxy on 127.0.0.1. */
  serviceUrl?: (service: V1Service, port: V1ServicePort) => Promise<string>;
  progress?: (line: string) => void;
  /** Status polling interval of waits (default 250 ms: the resolution of measured rollback times). */
  pollIntervalMs?: number;
  /** Timeout of one API request (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries of an apply answered 409 Conflict (default 3). */
  conflictRetries?: number;
}

/** apiVersion of every kind a drill applies (plus Pod, which teardown also sweeps). */
export const API_VERSION: Record<KubeKind | 'Pod', string> = {
  Namespace: 'v1',
  Deployment: 'apps/v1',
  Service: 'v1',
  PersistentVolumeClaim: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Job: 'batch/v1',
  Pod: 'v1',
};

export type Labeled = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: Date } };

export function iso(d: Date | string | undefined): string | undefined {
  if (!d) return undefined;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The context a target may use: `kind-<name>`, or an existing one only when explicitly allowed. */
function contextOf(target: KubernetesTarget): string {
  if (target.platform === 'kind') return `kind-${target.clusterName}`;
  if (!target.allowContext) {
    throw new PlatformError(`refusing kube context "${target.context}": drilling an existing cluster needs --context NAME and --allow-context`, 2);
  }
  return target.context;
}

export class KubeSession {
  readonly name: 'kind' | 'existing';
  readonly runId: string;
  readonly context: string;
  readonly server: string;
  readonly kc: KubeConfig;
  readonly apps: AppsV1Api;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly objects: KubernetesObjectApi;
  readonly pollMs: number;
  readonly requestTimeoutMs: number;

  constructor(readonly opts: KubernetesPlatformOptions) {
    const { kubeConfig: kc, target } = opts;
    const context = contextOf(target);
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new PlatformError(`kube context "${context}" not found in the kubeconfig (known: ${known.join(', ') || 'none'})`, 2);
    }
    // Never act on whatever context happens to be current: pin the one we were given.
    kc.setCurrentContext(context);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new PlatformError(`kube context "${context}" names no cluster`, 2);

    this.kc = kc;
    this.name = target.platform;
    this.runId = opts.runId;
    this.context = context;
    this.server = cluster.server;
    this.pollMs = opts.pollIntervalMs ?? 250;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;

    // Same as kc.makeApiClient, plus a per-request timeout.
    const timeoutMs = this.requestTimeoutMs;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: async (ctx: RequestContext) => {
            const t = AbortSignal.timeout(timeoutMs);
            const prev = ctx.getSignal();
            ctx.setSignal(prev ? AbortSignal.any([prev, t]) : t);
            return ctx;
          },
          post: async (res: ResponseContext) => res,
        },
      ],
    });
    this.apps = new AppsV1Api(config);
    this.core = new CoreV1Api(config);
    this.batch = new BatchV1Api(config);
    this.objects = new KubernetesObjectApi(config);
    this.progress(`context ${context} (API server ${cluster.server}), run ${opts.runId}`);
  }

  progress(line: string): void {
    this.opts.progress?.(`kubernetes: ${line}`);
  }

  /** An API error in the platform's words (names `what`, the server, the request timeout). */
  error(err: unknown, what: string): Error {
    return toKubeError(err, what, this.server, this.requestTimeoutMs);
  }

  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.error(err, what);
    }
  }

  /** `fn`'s answer; undefined when the API server says NotFound. */
  async readOrUndefined<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.error(err, what);
    }
  }

  /** Read an object of any kind; undefined when it does not exist. */
  read(kind: KubeKind | 'Pod', namespace: string | undefined, name: string): Promise<(KubernetesObject & Labeled) | undefined> {
    const ref = { apiVersion: API_VERSION[kind], kind, metadata: { name, namespace } as { name: string; namespace?: string } };
    return this.readOrUndefined(`read ${kind} ${namespace ? `${namespace}/` : ''}${name}`, async () => (await this.objects.read(ref)) as KubernetesObject & Labeled);
  }

  /** Delete an object (a missing one is fine); background propagation, so a Job's or Deployment's pods go with it. */
  async deleteObject(kind: KubeKind | 'Pod', namespace: string | undefined, name: string): Promise<void> {
    await this.readOrUndefined(`delete ${kind} ${namespace ? `${namespace}/` : ''}${name}`, () =>
      this.objects.delete({ apiVersion: API_VERSION[kind], kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, 'Background'),
    );
  }

  /**
   * Throws a PlatformError unless the API server answers at all: any HTTP status counts (a
   * namespace-scoped account may be refused the list), only no answer does not.
   */
  async ping(): Promise<void> {
    try {
      await this.core.listNamespace({ limit: 1 });
    } catch (err) {
      if (httpStatusOf(err) === undefined) throw this.error(err, `context ${this.context}`);
    }
  }
}
