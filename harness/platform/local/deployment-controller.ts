// The Deployment controller (with the ReplicaSet's job folded in): keeps spec.replicas pods of the
// current template, replaces pods that are gone, scales down the least useful pods first
// (unscheduled, not ready, newest), rolls a changed template out with maxSurge/maxUnavailable
// (Recreate: all old pods gone first), and reports status like Kubernetes.
import type { V1Deployment, V1DeploymentCondition, V1DeploymentStatus } from '@kubernetes/client-node';
import { createHash, randomBytes } from 'node:crypto';
import type { DeploymentStatus } from '../../model/platform.ts';
import type { EventLog } from './events.ts';
import type { LocalPod, PodInit } from './pod.ts';

/** What the controller needs from the node: its pods, and creating/deleting them. */
export interface PodHost {
  podsOf(ownerKind: 'ReplicaSet' | 'Job', ownerUid: string): LocalPod[];
  createPod(init: PodInit): LocalPod;
  removePod(pod: LocalPod): void;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' pod-template-hash alphabet (no vowels), 10 characters. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  return Array.from(digest.subarray(0, 10), (b) => SAFE[b % SAFE.length]).join('');
}

export function randomSuffix(n = 5): string {
  return Array.from(randomBytes(n), (b) => SAFE[b % SAFE.length]).join('');
}

