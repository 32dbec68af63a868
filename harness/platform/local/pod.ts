// A local pod, as a kubelet holds one: scheduled once its claims exist (else Pending with
// FailedScheduling, retried), its volumes set up (volumes.ts), one LocalContainer per container
// (container.ts: process group, probes, restarts), phase and readiness, termination with the grace
// period; toV1() gives it in Kubernetes' shape (pod-status.ts).
import type { V1ObjectMeta, V1OwnerReference, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ImageMap, LocalImageSpec } from './config.ts';
import { LocalContainer } from './container.ts';
import type { EnvSources } from './env.ts';
import type { EventLog } from './events.ts';
import { ownerReferences, podToV1 } from './pod-status.ts';
import type { Mount, ServiceAddress } from './translate.ts';
import { setUpVolumes } from './volumes.ts';

export { ContainerNotRunningError, LocalContainer } from './container.ts';

/** What a pod needs from the node it runs on (the platform). */
export interface NodeContext {
  readonly runId: string;
  /** The harness process owning the run's processes (reaped if it dies without teardown). */
  readonly ownerToken: string;
  readonly runDir: string;
  readonly images: ImageMap;
  readonly sources: EnvSources;
  readonly eventLog: EventLog;
  readonly restartBackoffMs: { initial: number; max: number };
  /** Host directory for memory-backed emptyDirs (tmpfs where this host has one: /dev/shm). */
  memoryDir(): string;
  /** Host directory of a claim; undefined when the claim does not exist. */
  claimDir(namespace: string, claim: string): string | undefined;
  /** Services of the run with their local proxy ports (for DNS translation). */
  services(): ServiceAddress[];
  /** Directory with the image's bin shims (the profile's bins: name → file on this host). */
  shimDir(image: LocalImageSpec): string;
  /** Something observable about the pod changed (readiness, phase, gone). */
  podChanged(pod: LocalPod): void;
  progress(line: string): void;
}

export interface PodOwner {
  kind: 'ReplicaSet' | 'Job';
  name: string;
  /** Deployment or Job name (for logs). */
  controller: string;
  uid: string;
}

export interface PodInit {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: V1PodSpec;
  owner?: PodOwner;
}

export class LocalPod {
  readonly uid = randomUUID();
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: V1PodSpec;
  readonly owner?: PodOwner;
  readonly createdAt = new Date();
  readonly containers: LocalContainer[];
  readonly homeDir: string;
  mounts: Mount[] = [];
  scheduled = false;
  terminating = false;
  deletionTimestamp: Date | undefined;
  startTime: Date | undefined;
  /** Since when the pod has been ready without interruption (availableReplicas, minReadySeconds). */
  readySince: Date | undefined;
  /** Set when the pod is gone (terminated and removed). */
  gone = false;
  /** Why the pod cannot be scheduled (a missing claim); undefined once it can. */
  unschedulable: string | undefined;
  /** Every container's run loop ended (restartPolicy Never/OnFailure: the pod completed). */
  private loopsDone = false;
  private running: Promise<void> | undefined;
  private terminated: Promise<void> | undefined;

  constructor(
    readonly node: NodeContext,
    init: PodInit,
  ) {
    this.name = init.name;
    this.namespace = init.namespace;
    this.labels = { ...init.labels };
    this.annotations = { ...(init.annotations ?? {}) };
    this.spec = structuredClone(init.spec);
    this.owner = init.owner;
    this.homeDir = path.join(node.runDir, 'pods', this.namespace, this.name);
    if (this.spec.initContainers?.length) throw new Error(`pod ${this.name}: initContainers are not supported by the local platform`);
    this.containers = this.spec.containers.map((c) => new LocalContainer(this, c));
  }

  meta(): V1ObjectMeta {
    return { name: this.name, namespace: this.namespace, uid: this.uid, labels: { ...this.labels }, annotations: { ...this.annotations } };
  }

