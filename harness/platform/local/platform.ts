// The `local` Platform: the drill's Kubernetes objects carried out by this process. It plays the
// API server (api-server.ts, admission.ts, store.ts), the controllers (deployment-controller.ts,
// job-controller.ts, Service endpoints in services.ts) and the kubelet (pods as process groups,
// pod.ts, in pod-table.ts). This class wires them together and runs the reconcile loop. Everything
// it starts is torn down by teardown(), by dispose, on SIGINT/SIGTERM, and (SIGKILL) when this
// process exits.
import type { V1Deployment, V1Job, V1Service } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeApiError } from '../kube-errors.ts';
import { KUBE_KINDS } from '../objects.ts';
import {
  PlatformError
} from '../types.ts';
import { type DeploymentStatus, type ExecOptions, type ExecResult, type JobResult, type KubeKind, type KubeObject, type Platform, type PlatformEvent, type PodInfo, type PodLog, type WaitOptions } from '../../model/platform.ts';
import { applyObject, deleteObject, type ApiServerParts } from './api-server.ts';
import { collectArtifacts, namespaceEvents, podLogs } from './artifacts.ts';
import { ChangeFeed } from './changes.ts';
import { defaultImages, ImageMap, parseLocalOptions, type LocalImageSpec, type LocalPlatformConfig, type LocalPlatformInput } from './config.ts';
import { DeploymentController, type PodHost } from './deployment-controller.ts';
import * as deployments from './deployments.ts';
import type { EnvSources } from './env.ts';
import { EventLog } from './events.ts';
import { execInDeployment } from './exec.ts';
import { HostDirs } from './host-dirs.ts';
import { JobController } from './job-controller.ts';
import { runJob } from './jobs.ts';
import { ownerToken, reapOrphans } from './leaks.ts';
import { LocalPod, type NodeContext, type PodInit } from './pod.ts';
import { PodTable } from './pod-table.ts';
import { ServiceProxies } from './services.ts';
import { registerForSignals, unregisterForSignals } from './signals.ts';
import type { LocalState } from './state.ts';
import { ObjectStore } from './store.ts';
import { mergeImageLayers } from './target-images.ts';
import type { ServiceAddress } from './translate.ts';

