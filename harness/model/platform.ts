import type { V1ConfigMap, V1Deployment, V1Job, V1Namespace, V1PersistentVolumeClaim, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';

export type PlatformName = 'local' | 'kind' | 'existing';

/** Every kind of object a drill creates. `kind` and `apiVersion` must be set. */
export type KubeObject =
  | V1Namespace
  | V1Deployment
  | V1Service
  | V1PersistentVolumeClaim
  | V1Secret
  | V1ConfigMap
  | V1Job;

export type KubeKind = 'Namespace' | 'Deployment' | 'Service' | 'PersistentVolumeClaim' | 'Secret' | 'ConfigMap' | 'Job';

/** Status fields of a Deployment, as Kubernetes reports them (missing counts are 0). */
export interface DeploymentStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Called on every status change while waiting (for progress lines). */
  onProgress?: (status: DeploymentStatus) => void;
  signal?: AbortSignal;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Written to the command's standard input, then closed. */
  stdin?: string | Uint8Array;
  /** Pick a specific pod; default: the first ready pod of the deployment (any running pod if none is ready). */
  pod?: string;
  /** Container name; default: the first container. */
  container?: string;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Pod the command ran in. */
  pod: string;
}

export interface JobResult {
  name: string;
  succeeded: boolean;
  /** Exit code of the (last) container run; -1 when it never ran or was killed. */
  exitCode: number;
  logs: string;
  durationMs: number;
}

export interface PodLog {
  pod: string;
  container: string;
  /** Owning Deployment or Job name, when known. */
  owner?: string;
  text: string;
}

export interface PlatformEvent {
  /** ISO timestamp. */
  time: string;
  type: 'Normal' | 'Warning';
  reason: string;
  /** e.g. "Pod/hyperpage-7d9c-abcde" */
  object: string;
  message: string;
  /** How often it was seen (repeats are folded into one event, as Kubernetes does); 1 when absent. */
  count?: number;
}

/** A pod as seen by the drill: enough to check which pods serve and what they were given. */
export type PodInfo = V1Pod;

/**
 * The Platform contract. Both implementations (local/platform.ts, kubernetes.ts) are held to it by
 * one suite, platform/contract.test.ts, run against the local platform and a fake API server.
 *
 * Errors, everywhere:
 * - an object that does not exist, where the method needs it: `KubeApiError` status 404, reason
 *   `NotFound` (what `kubectl` would say); reads named `get*` that return `undefined` are the exception;
 * - a request the API server rejects (invalid manifest, immutable field): `KubeApiError` with its status;
 * - a mistake the caller can fix (no such port, no name, a foreign object): `PlatformError` exit code 2;
 * - a wait that runs out: `WaitTimeoutError`, naming the last state it saw.
 */
export interface Platform extends AsyncDisposable {
  readonly name: PlatformName;
  /** Unique id of this drill run; set as RUN_LABEL on everything applied. */
  readonly runId: string;

  /**
   * Create or update objects (server-side-apply semantics), in the order given. Adds RUN_LABEL=runId
   * to each object and to the pod template of Deployments and Jobs (so the pods carry it too). The
   * caller's objects are not mutated. An object of that name that carries no RUN_LABEL (someone
   * else's) is refused with a PlatformError (exit code 2).
   */
  apply(objects: KubeObject | KubeObject[]): Promise<void>;
  /**
   * Delete one object the run created; a missing object is not an error; an object without RUN_LABEL
   * is refused (PlatformError, exit code 2). A Deployment's or Job's pods go with it.
   */
  delete(kind: KubeKind, namespace: string, name: string): Promise<void>;

