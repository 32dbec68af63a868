// The `local` Platform: the drill's Kubernetes objects carried out by this process. It plays the
// API server (validated objects with the run label), the controllers (Deployment, Job, Service
// endpoints) and the kubelet (pods as process groups, see pod.ts). Everything it starts is torn
// down by teardown(), by dispose, on SIGINT/SIGTERM, and (SIGKILL) when this process exits.
import type { V1Deployment, V1Job, V1PersistentVolumeClaim, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeApiError } from '../kube-errors.ts';
import { validateManifest } from '../schema.ts';
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
} from '../types.ts';
import { defaultImages, ImageMap, parseLocalOptions, type LocalImageSpec, type LocalPlatformConfig, type LocalPlatformInput } from './config.ts';
import { DeploymentController, type PodHost } from './deployment-controller.ts';
import type { EnvSources } from './env.ts';
import { EventLog } from './events.ts';
import { JobController } from './job-controller.ts';
import { ownerToken, reapOrphans } from './leaks.ts';
import { ContainerNotRunningError, LocalPod, type NodeContext, type PodInit } from './pod.ts';
import { registerForSignals, unregisterForSignals } from './signals.ts';
import { startHttpProxy, startTcpProxy, type Endpoint, type ServicePortProxy } from './service-proxy.ts';
import { ObjectStore } from './store.ts';
import type { ServiceAddress } from './translate.ts';

const KINDS: readonly KubeKind[] = ['Namespace', 'Deployment', 'Service', 'PersistentVolumeClaim', 'Secret', 'ConfigMap', 'Job'];
const RESOURCE: Record<KubeKind, string> = {
  Namespace: 'namespaces',
  Deployment: 'deployments.apps',
  Service: 'services',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Job: 'jobs.batch',
};

function notFound(kind: KubeKind, name: string): KubeApiError {
  return new KubeApiError(`${RESOURCE[kind]} "${name}" not found`, 404, 'NotFound');
}

