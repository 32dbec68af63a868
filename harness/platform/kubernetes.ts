// The Platform on a real Kubernetes API server (kind, or an existing context the user named and
// allowed), through @kubernetes/client-node: server-side apply, scale subresource, merge patches,
// polling waits, Jobs with logs, exec over websocket, logs/events, delete by the run's label.
//
// Safety rules (DESIGN.md): only the context it was given (kind-<name>, or an explicitly allowed
// one); every object it applies carries RUN_LABEL=<runId>; it changes or deletes only objects that
// carry a drill's label (objects of an earlier drill run are adopted); it never deletes a namespace
// it did not create; it prints the context and the namespace before changing anything.
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  createConfiguration,
  ServerConfiguration,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type RequestContext,
  type ResponseContext,
  type V1Deployment,
  type V1Job,
  type V1Pod,
  type V1Service,
  type V1ServicePort,
} from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { execInPod } from './kube-exec.ts';
import { KubeApiError, httpStatusOf, isNotFound, toKubeError } from './kube-errors.ts';
import { ApiServerServiceProxy } from './service-proxy.ts';
import { done, notYet, waitFor } from './wait.ts';
import {
  PlatformError,
  RUN_LABEL,
  WaitTimeoutError,
  type DeploymentStatus,
  type ExecOptions,
  type ExecResult,
  type JobResult,
  type KubeKind,
  type KubeObject,
  type Platform,
  type PlatformEvent,
  type PodInfo,
  type PodLog,
  type WaitOptions,
} from './types.ts';

export { KubeApiError } from './kube-errors.ts';

export const FIELD_MANAGER = 'rollback-drill';

/** apiVersion of every kind a drill applies (plus Pod, which teardown also sweeps). */
const API_VERSION: Record<KubeKind | 'Pod', string> = {
  Namespace: 'v1',
  Deployment: 'apps/v1',
  Service: 'v1',
  PersistentVolumeClaim: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Job: 'batch/v1',
  Pod: 'v1',
};