function generateRunId(): string {
  return `local-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Everything a test or a report may want besides the Platform interface. */
export interface LocalPlatform extends Platform {
  readonly name: 'local';
  readonly runDir: string;
  /** Host directory of a claim (exists once the PVC was applied). */
  claimPath(namespace: string, claim: string): string;
  /** Host directory of the run's memory-backed emptyDirs (on /dev/shm where the host has one). */
  memoryDir(): string;
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
  private readonly st: LocalState;
  private readonly api: ApiServerParts;
  private readonly dirs: HostDirs;
  private readonly proxies: ServiceProxies;
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
    this.images = new ImageMap(mergeImageLayers(defaultImages(config.repoRoot), config.images));
    this.restartBackoffMs = config.restartBackoffMs;
    this.eventLog = new EventLog((e) => {
      if (e.type === 'Warning') this.progress(`  event ${e.namespace}/${e.object} ${e.reason}: ${e.message}`);
    });
    const store = new ObjectStore();
    const pods = new PodTable();
    this.sources = {
      secret: (ns, name) => store.secretData(ns, name),
      configMap: (ns, name) => store.configMapData(ns, name),
    };
    this.st = {
      store,
      pods,
      deployments: new DeploymentController(this, this.eventLog),
      jobs: new JobController(this, this.eventLog, config.restartBackoffMs),
      eventLog: this.eventLog,
      changes: new ChangeFeed(),
      progress: (line) => this.progress(line),
    };
    this.dirs = new HostDirs(runDir);
    this.proxies = new ServiceProxies(store, pods, (line) => this.progress(line));
    this.api = { st: this.st, dirs: this.dirs, services: this.proxies, runId: this.runId };
    // A periodic resync (as controllers do): scheduling retries, time-based readiness (minReadySeconds).
    this.resync = setInterval(() => this.resyncAll(), config.resyncMs);
    this.resync.unref();
  }

  progress(line: string): void {
    this.progressFn(line);
  }

  // ---- NodeContext (what pods need) -------------------------------------------------------

  claimPath(namespace: string, claim: string): string {
    return this.dirs.claimPath(namespace, claim);
  }

  memoryDir(): string {
    return this.dirs.memoryRoot();
  }

  claimDir(namespace: string, claim: string): string | undefined {
    return this.st.store.get('PersistentVolumeClaim', namespace, claim) ? this.dirs.claimPath(namespace, claim) : undefined;
  }

  services(): ServiceAddress[] {
    return this.proxies.addresses();
  }

  shimDir(image: LocalImageSpec): string {
    return this.dirs.shimDir(image);
  }

  podChanged(pod: LocalPod): void {
    this.st.pods.changed(pod);
    this.queueReconcile();
    this.st.changes.emit();
  }

  // ---- PodHost (what controllers need) ----------------------------------------------------

  podsOf(ownerKind: 'ReplicaSet' | 'Job', ownerUid: string): LocalPod[] {
    return this.st.pods.ownedBy(ownerKind, ownerUid);
  }

  createPod(init: PodInit): LocalPod {
    if (this.tearingDown) throw new Error('platform is tearing down');
    const pod = new LocalPod(this, init);
    this.st.pods.add(pod);
    pod.sync();
    return pod;
  }

  removePod(pod: LocalPod): void {
    void pod.terminate();
  }

  // ---- reconcile loop ---------------------------------------------------------------------

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
    for (const dep of this.st.store.list<V1Deployment>('Deployment')) this.st.deployments.reconcile(dep);
    for (const job of this.st.store.list<V1Job>('Job')) this.st.jobs.reconcile(job);
    // What the controllers decided (a Job complete, a replica set scaled) wakes the waits too: the
    // pod's own change came before it, and a wait woken then would look again only at its backstop.
    this.st.changes.emit();
  }

  private resyncAll(): void {
    if (this.tearingDown) return;
    for (const pod of this.st.pods.list()) if (!pod.scheduled) pod.sync(); // scheduling retries
    this.reconcileAll();
  }

  // ---- Platform ---------------------------------------------------------------------------

  async apply(input: KubeObject | KubeObject[]): Promise<void> {
    for (const obj of Array.isArray(input) ? input : [input]) {
      if (this.tearingDown) throw new PlatformError('the local platform has been torn down', 3);
      await applyObject(this.api, obj);
    }
  }

  delete(kind: KubeKind, namespace: string, name: string): Promise<void> {
    return deleteObject(this.api, kind, namespace, name);
  }

  async deletePod(namespace: string, pod: string): Promise<void> {
    const p = this.st.pods.get(namespace, pod);
    if (!p) throw new KubeApiError(`pods "${pod}" not found`, 404, 'NotFound');
    await p.terminate();
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    deployments.scale(this.st, namespace, deployment, replicas);
  }

  async patchServiceSelector(namespace: string, service: string, selector: Record<string, string>): Promise<void> {
    const merged = this.proxies.patchSelector(namespace, service, selector);
    this.progress(`  service ${namespace}/${service} selector → ${JSON.stringify(merged)}`);
    this.st.changes.emit();
  }

  async setDeploymentEnv(namespace: string, deployment: string, env: Record<string, string | null>, container?: string): Promise<void> {
    deployments.setDeploymentEnv(this.st, namespace, deployment, env, container);
  }

  async getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    return deployments.getDeployment(this.st, namespace, name);
  }

  async getService(namespace: string, name: string): Promise<V1Service | undefined> {
    const svc = this.st.store.get<V1Service>('Service', namespace, name);
    return svc ? structuredClone(svc) : undefined;
  }

  async getDeploymentStatus(namespace: string, name: string): Promise<DeploymentStatus> {
    // Contract (types.ts): a missing deployment is NotFound, as on Kubernetes, not "0 ready".
    deployments.deploymentOrThrow(this.st, namespace, name);
    return deployments.statusNow(this.st, namespace, name)!;
  }

  waitForReady(namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
    return deployments.waitForReady(this.st, namespace, deployment, replicas, opts);
  }

  async listPods(namespace: string, selector: Record<string, string>): Promise<PodInfo[]> {
    return this.st.pods.matching(namespace, selector).map((p) => p.toV1());
  }

  async serviceUrl(namespace: string, service: string, port?: number): Promise<string> {
    return this.proxies.url(namespace, service, port);
  }

  runJob(job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
    return runJob(this.st, this, job, opts);
  }

  exec(namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return execInDeployment(this.st, namespace, deployment, command, opts);
  }

  async logs(namespace: string): Promise<PodLog[]> {
    return podLogs(this.st, namespace);
  }

  async events(namespace: string): Promise<PlatformEvent[]> {
    return namespaceEvents(this.st, namespace);
  }

  collectArtifacts(dir: string): Promise<string[]> {
    return collectArtifacts(this.st, this.runDir, dir);
  }

  listeningPorts(): number[] {
    const ports = this.proxies.localPorts();
    for (const pod of this.st.pods.list()) for (const c of pod.containers) ports.push(...c.ports.values());
    return ports;
  }

  // ---- teardown -----------------------------------------------------------------------------

  teardown(): Promise<void> {
    this.tearingDown ??= (async () => {
      clearInterval(this.resync);
      this.st.changes.end(new Error('platform torn down'));
      const pods = this.st.pods.list();
      if (pods.length > 0) this.progress(`  teardown: stopping ${pods.length} pod(s)`);
      await Promise.all(pods.map((p) => p.terminate(Math.min(p.graceMs(), this.config.teardownGraceMs))));
      await this.proxies.closeAll();
      // Every object in the store carries this run's label: teardown deletes them all, as on Kubernetes.
      for (const kind of KUBE_KINDS) for (const o of this.st.store.list(kind)) this.st.store.remove(kind, o.metadata?.namespace, o.metadata!.name!);
      unregisterForSignals(this);
      // Memory-backed volumes are RAM: gone with the run even when its dir is kept.
      await this.dirs.releaseMemory();
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