function matches(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function isHttpPort(p: V1ServicePort): boolean {
  const proto = p.appProtocol?.toLowerCase();
  return proto === 'http' || proto === 'kubernetes.io/h2c' || p.name === 'http' || (p.name ?? '').startsWith('http-');
}

function generateRunId(): string {
  return `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

interface ServiceRuntime {
  proxies: Map<number, ServicePortProxy>;
}

/** Everything a test or a report may want besides the Platform interface. */
export interface LocalPlatform extends Platform {
  readonly name: 'local';
  readonly runDir: string;
  /** Host directory of a claim (exists once the PVC was applied). */
  claimPath(namespace: string, claim: string): string;
  /** Delete one pod (its Deployment replaces it), like `kubectl delete pod`. */
  deletePod(namespace: string, pod: string): Promise<void>;
  /** Copy pod logs, events and pod states into a report folder; returns the files written. */
  collectArtifacts(dir: string): Promise<string[]>;
  /** Local ports the run listens on (service proxies and pods), for leak checks. */
  listeningPorts(): number[];
}

export class LocalPlatformImpl implements LocalPlatform, NodeContext, PodHost {
  readonly name = 'local' as const;
  readonly runId: string;
  readonly ownerToken = ownerToken();
  readonly runDir: string;
  readonly images: ImageMap;
  readonly eventLog: EventLog;
  readonly restartBackoffMs: { initial: number; max: number };
  readonly sources: EnvSources;
  private readonly store = new ObjectStore();
  private readonly pods = new Map<string, LocalPod>();
  /** Every pod the run had (logs of ended pods stay readable). */
  private readonly podHistory: LocalPod[] = [];
  private readonly serviceRuntimes = new Map<string, ServiceRuntime>();
  private readonly deployments: DeploymentController;
  private readonly jobs: JobController;
  private readonly shims = new Map<LocalImageSpec, string>();
  private readonly changes = new EventEmitter();
  private readonly abort = new AbortController();
  private readonly resync: NodeJS.Timeout;
  private reconcileQueued = false;
  private tearingDown: Promise<void> | undefined;

  constructor(
    private readonly config: LocalPlatformConfig,
    runDir: string,
    private readonly progressFn: (line: string) => void,
  ) {
    this.runId = config.runId ?? generateRunId();
    this.runDir = runDir;
    this.images = new ImageMap({ ...defaultImages(config.repoRoot), ...config.images });
    this.restartBackoffMs = config.restartBackoffMs;
    this.eventLog = new EventLog((e) => {
      if (e.type === 'Warning') this.progress(`  event ${e.namespace}/${e.object} ${e.reason}: ${e.message}`);
    });
    this.sources = {
      secret: (ns, name) => this.store.secretData(ns, name),
      configMap: (ns, name) => this.store.configMapData(ns, name),
    };
    this.deployments = new DeploymentController(this, this.eventLog);
    this.jobs = new JobController(this, this.eventLog, config.restartBackoffMs);
    this.changes.setMaxListeners(0);
    this.resync = setInterval(() => this.resyncAll(), config.resyncMs);
    this.resync.unref();
  }

  progress(line: string): void {
    this.progressFn(line);
  }

  // ---- NodeContext (what pods need) -------------------------------------------------------

  claimPath(namespace: string, claim: string): string {
    return path.join(this.runDir, 'pvc', namespace, claim);
  }

  claimDir(namespace: string, claim: string): string | undefined {
    return this.store.get('PersistentVolumeClaim', namespace, claim) ? this.claimPath(namespace, claim) : undefined;
  }

  services(): ServiceAddress[] {
    const out: ServiceAddress[] = [];
    for (const svc of this.store.list<V1Service>('Service')) {
      const rt = this.serviceRuntimes.get(this.svcKey(svc.metadata!.namespace!, svc.metadata!.name!));
      if (!rt) continue;
      out.push({
        namespace: svc.metadata!.namespace!,
        name: svc.metadata!.name!,
        ports: new Map([...rt.proxies].map(([port, proxy]) => [port, proxy.localPort])),
      });
    }
    return out;
  }

  shimDir(image: LocalImageSpec): string {
    let dir = this.shims.get(image);
    if (dir) return dir;
    dir = path.join(this.runDir, 'bin', String(this.shims.size));
    mkdirSync(dir, { recursive: true });
    for (const [name, target] of Object.entries(image.bins)) {
      const quoted = `'${target.replace(/'/g, `'\\''`)}'`;
      writeFileSync(path.join(dir, name), `#!/bin/sh\nexec ${quoted} "$@"\n`, { mode: 0o755 });
    }
    this.shims.set(image, dir);
    return dir;
  }

  podChanged(pod: LocalPod): void {
    if (pod.gone) this.pods.delete(this.podKey(pod.namespace, pod.name));
    this.queueReconcile();
    this.changes.emit('change');
  }

  // ---- PodHost (what controllers need) ----------------------------------------------------

  podsOf(ownerKind: 'ReplicaSet' | 'Job', ownerUid: string): LocalPod[] {
    return [...this.pods.values()].filter((p) => p.owner?.kind === ownerKind && p.owner.uid === ownerUid);
  }

  createPod(init: PodInit): LocalPod {
    if (this.tearingDown) throw new Error('platform is tearing down');
    const pod = new LocalPod(this, init);
    this.pods.set(this.podKey(pod.namespace, pod.name), pod);
    this.podHistory.push(pod);
    pod.sync();
    return pod;
  }

  removePod(pod: LocalPod): void {
    void pod.terminate();
  }

  // ---- reconcile loop ---------------------------------------------------------------------

  private podKey(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  private svcKey(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  private queueReconcile(): void {
    if (this.reconcileQueued || this.tearingDown) return;
    this.reconcileQueued = true;
    setImmediate(() => {
      this.reconcileQueued = false;
      this.reconcileAll();
    });
  }

  private reconcileAll(): void {
    if (this.tearingDown) return;
    for (const dep of this.store.list<V1Deployment>('Deployment')) this.deployments.reconcile(dep);
    for (const job of this.store.list<V1Job>('Job')) this.jobs.reconcile(job);
  }

  private resyncAll(): void {
    if (this.tearingDown) return;
    for (const pod of this.pods.values()) if (!pod.scheduled) pod.sync(); // scheduling retries
    this.reconcileAll();
  }

  /** Resolves when `check` returns a value (re-checked on every change and every 100 ms). */
  private waitFor<T>(check: () => T | undefined, timeoutMs: number, callerSignal: AbortSignal | undefined, onTimeout: () => Error): Promise<T> {
    // Teardown ends every wait at once instead of letting it run into its timeout.
    const signal = callerSignal ? AbortSignal.any([callerSignal, this.abort.signal]) : this.abort.signal;
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.changes.off('change', test);
        signal.removeEventListener('abort', onAbort);
      };
      const test = () => {
        let v: T | undefined;
        try {
          v = check();
        } catch (err) {
          cleanup();
          reject(err as Error);
          return;
        }
        if (v !== undefined) {
          cleanup();
          resolve(v);
        }
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(onTimeout());
      }, timeoutMs);
      const poll = setInterval(test, 100);
      this.changes.on('change', test);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      else test();
    });
  }

  // ---- Platform: objects --------------------------------------------------------------------

  async apply(input: KubeObject | KubeObject[]): Promise<void> {
    for (const obj of Array.isArray(input) ? input : [input]) await this.applyOne(obj);
  }

  private validate(obj: KubeObject): { kind: KubeKind; name: string; namespace: string | undefined } {
    const kind = obj.kind as KubeKind;
    const name = obj.metadata?.name;
    if (!kind || !KINDS.includes(kind) || !name) throw new PlatformError(`cannot apply an object without a known kind and a name (${kind ?? '?'}/${name ?? '?'})`, 2);
    const namespace = kind === 'Namespace' ? undefined : obj.metadata?.namespace;
    if (kind !== 'Namespace' && !namespace) throw new PlatformError(`cannot apply ${kind} ${name}: metadata.namespace is required`, 2);
    const v = validateManifest(obj);
    const problems = [...v.errors];
    if (kind === 'Deployment' || kind === 'Job') {
      const d = obj as V1Deployment | V1Job;
      const sel = d.spec?.selector?.matchLabels;
      const tpl = d.spec?.template?.metadata?.labels ?? {};
      if (kind === 'Deployment' && sel && !matches(tpl as Record<string, string>, sel as Record<string, string>)) {
        problems.push(`spec.template.metadata.labels: Invalid value: ${JSON.stringify(tpl)}: \`selector\` does not match template \`labels\``);
      }
    }
    if (problems.length > 0) {
      const group = RESOURCE[kind].includes('.') ? `${kind}.${RESOURCE[kind].split('.').slice(1).join('.')}` : kind;
      throw new KubeApiError(`${group} "${name}" is invalid: ${problems.slice(0, 3).join(', ')}`, 422, 'Invalid');
    }
    if (namespace && !this.store.get('Namespace', undefined, namespace)) {
      throw new KubeApiError(`namespaces "${namespace}" not found`, 404, 'NotFound');
    }
    return { kind, name, namespace };
  }

  private labelled<T extends KubeObject>(obj: T): T {
    const copy = structuredClone(obj);
    copy.metadata = { ...copy.metadata, labels: { ...(copy.metadata?.labels ?? {}), [RUN_LABEL]: this.runId } };
    if (copy.kind === 'Deployment' || copy.kind === 'Job') {
      // Pods carry the run label too (as on the kube platforms): logs and sweeps find them by it.
      const spec = (copy as V1Deployment | V1Job).spec;
      if (spec?.template) spec.template.metadata = { ...spec.template.metadata, labels: { ...(spec.template.metadata?.labels ?? {}), [RUN_LABEL]: this.runId } };
    }
    return copy;
  }

  private async applyOne(input: KubeObject): Promise<void> {
    if (this.tearingDown) throw new PlatformError('the local platform has been torn down', 3);
    const { kind, name, namespace } = this.validate(input);
    const obj = this.labelled(input);
    const existing = this.store.get(kind, namespace, name);
    obj.metadata!.uid = existing?.metadata?.uid ?? randomUUID();
    obj.metadata!.creationTimestamp = existing?.metadata?.creationTimestamp ?? new Date();
    const specChanged = JSON.stringify((existing as { spec?: unknown } | undefined)?.spec) !== JSON.stringify((obj as { spec?: unknown }).spec);
    obj.metadata!.generation = (existing?.metadata?.generation ?? 0) + (existing && !specChanged ? 0 : existing ? 1 : 1);
    switch (kind) {
      case 'Namespace':
      case 'Secret':
      case 'ConfigMap':
        this.store.put(obj);
        for (const pod of this.pods.values()) pod.sync(); // waiting on a missing Secret/ConfigMap?
        break;
      case 'PersistentVolumeClaim': {
        const dir = this.claimPath(namespace!, name);
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o777); // any pod user (postgres) may write its volume, as a fresh PV allows
        const pvc = obj as V1PersistentVolumeClaim;
        pvc.status = { phase: 'Bound', accessModes: pvc.spec?.accessModes, capacity: pvc.spec?.resources?.requests };
        this.store.put(pvc);
        for (const pod of this.pods.values()) pod.sync();
        break;
      }
      case 'Service':
        this.store.put(obj);
        await this.syncServiceProxies(obj as V1Service);
        break;
      case 'Deployment':
        this.store.put(obj);
        this.progress(`  deployment ${namespace}/${name}: ${(obj as V1Deployment).spec?.replicas ?? 1} replicas`);
        this.deployments.reconcile(obj as V1Deployment);
        break;
      case 'Job':
        if (existing) {
          if (JSON.stringify((existing as V1Job).spec?.template) !== JSON.stringify((obj as V1Job).spec?.template)) {
            throw new KubeApiError(`Job.batch "${name}" is invalid: spec.template: Invalid value: field is immutable`, 422, 'Invalid');
          }
          return;
        }
        this.store.put(obj);
        this.jobs.reconcile(obj as V1Job);
        break;
    }
    this.changes.emit('change');
  }

  private async syncServiceProxies(svc: V1Service): Promise<void> {
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const key = this.svcKey(ns, name);
    const rt = this.serviceRuntimes.get(key) ?? { proxies: new Map<number, ServicePortProxy>() };
    this.serviceRuntimes.set(key, rt);
    const wanted = new Map((svc.spec?.ports ?? []).map((p) => [p.port, p]));
    for (const [port, proxy] of rt.proxies) {
      const p = wanted.get(port);
      if (!p || (isHttpPort(p) ? 'http' : 'tcp') !== proxy.protocol) {
        rt.proxies.delete(port);
        await proxy.close();
      }
    }
    for (const [port, p] of wanted) {
      if (rt.proxies.has(port)) continue;
      const endpoints = () => this.endpoints(ns, name, port);
      const proxy = isHttpPort(p) ? await startHttpProxy(`${ns}/${name}`, endpoints) : await startTcpProxy(`${ns}/${name}`, endpoints);
      rt.proxies.set(port, proxy);
      this.progress(`  service ${ns}/${name}:${port} → 127.0.0.1:${proxy.localPort} (${proxy.protocol})`);
    }
  }

  /** Ready, not terminating pods matching the Service's current selector, with the local port of its targetPort. */
  private endpoints(ns: string, service: string, port: number): Endpoint[] {
    const svc = this.store.get<V1Service>('Service', ns, service);
    const selector = svc?.spec?.selector;
    if (!svc || !selector || Object.keys(selector).length === 0) return [];
    const sp = svc.spec?.ports?.find((p) => p.port === port);
    const target = sp?.targetPort ?? port;
    const out: Endpoint[] = [];
    for (const pod of this.pods.values()) {
      if (pod.namespace !== ns || !pod.ready || !matches(pod.labels, selector)) continue;
      const local = pod.portOf(target as number | string);
      if (local !== undefined) out.push({ pod: pod.name, port: local });
    }
    return out;
  }

  async delete(kind: KubeKind, namespace: string, name: string): Promise<void> {
    if (kind === 'Namespace') {
      for (const k of ['Job', 'Deployment', 'Service', 'ConfigMap', 'Secret', 'PersistentVolumeClaim'] as KubeKind[]) {
        for (const o of this.store.list(k, name)) await this.delete(k, name, o.metadata!.name!);
      }
      this.store.remove('Namespace', undefined, name);
      return;
    }
    const obj = this.store.remove(kind, namespace, name);
    if (!obj) return;
    switch (kind) {
      case 'Deployment':
        this.deployments.deleteAll(obj as V1Deployment);
        break;
      case 'Job':
        this.jobs.forget(obj as V1Job);
        break;
      case 'Service': {
        const rt = this.serviceRuntimes.get(this.svcKey(namespace, name));
        this.serviceRuntimes.delete(this.svcKey(namespace, name));
        for (const p of rt?.proxies.values() ?? []) await p.close();
        break;
      }
      case 'PersistentVolumeClaim': {
        // The volume goes with its claim: a claim created again under the same name starts empty.
        const dir = this.claimPath(namespace, name);
        if (existsSync(dir)) await rename(dir, `${dir}.deleted-${Date.now()}`).catch(() => undefined);
        break;
      }
      default:
        break;
    }
    this.changes.emit('change');
  }

  async deletePod(namespace: string, pod: string): Promise<void> {
    const p = this.pods.get(this.podKey(namespace, pod));
    if (!p) throw new KubeApiError(`pods "${pod}" not found`, 404, 'NotFound');
    await p.terminate();
  }

  // ---- Platform: deployments and services -------------------------------------------------

  private deployment(namespace: string, name: string): V1Deployment {
    const dep = this.store.get<V1Deployment>('Deployment', namespace, name);
    if (!dep) throw notFound('Deployment', name);
    return dep;
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0) throw new PlatformError(`replicas must be a whole number >= 0, got ${replicas}`, 2);
    const dep = this.deployment(namespace, deployment);
    if ((dep.spec!.replicas ?? 1) !== replicas) {
      dep.spec!.replicas = replicas;
      dep.metadata!.generation = (dep.metadata!.generation ?? 1) + 1;
    }
    this.progress(`  scale deployment ${namespace}/${deployment} → ${replicas}`);
    this.deployments.reconcile(dep);
    this.changes.emit('change');
  }

  async patchServiceSelector(namespace: string, service: string, selector: Record<string, string>): Promise<void> {
    const svc = this.store.get<V1Service>('Service', namespace, service);
    if (!svc) throw notFound('Service', service);
    // JSON merge patch: keys are merged into the existing selector; a null value removes a key.
    const merged: Record<string, string> = { ...(svc.spec!.selector ?? {}) };
    for (const [k, v] of Object.entries(selector as Record<string, string | null>)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    svc.spec!.selector = merged;
    this.progress(`  service ${namespace}/${service} selector → ${JSON.stringify(merged)}`);
    this.changes.emit('change');
  }

  async setDeploymentEnv(namespace: string, deployment: string, env: Record<string, string | null>, container?: string): Promise<void> {
    const dep = this.deployment(namespace, deployment);
    const containers = dep.spec!.template.spec!.containers;
    const c = container ? containers.find((x) => x.name === container) : containers[0];
    // Contract (types.ts): naming a container the deployment lacks is the caller's mistake, as on Kubernetes.
    if (!c) throw new PlatformError(`deployment ${namespace}/${deployment} has no container ${container ?? ''}`.trim(), 2);
    const list = [...(c.env ?? [])];
    for (const [k, v] of Object.entries(env)) {
      const i = list.findIndex((e) => e.name === k);
      if (v === null) {
        if (i >= 0) list.splice(i, 1);
      } else if (i >= 0) list[i] = { name: k, value: v };
      else list.push({ name: k, value: v });
    }
    c.env = list;
    dep.metadata!.generation = (dep.metadata!.generation ?? 1) + 1;
    this.progress(`  deployment ${namespace}/${deployment}: env ${Object.keys(env).join(', ')} changed, rolling pods`);
    this.deployments.reconcile(dep);
    this.changes.emit('change');
  }

  async getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    const dep = this.store.get<V1Deployment>('Deployment', namespace, name);
    if (!dep) return undefined;
    const copy = structuredClone(dep);
    copy.status = this.deployments.status(dep).full;
    return copy;
  }

  async getService(namespace: string, name: string): Promise<V1Service | undefined> {
    const svc = this.store.get<V1Service>('Service', namespace, name);
    return svc ? structuredClone(svc) : undefined;
  }

  private statusNow(namespace: string, name: string): DeploymentStatus | undefined {
    const dep = this.store.get<V1Deployment>('Deployment', namespace, name);
    if (!dep) return undefined;
    const { replicas, readyReplicas, availableReplicas, updatedReplicas } = this.deployments.status(dep);
    return { replicas, readyReplicas, availableReplicas, updatedReplicas };
  }

  async getDeploymentStatus(namespace: string, name: string): Promise<DeploymentStatus> {
    // Contract (types.ts): a missing deployment is NotFound, as on Kubernetes, not "0 ready".
    const status = this.statusNow(namespace, name);
    if (!status) throw notFound('Deployment', name);
    return status;
  }

  async waitForReady(namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
    let lastKey = '';
    let last: DeploymentStatus | undefined;
    return this.waitFor(
      () => {
        const s = this.statusNow(namespace, deployment);
        if (s) {
          const k = JSON.stringify(s);
          if (k !== lastKey) {
            lastKey = k;
            last = s;
            opts.onProgress?.(s);
          }
        }
        if (!s) return undefined;
        // Contract: only a status of the latest spec counts (the controller reconciles synchronously, so it is).
        const dep = this.store.get<V1Deployment>('Deployment', namespace, deployment)!;
        if ((this.deployments.status(dep).full.observedGeneration ?? 0) < (dep.metadata?.generation ?? 0)) return undefined;
        const done = replicas === 0 ? s.replicas === 0 : s.readyReplicas >= replicas && s.updatedReplicas >= replicas;
        return done ? s : undefined;
      },
      opts.timeoutMs,
      opts.signal,
      () =>
        new WaitTimeoutError(
          `deployment ${namespace}/${deployment} not ready with ${replicas} replicas within ${Math.round(opts.timeoutMs / 1000)}s (${
            last ? `ready ${last.readyReplicas}/${last.replicas}, updated ${last.updatedReplicas}, available ${last.availableReplicas}` : 'not found'
          })${this.whyNotReady(namespace, deployment)}`,
          last,
        ),
    );
  }

  /** The latest warning about a deployment's pods, so a timeout says why ("; last event: ..."). */
  private whyNotReady(namespace: string, deployment: string): string {
    const dep = this.store.get<V1Deployment>('Deployment', namespace, deployment);
    if (!dep) return '';
    const names = new Set(this.podsOf('ReplicaSet', dep.metadata!.uid!).map((p) => `Pod/${p.name}`));
    const warning = this.eventLog
      .list(namespace)
      .filter((e) => e.type === 'Warning' && names.has(e.object))
      .at(-1);
    return warning ? `; last event: ${warning.reason} ${warning.message}` : '';
  }

  async listPods(namespace: string, selector: Record<string, string>): Promise<PodInfo[]> {
    return [...this.pods.values()].filter((p) => p.namespace === namespace && matches(p.labels, selector)).map((p) => p.toV1());
  }

  async serviceUrl(namespace: string, service: string, port?: number): Promise<string> {
    const svc = this.store.get<V1Service>('Service', namespace, service);
    if (!svc) throw notFound('Service', service);
    const rt = this.serviceRuntimes.get(this.svcKey(namespace, service));
    const ports = svc.spec?.ports ?? [];
    // Contract (types.ts): the default is the first port, as on Kubernetes; a missing port is the caller's mistake.
    const sp = port !== undefined ? ports.find((p) => p.port === port) : ports[0];
    const proxy = sp ? rt?.proxies.get(sp.port) : undefined;
    if (!proxy) throw new PlatformError(`service ${namespace}/${service} has no port ${port ?? ''}`.trim(), 2);
    return `http://127.0.0.1:${proxy.localPort}`;
  }

  // ---- Platform: jobs and exec --------------------------------------------------------------

  async runJob(job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
    const name = job.metadata?.name;
    const namespace = job.metadata?.namespace;
    if (!name || !namespace) throw new PlatformError('a Job needs metadata.name and metadata.namespace', 2);
    const started = Date.now();
    // Jobs are immutable: a leftover of an earlier step with the same name is deleted first.
    if (this.store.get('Job', namespace, name)) await this.delete('Job', namespace, name);
    await this.apply({ ...job, apiVersion: 'batch/v1', kind: 'Job' });
    const stored = this.store.get<V1Job>('Job', namespace, name)!;
    this.progress(`  job ${namespace}/${name} started`);
    let outcome: 'Complete' | 'Failed';
    try {
      outcome = await this.waitFor(
        () => this.jobs.finished(stored),
        opts.timeoutMs,
        opts.signal,
        () => new WaitTimeoutError(`job ${namespace}/${name} did not finish within ${Math.round(opts.timeoutMs / 1000)}s; last output: ${this.jobLogs(stored).logs.trim().split('\n').at(-1) ?? ''}`),
      );
    } catch (err) {
      await this.delete('Job', namespace, name);
      throw err;
    }
    const { logs, exitCode } = this.jobLogs(stored);
    this.progress(`  job ${namespace}/${name} ${outcome === 'Complete' ? 'succeeded' : 'failed'} (exit ${exitCode})`);
    return { name, succeeded: outcome === 'Complete', exitCode, logs, durationMs: Date.now() - started };
  }

  private jobLogs(job: V1Job): { logs: string; exitCode: number } {
    const pods = this.podHistory.filter((p) => p.owner?.kind === 'Job' && p.owner.uid === job.metadata!.uid);
    const pod = pods.at(-1);
    if (!pod) return { logs: '', exitCode: -1 };
    const c = pod.containers[0]!;
    const s = c.state.kind === 'terminated' ? c.state : c.lastState?.kind === 'terminated' ? c.lastState : undefined;
    const logs = existsSync(c.logPath) ? readFileSync(c.logPath, 'utf8') : '';
    return { logs, exitCode: s ? s.exitCode : -1 };
  }

  async exec(namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    let pod: LocalPod | undefined;
    if (opts.pod) {
      pod = this.pods.get(this.podKey(namespace, opts.pod));
      if (!pod) throw new KubeApiError(`pods "${opts.pod}" not found`, 404, 'NotFound');
    } else {
      const dep = this.deployment(namespace, deployment);
      const selector = dep.spec?.selector?.matchLabels ?? {};
      const candidates = [...this.pods.values()].filter((p) => p.namespace === namespace && !p.terminating && matches(p.labels, selector));
      pod = candidates.find((p) => p.ready) ?? candidates.find((p) => p.phase() === 'Running');
      if (!pod) {
        const s = this.statusNow(namespace, deployment);
        throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: no running pod (${s?.replicas ?? 0} replicas)`, 404, 'NoPod');
      }
    }
    const c = pod.container(opts.container);
    if (!c) throw new KubeApiError(`exec into pod ${namespace}/${pod.name}: container ${opts.container} not found`, 404, 'NotFound');
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.abort.signal]) : this.abort.signal;
    let r;
    try {
      r = await c.exec(command, { timeoutMs, stdin: opts.stdin, signal });
    } catch (err) {
      if (err instanceof ContainerNotRunningError) throw new KubeApiError(`exec into pod ${namespace}/${pod.name}: ${err.message}`, 400, 'BadRequest');
      throw err;
    }
    const where = `exec in ${namespace}/${pod.name}`;
    if (r.timedOut) throw new PlatformError(`${where}: no exit status within ${Math.round(timeoutMs / 1000)}s`, 3);
    if (r.aborted) throw new Error(`${where}: aborted`);
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, pod: pod.name };
  }

  // ---- Platform: observability --------------------------------------------------------------

  async logs(namespace: string): Promise<PodLog[]> {
    const out: PodLog[] = [];
    for (const pod of this.podHistory) {
      if (pod.namespace !== namespace) continue;
      for (const c of pod.containers) {
        const text = await readFile(c.logPath, 'utf8').catch(() => '');
        out.push({ pod: pod.name, container: c.spec.name, owner: pod.owner?.controller, text });
      }
    }
    return out;
  }

  async events(namespace: string): Promise<PlatformEvent[]> {
    return this.eventLog.list(namespace).map(({ time, type, reason, object, message, count }) => ({ time, type, reason, object, message, count }));
  }

  async collectArtifacts(dir: string): Promise<string[]> {
    const written: string[] = [];
    const logsDir = path.join(this.runDir, 'logs');
    if (existsSync(logsDir)) {
      await cp(logsDir, path.join(dir, 'logs'), { recursive: true });
      written.push(path.join(dir, 'logs'));
    }
    const events = path.join(dir, 'events.json');
    await writeFile(events, `${JSON.stringify(this.eventLog.list(), null, 2)}\n`);
    written.push(events);
    const pods = path.join(dir, 'pods.json');
    await writeFile(pods, `${JSON.stringify(this.podHistory.map((p) => p.toV1()), null, 2)}\n`);
    written.push(pods);
    return written;
  }

  listeningPorts(): number[] {
    const ports: number[] = [];
    for (const rt of this.serviceRuntimes.values()) for (const p of rt.proxies.values()) ports.push(p.localPort);
    for (const pod of this.pods.values()) for (const c of pod.containers) ports.push(...c.ports.values());
    return ports;
  }

  // ---- teardown -----------------------------------------------------------------------------

  teardown(): Promise<void> {
    this.tearingDown ??= (async () => {
      clearInterval(this.resync);
      this.abort.abort(new Error('platform torn down'));
      const pods = [...this.pods.values()];
      if (pods.length > 0) this.progress(`  teardown: stopping ${pods.length} pod(s)`);
      await Promise.all(pods.map((p) => p.terminate(Math.min(p.graceMs(), this.config.teardownGraceMs))));
      for (const rt of this.serviceRuntimes.values()) for (const p of rt.proxies.values()) await p.close().catch(() => undefined);
      this.serviceRuntimes.clear();
      // Every object in the store carries this run's label: teardown deletes them all, as on Kubernetes.
      for (const kind of KINDS) for (const o of this.store.list(kind)) this.store.remove(kind, o.metadata?.namespace, o.metadata!.name!);
      unregisterForSignals(this);
      if (!this.config.keepRunDir) await rm(this.runDir, { recursive: true, force: true, maxRetries: 3 });
      else this.progress(`  run dir kept: ${this.runDir}`);
    })();
    return this.tearingDown;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.teardown();
  }
}

/** Start a local platform: a run dir (0755, so a postgres user can reach its volume), signal handlers. */
export async function createLocalPlatform(input: LocalPlatformInput = {}): Promise<LocalPlatform> {
  const config = parseLocalOptions(input);
  const orphans = reapOrphans();
  if (orphans.length > 0) input.progress?.(`  reaped ${orphans.length} process(es) left by an earlier run whose harness died`);
  const runId = config.runId ?? generateRunId();
  const runDir = config.runDir ?? (await mkdtemp(path.join(os.tmpdir(), `rollback-drill-${runId}-`)));
  mkdirSync(runDir, { recursive: true });
  chmodSync(runDir, 0o755);
  const platform = new LocalPlatformImpl({ ...config, runId }, runDir, input.progress ?? (() => undefined));
  if (config.handleSignals) registerForSignals(platform);
  return platform;
}