  changed(): void {
    const ready = this.ready;
    if (ready && !this.readySince) this.readySince = new Date();
    else if (!ready) this.readySince = undefined;
    this.node.podChanged(this);
  }

  graceMs(): number {
    return Math.max(0, this.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  }

  /** Schedule when its claims exist, then run its containers. Call again to retry scheduling. */
  sync(): void {
    if (this.terminating || this.gone) return;
    if (this.scheduled) {
      for (const c of this.containers) c.poke();
      return;
    }
    const missing = (this.spec.volumes ?? []).find((v) => v.persistentVolumeClaim && !this.node.claimDir(this.namespace, v.persistentVolumeClaim.claimName));
    if (missing) {
      const msg = `0/1 nodes are available: persistentvolumeclaim "${missing.persistentVolumeClaim!.claimName}" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`;
      if (this.unschedulable !== msg) this.changed();
      this.unschedulable = msg;
      this.node.eventLog.record(this.namespace, 'Warning', 'FailedScheduling', `Pod/${this.name}`, msg);
      return;
    }
    this.unschedulable = undefined;
    try {
      this.mounts = setUpVolumes(this);
    } catch (err) {
      this.node.eventLog.record(this.namespace, 'Warning', 'FailedMount', `Pod/${this.name}`, (err as Error).message);
      return;
    }
    this.scheduled = true;
    this.startTime = new Date();
    this.node.eventLog.record(this.namespace, 'Normal', 'Scheduled', `Pod/${this.name}`, `Successfully assigned ${this.namespace}/${this.name} to local`);
    this.changed();
    this.running = Promise.all(this.containers.map((c) => c.run())).then(
      () => {
        this.loopsDone = true;
        this.changed();
      },
      (err: unknown) => {
        this.loopsDone = true;
        this.node.eventLog.record(this.namespace, 'Warning', 'Failed', `Pod/${this.name}`, (err as Error).message);
        this.changed();
      },
    );
  }

  get ready(): boolean {
    return this.scheduled && !this.terminating && this.containers.every((c) => c.ready && c.state.kind === 'running');
  }

  phase(): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
    if (!this.scheduled) return 'Pending';
    const states = this.containers.map((c) => c.state);
    if (states.some((s) => s.kind === 'running')) return 'Running';
    const policy = this.spec.restartPolicy ?? 'Always';
    if (policy !== 'Always' && this.loopsDone) {
      return states.every((s) => s.kind === 'terminated' && s.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    if (states.some((s) => s.kind === 'terminated' || (s.kind === 'waiting' && s.reason === 'CrashLoopBackOff'))) return 'Running';
    return 'Pending';
  }

  /** Delete the pod: out of endpoints at once, containers stopped with the grace period, then gone. */
  terminate(graceMs = this.graceMs()): Promise<void> {
    this.terminated ??= (async () => {
      this.terminating = true;
      this.deletionTimestamp = new Date();
      this.changed();
      await Promise.all(this.containers.map((c) => c.stop(graceMs)));
      await this.running?.catch(() => undefined);
      this.gone = true;
      this.changed();
    })();
    return this.terminated;
  }

  /** The container exec/probes use: by name, or the first. */
  container(name?: string): LocalContainer | undefined {
    return name ? this.containers.find((c) => c.spec.name === name) : this.containers[0];
  }

  /** Container port → local port, over all running containers (they share the pod's network). */
  portMap(): Map<number, number> {
    const m = new Map<number, number>();
    for (const c of this.containers) for (const [k, v] of c.ports) m.set(k, v);
    return m;
  }

  /** Local port serving a container port (Service endpoints, tests). */
  portOf(port: number | string): number | undefined {
    for (const c of this.containers) {
      const p = c.portOf(port);
      if (p !== undefined) return p;
    }
    return undefined;
  }

  ownerReferences(): V1OwnerReference[] {
    return ownerReferences(this.owner);
  }

  toV1(): V1Pod {
    return podToV1(this);
  }
}