  /** Set spec.replicas (scale subresource). A missing deployment: KubeApiError 404 NotFound. */
  scale(namespace: string, deployment: string, replicas: number): Promise<void>;
  /**
   * Merge-patch `spec.selector` of a Service (kubectl patch service ... -p '{"spec":{"selector":...}}'):
   * the given keys are set, the others kept. From then on the Service routes only to ready pods that
   * match the merged selector. A missing service: KubeApiError 404 NotFound.
   */
  patchServiceSelector(namespace: string, service: string, selector: Record<string, string>): Promise<void>;
  /**
   * Merge-patch the env of one container (default: the first) of a Deployment: given names are set
   * in place (new ones appended, in the order given), `null` removes one, the others stay in their
   * order (`$(VAR)` references depend on it); the generation moves on and the pods roll. A missing
   * deployment: KubeApiError 404 NotFound; a container it does not have: PlatformError (exit code 2).
   */
  setDeploymentEnv(namespace: string, deployment: string, env: Record<string, string | null>, container?: string): Promise<void>;

  /** The Deployment as applied, with its current status; `undefined` when it does not exist. */
  getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined>;
  /** The Service as applied (selector as patched); `undefined` when it does not exist. */
  getService(namespace: string, name: string): Promise<V1Service | undefined>;
  /**
   * The status counts now (missing counts are 0). A deployment that does not exist is not "0 ready":
   * it rejects with KubeApiError 404 NotFound, as `kubectl get deployment` fails; a caller that means
   * "not ready" catches it.
   */
  getDeploymentStatus(namespace: string, name: string): Promise<DeploymentStatus>;
  /**
   * Resolves when the platform has observed the latest spec (status.observedGeneration >=
   * metadata.generation, so a status from before a scale never counts) and, for replicas > 0,
   * readyReplicas >= replicas and updatedReplicas >= replicas; for 0, when no live pod is counted.
   * A deployment that does not exist (yet) is waited for. Rejects with WaitTimeoutError carrying the
   * last status ("not found" when there was none), or on `signal`.
   */
  waitForReady(namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus>;
  /** Pods matching a label selector (with status, ready conditions and their spec as given). */
  listPods(namespace: string, selector: Record<string, string>): Promise<PodInfo[]>;

  /**
   * Create a Job (with RUN_LABEL; a Job of that name left by this run is replaced), wait for it to
   * complete or fail, return the exit code and the logs of its last pod. A job that fails is a result
   * (`succeeded: false`), not an exception; one that does not finish in time is a WaitTimeoutError and
   * is deleted.
   */
  runJob(job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult>;
  /**
   * `kubectl exec deployment/NAME -- command...`: a non-zero exit is a result, not an exception. A
   * missing deployment: KubeApiError 404 NotFound; a deployment with no running pod (e.g. scaled to 0):
   * KubeApiError 404 with reason `NoPod`.
   */
  exec(namespace: string, deployment: string, command: string[], opts?: ExecOptions): Promise<ExecResult>;

  /**
   * Logs of the run's pods in a namespace: one entry per container, with the owning Deployment or Job.
   * Every pod that still exists (a restarted container's previous run included); the local platform
   * also keeps pods that ended, a Kubernetes API server cannot.
   */
  logs(namespace: string): Promise<PodLog[]>;
  events(namespace: string): Promise<PlatformEvent[]>;

  /**
   * A URL reachable from this host (127.0.0.1 only) for a Service port, e.g. http://127.0.0.1:39123.
   * `port` omitted: the first port of spec.ports. A missing service: KubeApiError 404 NotFound; a
   * service without that port: PlatformError (exit code 2). Asking twice gives the same URL.
   */
  serviceUrl(namespace: string, service: string, port?: number): Promise<string>;

  /** Copy pod logs, events and pod states into a report folder; returns the paths written (optional). */
  collectArtifacts?(dir: string): Promise<string[]>;

  /**
   * Delete everything carrying this run's label (afterwards `getDeployment`/`getService` of those
   * objects are `undefined` and no pod of the run is left); nothing without it is touched.
   * Idempotent. Called by dispose.
   */
  teardown(): Promise<void>;
}