function resolveIntOrPercent(v: number | string | undefined, fallback: string, total: number, roundUp: boolean): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Order of pods to remove first on scale-down (Kubernetes' ActivePods ranking, simplified). */
function deletionRank(a: LocalPod, b: LocalPod): number {
  const key = (p: LocalPod) => [p.scheduled ? 1 : 0, p.phase() === 'Running' ? 1 : 0, p.ready ? 1 : 0];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return b.createdAt.getTime() - a.createdAt.getTime(); // newer first
}

export class DeploymentController {
  constructor(
    private readonly host: PodHost,
    private readonly events: EventLog,
  ) {}

  private replicaSetName(dep: V1Deployment, hash: string): string {
    return `${dep.metadata!.name}-${hash}`;
  }

  /** One reconcile pass: create/delete pods toward the desired state. Idempotent. */
  reconcile(dep: V1Deployment): void {
    const name = dep.metadata!.name!;
    const ns = dep.metadata!.namespace!;
    const uid = dep.metadata!.uid!;
    const replicas = dep.spec?.replicas ?? 1;
    const hash = templateHash(dep.spec!.template);
    const owned = this.host.podsOf('ReplicaSet', uid);
    const live = owned.filter((p) => !p.terminating);
    const cur = live.filter((p) => p.labels['pod-template-hash'] === hash);
    const old = live.filter((p) => p.labels['pod-template-hash'] !== hash);
    const create = (n: number) => {
      if (n > 0) this.events.record(ns, 'Normal', 'ScalingReplicaSet', `Deployment/${name}`, `Scaled up replica set ${this.replicaSetName(dep, hash)} from ${cur.length} to ${cur.length + n}`);
      for (let i = 0; i < n; i++) this.createPod(dep, hash);
    };
    const remove = (pods: LocalPod[], rs: string, from: number) => {
      if (pods.length > 0) this.events.record(ns, 'Normal', 'ScalingReplicaSet', `Deployment/${name}`, `Scaled down replica set ${rs} from ${from} to ${from - pods.length}`);
      for (const p of pods) this.host.removePod(p);
    };

    if (dep.spec?.strategy?.type === 'Recreate') {
      if (old.length > 0) {
        remove(old, this.replicaSetName(dep, old[0]!.labels['pod-template-hash'] ?? ''), old.length);
        return;
      }
      if (owned.some((p) => p.terminating && p.labels['pod-template-hash'] !== hash)) return; // old pods still going
    }

    if (old.length === 0) {
      if (cur.length < replicas) create(replicas - cur.length);
      else if (cur.length > replicas) remove([...cur].sort(deletionRank).slice(0, cur.length - replicas), this.replicaSetName(dep, hash), cur.length);
      return;
    }

    // Rolling update: surge new pods, retire old ones while enough pods stay available.
    const ru = dep.spec?.strategy?.rollingUpdate;
    const maxSurge = resolveIntOrPercent(ru?.maxSurge, '25%', replicas, true);
    let maxUnavailable = resolveIntOrPercent(ru?.maxUnavailable, '25%', replicas, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const toCreate = Math.min(replicas - cur.length, replicas + maxSurge - live.length);
    if (toCreate > 0) create(toCreate);
    if (cur.length > replicas) remove([...cur].sort(deletionRank).slice(0, cur.length - replicas), this.replicaSetName(dep, hash), cur.length);
    const minAvailable = replicas - maxUnavailable;
    let budget = live.filter((p) => p.ready).length - minAvailable;
    const retire: LocalPod[] = [];
    for (const p of [...old].sort(deletionRank)) {
      if (!p.ready) retire.push(p); // unavailable old pods never count toward availability
      else if (budget > 0) {
        retire.push(p);
        budget--;
      }
    }
    if (retire.length > 0) remove(retire, this.replicaSetName(dep, retire[0]!.labels['pod-template-hash'] ?? ''), old.length);
  }

  private createPod(dep: V1Deployment, hash: string): LocalPod {
    const tpl = dep.spec!.template;
    const rs = this.replicaSetName(dep, hash);
    return this.host.createPod({
      name: `${rs}-${randomSuffix()}`,
      namespace: dep.metadata!.namespace!,
      labels: { ...(tpl.metadata?.labels ?? {}), 'pod-template-hash': hash },
      annotations: { ...(tpl.metadata?.annotations ?? {}) },
      spec: tpl.spec!,
      owner: { kind: 'ReplicaSet', name: rs, controller: dep.metadata!.name!, uid: dep.metadata!.uid! },
    });
  }

  /** Every pod of the deployment goes (deployment deleted). */
  deleteAll(dep: V1Deployment): void {
    for (const p of this.host.podsOf('ReplicaSet', dep.metadata!.uid!)) if (!p.terminating) this.host.removePod(p);
  }

  status(dep: V1Deployment): DeploymentStatus & { full: V1DeploymentStatus } {
    const replicas = dep.spec?.replicas ?? 1;
    const hash = templateHash(dep.spec!.template);
    const live = this.host.podsOf('ReplicaSet', dep.metadata!.uid!).filter((p) => !p.terminating);
    const minReadyMs = (dep.spec?.minReadySeconds ?? 0) * 1000;
    const ready = live.filter((p) => p.ready);
    const available = ready.filter((p) => p.readySince !== undefined && Date.now() - p.readySince.getTime() >= minReadyMs);
    const updated = live.filter((p) => p.labels['pod-template-hash'] === hash);
    const maxUnavailable = resolveIntOrPercent(dep.spec?.strategy?.rollingUpdate?.maxUnavailable, '25%', replicas, false);
    const now = new Date();
    const isAvailable = available.length >= replicas - (dep.spec?.strategy?.type === 'Recreate' ? 0 : maxUnavailable);
    const conditions: V1DeploymentCondition[] = [
      {
        type: 'Available',
        status: isAvailable ? 'True' : 'False',
        reason: isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message: isAvailable ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: updated.length >= replicas && live.length === replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message: `ReplicaSet "${this.replicaSetName(dep, hash)}" ${updated.length >= replicas ? 'has successfully progressed' : 'is progressing'}.`,
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
    ];
    const s = { replicas: live.length, readyReplicas: ready.length, availableReplicas: available.length, updatedReplicas: updated.length };
    return {
      ...s,
      full: {
        observedGeneration: dep.metadata?.generation ?? 1,
        ...s,
        unavailableReplicas: Math.max(0, replicas - available.length),
        conditions,
      },
    };
  }
}
