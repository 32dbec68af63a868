// The Platform on a real Kubernetes API server (kind, or an existing context the user named and
// allowed), through @kubernetes/client-node. This class only wires the parts in kubernetes/:
// session.ts (pinned context, clients), ownership.ts (the guard), apply.ts, workloads.ts, jobs.ts,
// exec.ts, logs.ts, service-urls.ts, teardown.ts.
//
// Safety rules (docs/kind.md): only the context it was given (kind-<name>, or an explicitly allowed
// one); every object it applies carries RUN_LABEL=<runId>; it changes or deletes only objects that
// carry a drill's label (objects of an earlier drill run are adopted); it never deletes a namespace
// it did not create; it prints the context and the namespace before changing anything.
import type { V1Deployment, V1Job, V1Service } from '@kubernetes/client-node';
import type { DeploymentStatus, ExecOptions, ExecResult, JobResult, KubeKind, KubeObject, Platform, PlatformEvent, PodInfo, PodLog, WaitOptions } from '../model/platform.ts';
import { applyObjects, deleteOwned } from './kubernetes/apply.ts';
import { execInDeployment } from './kubernetes/exec.ts';
import { runJob } from './kubernetes/jobs.ts';
import { namespaceEvents, runLogs } from './kubernetes/logs.ts';
import { OwnershipGuard } from './kubernetes/ownership.ts';
import { ServiceUrls } from './kubernetes/service-urls.ts';
import { KubeSession, type KubernetesPlatformOptions } from './kubernetes/session.ts';
import { teardownRun } from './kubernetes/teardown.ts';
import * as workloads from './kubernetes/workloads.ts';

export { KubeApiError } from './kube-errors.ts';
export { FIELD_MANAGER } from './kubernetes/apply.ts';
export type { KubernetesPlatformOptions, KubernetesTarget } from './kubernetes/session.ts';

export class KubernetesPlatform implements Platform {
  readonly name: 'kind' | 'existing';
  readonly runId: string;
  readonly context: string;
  readonly server: string;

  private readonly s: KubeSession;
  private readonly guard: OwnershipGuard;
  private readonly urls: ServiceUrls;

  constructor(opts: KubernetesPlatformOptions) {
    this.s = new KubeSession(opts);
    this.guard = new OwnershipGuard(this.s);
    this.urls = new ServiceUrls(this.s);
    this.name = this.s.name;
    this.runId = this.s.runId;
    this.context = this.s.context;
    this.server = this.s.server;
  }

  /** Throws a PlatformError unless the API server answers at all. */
  ping(): Promise<void> {
    return this.s.ping();
  }

  apply(objects: KubeObject | KubeObject[]): Promise<void> {
    return applyObjects(this.s, this.guard, objects);
  }

  delete(kind: KubeKind, namespace: string, name: string): Promise<void> {
    return deleteOwned(this.s, this.guard, kind, namespace, name);
  }

  scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    return workloads.scale(this.s, this.guard, namespace, deployment, replicas);
  }

  patchServiceSelector(namespace: string, service: string, selector: Record<string, string>): Promise<void> {
    return workloads.patchServiceSelector(this.s, this.guard, namespace, service, selector);
  }

  setDeploymentEnv(namespace: string, deployment: string, env: Record<string, string | null>, container?: string): Promise<void> {
    return workloads.setDeploymentEnv(this.s, this.guard, namespace, deployment, env, container);
  }

  getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
    return workloads.getDeployment(this.s, namespace, name);
  }

  getService(namespace: string, name: string): Promise<V1Service | undefined> {
    return workloads.getService(this.s, namespace, name);
  }

  getDeploymentStatus(namespace: string, name: string): Promise<DeploymentStatus> {
    return workloads.getDeploymentStatus(this.s, namespace, name);
  }

  waitForReady(namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
    return workloads.waitForReady(this.s, namespace, deployment, replicas, opts);
  }

  listPods(namespace: string, selector: Record<string, string>): Promise<PodInfo[]> {
    return workloads.listPods(this.s, namespace, selector);
  }

  runJob(job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
    return runJob(this.s, this.guard, job, opts);
  }

  exec(namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return execInDeployment(this.s, namespace, deployment, command, opts);
  }

  logs(namespace: string): Promise<PodLog[]> {
    return runLogs(this.s, namespace);
  }

  events(namespace: string): Promise<PlatformEvent[]> {
    return namespaceEvents(this.s, namespace);
  }

  serviceUrl(namespace: string, service: string, port?: number): Promise<string> {
    return this.urls.url(namespace, service, port);
  }

  /** Deletes every object carrying this run's label in the namespaces it touched, then the namespaces it created. */
  teardown(): Promise<void> {
    return teardownRun(this.s, this.guard);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.teardown();
    } finally {
      await this.urls[Symbol.asyncDispose]();
    }
  }
}