/** Teardown order: workloads first (they hold claims), claims and namespaces last. */
const TEARDOWN_ORDER: (KubeKind | 'Pod')[] = ['Job', 'Deployment', 'Pod', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim'];

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

type Labeled = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: Date } };

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function selectorString(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function toStatus(dep: V1Deployment | undefined): DeploymentStatus {
  const s = dep?.status;
  return {
    replicas: s?.replicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    updatedReplicas: s?.updatedReplicas ?? 0,
  };
}

function fmtStatus(s: DeploymentStatus): string {
  return `ready ${s.readyReplicas}/${s.replicas}, updated ${s.updatedReplicas}, available ${s.availableReplicas}`;
}

function isPodReady(p: V1Pod): boolean {
  return (
    p.status?.phase === 'Running' &&
    !p.metadata?.deletionTimestamp &&
    (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** Deployment/Job owning a pod, from its labels (Job) or its ReplicaSet name minus the template hash. */
function podOwner(p: V1Pod): string | undefined {
  const labels = p.metadata?.labels ?? {};
  const job = labels['batch.kubernetes.io/job-name'] ?? labels['job-name'];
  if (job) return job;
  const rs = p.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
  const hash = labels['pod-template-hash'];
  return rs && hash && rs.endsWith(`-${hash}`) ? rs.slice(0, -hash.length - 1) : rs;
}

function iso(d: Date | string | undefined): string | undefined {
  if (!d) return undefined;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export class KubernetesPlatform implements Platform {
  readonly name: 'kind' | 'existing';
  readonly runId: string;
  readonly context: string;
  readonly server: string;

  private readonly kc: KubeConfig;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;
  private readonly objects: KubernetesObjectApi;
  private readonly opts: KubernetesPlatformOptions;
  private readonly pollMs: number;
  private readonly requestTimeoutMs: number;
  /** Namespaces this run changed something in (teardown sweeps them). */
  private readonly touched = new Set<string>();
  /** Namespaces this run created (the only ones teardown deletes). */
  private readonly createdNamespaces = new Set<string>();
  /** Objects known to carry this run's label (no ownership read needed before changing them). */
  private readonly owned = new Set<string>();
  private readonly proxies = new Map<string, ApiServerServiceProxy>();
  private announced = new Set<string>();

  constructor(opts: KubernetesPlatformOptions) {
    const { kubeConfig: kc, target } = opts;
    let context: string;
    if (target.platform === 'kind') {
      context = `kind-${target.clusterName}`;
    } else {
      if (!target.allowContext) {
        throw new PlatformError(`refusing kube context "${target.context}": drilling an existing cluster needs --context NAME and --allow-context`, 2);
      }
      context = target.context;
    }
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new PlatformError(`kube context "${context}" not found in the kubeconfig (known: ${known.join(', ') || 'none'})`, 2);
    }
    // Never act on whatever context happens to be current: pin the one we were given.
    kc.setCurrentContext(context);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new PlatformError(`kube context "${context}" names no cluster`, 2);

    this.opts = opts;
    this.kc = kc;
    this.name = target.platform;
    this.runId = opts.runId;
    this.context = context;
    this.server = cluster.server;
    this.pollMs = opts.pollIntervalMs ?? 250;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;

    // Same as kc.makeApiClient, plus a per-request timeout (client-node has none by default).
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

  private progress(line: string): void {
    this.opts.progress?.(`kubernetes: ${line}`);
  }

  /** Say where changes go, once per namespace, before the first change there. */
  private announce(namespace: string): void {
    this.touched.add(namespace);
    if (this.announced.has(namespace)) return;
    this.announced.add(namespace);
    this.progress(`changing namespace "${namespace}" on context ${this.context}`);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err, what, this.server, this.requestTimeoutMs);
    }
  }

  /** Read an object; undefined when it does not exist. */
  private async read(kind: KubeKind | 'Pod', namespace: string | undefined, name: string): Promise<(KubernetesObject & Labeled) | undefined> {
    try {
      return (await this.objects.read({ apiVersion: API_VERSION[kind], kind, metadata: { name, namespace } as { name: string; namespace?: string } })) as KubernetesObject & Labeled;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeError(err, `read ${kind} ${namespace ? `${namespace}/` : ''}${name}`, this.server, this.requestTimeoutMs);
    }
  }

  /**
   * May this run change the object? Yes when it does not exist, or carries a drill's label (this run's,
   * or an earlier run's that is adopted). An object nobody labelled is someone else's: refuse.
   */
  private async assertOwned(kind: KubeKind, namespace: string, name: string): Promise<'absent' | 'owned'> {
    const k = key(kind, namespace, name);
    if (this.owned.has(k)) return 'owned';
    const obj = await this.read(kind, namespace, name);
    if (!obj) return 'absent';
    if (!obj.metadata?.labels?.[RUN_LABEL]) {
      throw new PlatformError(
        `refusing to change ${kind} ${namespace}/${name}: it exists on context ${this.context} without the ${RUN_LABEL} label, so the drill did not create it; use a namespace or cluster of its own`,
        2,
      );
    }
    this.owned.add(k);
    return 'owned';
  }

  /** A copy with RUN_LABEL on the object and on its pod template (so pods, logs and teardown find them). */
  private labelled(obj: KubeObject): KubeObject {
    const copy = structuredClone(obj);
    copy.metadata = { ...copy.metadata, labels: { ...copy.metadata?.labels, [RUN_LABEL]: this.runId } };
    if (copy.kind === 'Deployment' || copy.kind === 'Job') {
      const spec = (copy as V1Deployment | V1Job).spec;
      if (spec?.template) spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [RUN_LABEL]: this.runId } };
    }
    return copy;
  }

  async apply(input: KubeObject | KubeObject[]): Promise<void> {
    for (const obj of Array.isArray(input) ? input : [input]) {
      const kind = obj.kind as KubeKind;
      const name = obj.metadata?.name;
      if (!kind || !(kind in API_VERSION) || !name) throw new PlatformError(`cannot apply an object without a known kind and a name (${kind ?? '?'}/${name ?? '?'})`, 2);
      if (kind === 'Namespace') {
        await this.applyNamespace(obj);
        continue;
      }
      const namespace = obj.metadata?.namespace;
      if (!namespace) throw new PlatformError(`cannot apply ${kind} ${name}: metadata.namespace is required`, 2);
      this.announce(namespace);
      await this.assertOwned(kind, namespace, name);
      await this.serverSideApply(this.labelled(obj), `apply ${kind} ${namespace}/${name}`);
      this.owned.add(key(kind, namespace, name));
    }
  }

  private async serverSideApply(obj: KubeObject, what: string): Promise<void> {
    const retries = this.opts.conflictRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.objects.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        return;
      } catch (err) {
        const e = toKubeError(err, what, this.server, this.requestTimeoutMs);
        if (e instanceof KubeApiError && e.status === 409 && attempt < retries) {
          await sleep(100 * 2 ** attempt);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * A namespace that already exists is used as it is (never labelled, so never deleted); one that is
   * still terminating from an earlier run is waited out; a new one is created with the run's label.
   */
  private async applyNamespace(obj: KubeObject): Promise<void> {
    const name = obj.metadata!.name!;
    const existing = await waitFor(
      async () => {
        const ns = await this.read('Namespace', undefined, name);
        const since = ns?.metadata?.deletionTimestamp;
        return since ? notYet(`terminating since ${iso(since) ?? since}`) : done(ns);
      },
      { describe: `namespace "${name}" to finish terminating`, timeoutMs: 120_000, intervalMs: 1_000 },
    ).catch((err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      throw new PlatformError(`namespace "${name}" is still terminating after 120s (${err.lastState})`, 3);
    });
    if (existing) {
      this.progress(`namespace "${name}" already exists: using it, it will not be deleted`);
      this.touched.add(name);
      return;
    }
    this.progress(`creating namespace "${name}" on context ${this.context}`);
    await this.serverSideApply(this.labelled(obj), `create Namespace ${name}`);
    this.createdNamespaces.add(name);
    this.touched.add(name);
    this.announced.add(name);
  }

  async delete(kind: KubeKind, namespace: string, name: string): Promise<void> {
    if (kind === 'Namespace') {
      if (!this.createdNamespaces.has(name)) throw new PlatformError(`refusing to delete namespace "${name}": this run did not create it`, 2);
      await this.deleteObject('Namespace', undefined, name);
      this.createdNamespaces.delete(name);
      return;
    }
    this.announce(namespace);
    if ((await this.assertOwned(kind, namespace, name)) === 'absent') return;
    await this.deleteObject(kind, namespace, name);
    this.owned.delete(key(kind, namespace, name));
  }

  private async deleteObject(kind: KubeKind | 'Pod', namespace: string | undefined, name: string): Promise<void> {
    try {
      // Background propagation: a Job's or Deployment's pods go with it.
      await this.objects.delete({ apiVersion: API_VERSION[kind], kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, 'Background');
    } catch (err) {
      if (isNotFound(err)) return;
      throw toKubeError(err, `delete ${kind} ${namespace ? `${namespace}/` : ''}${name}`, this.server, this.requestTimeoutMs);
    }
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    this.announce(namespace);
    if ((await this.assertOwned('Deployment', namespace, deployment)) === 'absent') {
      throw new KubeApiError(`scale deployment ${namespace}/${deployment}: not found`, 404, 'NotFound');
    }
    await this.call(`scale deployment ${namespace}/${deployment} to ${replicas}`, () =>
      this.apps.patchNamespacedDeploymentScale(
        { name: deployment, namespace, body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  async patchServiceSelector(namespace: string, service: string, selector: Record<string, string>): Promise<void> {
    this.announce(namespace);
    if ((await this.assertOwned('Service', namespace, service)) === 'absent') {
      throw new KubeApiError(`patch service ${namespace}/${service}: not found`, 404, 'NotFound');
    }
    // A merge patch adds/changes the given keys and keeps the others, exactly as the runbook's kubectl patch.
    await this.call(`patch the selector of service ${namespace}/${service}`, () =>
      this.core.patchNamespacedService(
        { name: service, namespace, body: { spec: { selector } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  async setDeploymentEnv(namespace: string, deployment: string, env: Record<string, string | null>, container?: string): Promise<void> {
    this.announce(namespace);
    const dep = await this.getDeployment(namespace, deployment);
    if (!dep) throw new KubeApiError(`set env of deployment ${namespace}/${deployment}: not found`, 404, 'NotFound');
    await this.assertOwned('Deployment', namespace, deployment);
    const containers = dep.spec?.template.spec?.containers ?? [];
    const target = container ? containers.find((c) => c.name === container) : containers[0];
    if (!target) throw new PlatformError(`deployment ${namespace}/${deployment} has no container ${container ?? ''}`.trim(), 2);
    // A merge patch replaces lists whole: send every container with its full, edited env list.
    // Contract (types.ts): a changed variable keeps its place (later $(VAR) references depend on order), new ones go last.
    const nextEnv = (target.env ?? []).flatMap((e) => (!(e.name in env) ? [e] : env[e.name] === null ? [] : [{ name: e.name, value: env[e.name]! }]));
    for (const [name, value] of Object.entries(env)) if (value !== null && !nextEnv.some((e) => e.name === name)) nextEnv.push({ name, value });
    const patched = containers.map((c) => (c.name === target.name ? { ...c, env: nextEnv } : c));
    await this.call(`set env of deployment ${namespace}/${deployment}`, () =>
      this.apps.patchNamespacedDeployment(
        { name: deployment, namespace, body: { spec: { template: { spec: { containers: patched } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
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
      if (httpStatusOf(err) === undefined) throw toKubeError(err, `context ${this.context}`, this.server, this.requestTimeoutMs);
    }
  }

  async getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    try {
      return await this.apps.readNamespacedDeployment({ name, namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeError(err, `read deployment ${namespace}/${name}`, this.server, this.requestTimeoutMs);
    }
  }

  async getService(namespace: string, name: string): Promise<V1Service | undefined> {
    try {
      return await this.core.readNamespacedService({ name, namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeError(err, `read service ${namespace}/${name}`, this.server, this.requestTimeoutMs);
    }
  }

  async getDeploymentStatus(namespace: string, name: string): Promise<DeploymentStatus> {
    const dep = await this.getDeployment(namespace, name);
    if (!dep) throw new KubeApiError(`deployment ${namespace}/${name}: not found`, 404, 'NotFound');
    return toStatus(dep);
  }

  /**
   * Polls until the rollout reached `replicas`: the controller saw the latest spec (observedGeneration),
   * `replicas` pods run the latest template and are ready; for 0, until no pod is left.
   */
  async waitForReady(namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
    let lastKey = '';
    const rolledOut = async () => {
      const dep = await this.getDeployment(namespace, deployment);
      const status = toStatus(dep);
      const k = JSON.stringify(status);
      if (k !== lastKey) {
        lastKey = k;
        opts.onProgress?.(status);
      }
      const observed = (dep?.status?.observedGeneration ?? 0) >= (dep?.metadata?.generation ?? 0);
      const ready = replicas === 0 ? status.replicas === 0 : status.readyReplicas >= replicas && status.updatedReplicas >= replicas;
      return dep && observed && ready ? done(status) : notYet(dep ? status : undefined);
    };
    return waitFor(rolledOut, {
      describe: `deployment ${namespace}/${deployment} ready with ${replicas} replicas`,
      timeoutMs: opts.timeoutMs,
      intervalMs: this.pollMs,
      signal: opts.signal,
    }).catch((err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      // The local platform's words for the same timeout (one contract, one message).
      const last = err.lastState as DeploymentStatus | undefined;
      throw new WaitTimeoutError(
        `deployment ${namespace}/${deployment} not ready with ${replicas} replicas within ${Math.round(opts.timeoutMs / 1000)}s (${last ? fmtStatus(last) : 'not found'})`,
        last,
        err.details,
      );
    });
  }

  async listPods(namespace: string, selector: Record<string, string>): Promise<PodInfo[]> {
    const list = await this.call(`list pods in ${namespace}`, () =>
      this.core.listNamespacedPod({ namespace, labelSelector: selectorString(selector) || undefined }),
    );
    return list.items;
  }

  async runJob(job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
    const name = job.metadata?.name;
    const namespace = job.metadata?.namespace;
    if (!name || !namespace) throw new PlatformError('a Job needs metadata.name and metadata.namespace', 2);
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    this.announce(namespace);
    // Jobs are immutable: a leftover of an earlier run is deleted first, and creation retried while it goes.
    if ((await this.assertOwned('Job', namespace, name)) === 'owned') await this.deleteObject('Job', namespace, name);
    const body = this.labelled({ ...job, apiVersion: 'batch/v1', kind: 'Job' }) as V1Job;
    for (;;) {
      try {
        await this.batch.createNamespacedJob({ namespace, body });
        break;
      } catch (err) {
        const e = toKubeError(err, `create job ${namespace}/${name}`, this.server, this.requestTimeoutMs);
        if (e instanceof KubeApiError && e.status === 409 && Date.now() < deadline) {
          await sleep(500);
          continue;
        }
        throw e;
      }
    }
    this.owned.add(key('Job', namespace, name));
    this.progress(`job ${namespace}/${name} started`);

    const finished = async () => {
      const j = await this.call(`read job ${namespace}/${name}`, () => this.batch.readNamespacedJob({ name, namespace }));
      const conds = j.status?.conditions ?? [];
      if (conds.some((c) => c.type === 'Complete' && c.status === 'True') || (j.status?.succeeded ?? 0) > 0) return done(true);
      if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return done(false);
      return notYet(`active ${j.status?.active ?? 0}, succeeded ${j.status?.succeeded ?? 0}, failed ${j.status?.failed ?? 0}`);
    };
    const succeeded = await waitFor(finished, {
      describe: `job ${namespace}/${name} to finish`,
      timeoutMs: Math.max(0, deadline - Date.now()),
      intervalMs: this.pollMs,
      signal: opts.signal,
    }).catch(async (err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      const logs = await this.jobLogs(namespace, name).catch(() => ({ logs: '', exitCode: -1 }));
      await this.deleteObject('Job', namespace, name);
      const lastLine = logs.logs.trim().split('\n').at(-1) ?? '';
      throw new WaitTimeoutError(
        `job ${namespace}/${name} did not finish within ${Math.round(opts.timeoutMs / 1000)}s (${err.lastState}); last output: ${lastLine}`,
        err.lastState,
        err.details,
      );
    });
    const { logs, exitCode } = await this.jobLogs(namespace, name);
    return { name, succeeded, exitCode: exitCode ?? (succeeded ? 0 : -1), logs, durationMs: Date.now() - started };
  }

  /** Logs and exit code of the newest pod of a Job. */
  private async jobLogs(namespace: string, job: string): Promise<{ logs: string; exitCode: number | undefined }> {
    const pods = await this.listPods(namespace, { 'job-name': job });
    const pod = pods.sort((a, b) => (iso(a.metadata?.creationTimestamp) ?? '').localeCompare(iso(b.metadata?.creationTimestamp) ?? '')).at(-1);
    if (!pod?.metadata?.name) return { logs: '', exitCode: undefined };
    const cs = pod.status?.containerStatuses?.[0];
    const exitCode = cs?.state?.terminated?.exitCode ?? cs?.lastState?.terminated?.exitCode;
    const logs = await this.podLog(namespace, pod.metadata.name, cs?.name ?? pod.spec?.containers[0]?.name);
    return { logs, exitCode };
  }

  private async podLog(namespace: string, pod: string, container: string | undefined, previous = false): Promise<string> {
    try {
      return (await this.core.readNamespacedPodLog({ name: pod, namespace, container, previous })) ?? '';
    } catch (err) {
      if (isNotFound(err) || (err as { code?: number }).code === 400) return '';
      throw toKubeError(err, `read log of pod ${namespace}/${pod}`, this.server, this.requestTimeoutMs);
    }
  }

  async exec(namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    let podName = opts.pod;
    let pod: V1Pod | undefined;
    if (!podName) {
      const dep = await this.getDeployment(namespace, deployment);
      if (!dep) throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: deployment not found`, 404, 'NotFound');
      const pods = await this.listPods(namespace, dep.spec?.selector?.matchLabels ?? {});
      pod = pods.find(isPodReady) ?? pods.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
      if (!pod?.metadata?.name) {
        throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: no running pod (${toStatus(dep).replicas} replicas)`, 404, 'NoPod');
      }
      podName = pod.metadata.name;
    }
    const container = opts.container ?? pod?.spec?.containers[0]?.name ?? (await this.read('Pod', namespace, podName) as V1Pod | undefined)?.spec?.containers[0]?.name;
    if (!container) throw new KubeApiError(`exec into pod ${namespace}/${podName}: pod not found`, 404, 'NotFound');
    const res = await execInPod(this.kc, namespace, podName, container, command, {
      timeoutMs: opts.timeoutMs ?? 60_000,
      stdin: opts.stdin,
      signal: opts.signal,
    });
    return { ...res, pod: podName };
  }

  async logs(namespace: string): Promise<PodLog[]> {
    const pods = await this.listPods(namespace, { [RUN_LABEL]: this.runId });
    const out: PodLog[] = [];
    for (const p of pods) {
      const pod = p.metadata?.name;
      if (!pod) continue;
      for (const c of p.spec?.containers ?? []) {
        const restarted = (p.status?.containerStatuses?.find((s) => s.name === c.name)?.restartCount ?? 0) > 0;
        const previous = restarted ? await this.podLog(namespace, pod, c.name, true) : '';
        const current = await this.podLog(namespace, pod, c.name);
        const text = previous ? `--- previous container ---\n${previous}--- current container ---\n${current}` : current;
        out.push({ pod, container: c.name, owner: podOwner(p), text });
      }
    }
    return out;
  }

  async events(namespace: string): Promise<PlatformEvent[]> {
    const list = await this.call(`list events in ${namespace}`, () => this.core.listNamespacedEvent({ namespace }));
    return list.items
      .map((e) => ({
        time: iso(e.lastTimestamp) ?? iso(e.eventTime) ?? iso(e.firstTimestamp) ?? iso(e.metadata?.creationTimestamp) ?? new Date(0).toISOString(),
        type: (e.type === 'Warning' ? 'Warning' : 'Normal') as PlatformEvent['type'],
        reason: e.reason ?? '',
        object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
        message: e.message ?? '',
      }))
      .sort((a, b) => a.time.localeCompare(b.time));
  }

  async serviceUrl(namespace: string, service: string, port?: number): Promise<string> {
    const svc = await this.getService(namespace, service);
    if (!svc) throw new KubeApiError(`service ${namespace}/${service}: not found`, 404, 'NotFound');
    const ports = svc.spec?.ports ?? [];
    const p = port === undefined ? ports[0] : ports.find((x) => x.port === port);
    if (!p) throw new PlatformError(`service ${namespace}/${service} has no port ${port ?? ''}`.trim(), 2);
    if (this.opts.serviceUrl) return this.opts.serviceUrl(svc, p);
    const k = `${namespace}/${service}:${p.port}`;
    let proxy = this.proxies.get(k);
    if (!proxy) {
      proxy = new ApiServerServiceProxy(this.kc, namespace, service, p.port);
      await proxy.start();
      this.proxies.set(k, proxy);
      this.progress(`service ${k} reachable at ${proxy.url} (through the API server's service proxy)`);
    }
    return proxy.url;
  }

  /** Deletes every object carrying this run's label in the namespaces it touched, then the namespaces it created. */
  async teardown(): Promise<void> {
    const selector = `${RUN_LABEL}=${this.runId}`;
    const errors: string[] = [];
    for (const namespace of this.touched) {
      if (this.createdNamespaces.has(namespace)) continue; // deleting the namespace removes its content
      for (const kind of TEARDOWN_ORDER) {
        try {
          const list = await this.objects.list(API_VERSION[kind], kind, namespace, undefined, undefined, undefined, undefined, selector);
          for (const item of list.items as (KubernetesObject & Labeled)[]) {
            const name = item.metadata?.name;
            // Check the label on the object itself too: never delete on a selector's word alone.
            if (name && item.metadata?.labels?.[RUN_LABEL] === this.runId) await this.deleteObject(kind, namespace, name);
          }
        } catch (err) {
          errors.push(toKubeError(err, `teardown ${kind} in ${namespace}`, this.server, this.requestTimeoutMs).message);
        }
      }
    }
    for (const ns of this.createdNamespaces) {
      try {
        const obj = await this.read('Namespace', undefined, ns);
        if (obj?.metadata?.labels?.[RUN_LABEL] === this.runId) {
          this.progress(`deleting namespace "${ns}" (created by this run)`);
          await this.deleteObject('Namespace', undefined, ns);
        }
      } catch (err) {
        errors.push(toKubeError(err, `delete namespace ${ns}`, this.server, this.requestTimeoutMs).message);
      }
    }
    this.createdNamespaces.clear();
    this.owned.clear();
    if (errors.length > 0) throw new PlatformError(`teardown left objects behind: ${errors.join('; ')}`, 3);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.teardown();
    } finally {
      for (const p of this.proxies.values()) await p[Symbol.asyncDispose]();
      this.proxies.clear();
    }
  }
}
