// A local pod in Kubernetes' shape (V1Pod), as `kubectl get pod -o yaml` shows it: conditions
// (PodScheduled with the reason it is not, Initialized, ContainersReady, Ready), phase, container
// statuses, owner references, and the local ports and pids as annotations.
import type { V1OwnerReference, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { LocalPod, PodOwner } from './pod.ts';

export function ownerReferences(owner: PodOwner | undefined): V1OwnerReference[] {
  if (!owner) return [];
  return [
    {
      apiVersion: owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
      kind: owner.kind,
      name: owner.name,
      uid: owner.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

export function podToV1(pod: LocalPod): V1Pod {
  const now = new Date();
  const cond = (type: string, ok: boolean, reason?: string, message?: string): V1PodCondition => ({
    type,
    status: ok ? 'True' : 'False',
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
  const conditions: V1PodCondition[] = [cond('PodScheduled', pod.scheduled, pod.unschedulable ? 'Unschedulable' : undefined, pod.unschedulable)];
  if (pod.scheduled) {
    const containersReady = pod.containers.every((c) => c.ready);
    conditions.push(cond('Initialized', true), cond('ContainersReady', containersReady), cond('Ready', pod.ready));
  }
  const ports: Record<string, number> = {};
  for (const c of pod.containers) for (const [k, v] of c.ports) ports[String(k)] = v;
  const pids = pod.containers.map((c) => c.proc?.pid).filter((p): p is number => p !== undefined);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      uid: pod.uid,
      labels: { ...pod.labels },
      annotations: {
        ...pod.annotations,
        'local.drill.rollback/ports': JSON.stringify(ports),
        ...(pids.length ? { 'local.drill.rollback/pids': pids.join(',') } : {}),
      },
      creationTimestamp: pod.createdAt,
      ...(pod.deletionTimestamp ? { deletionTimestamp: pod.deletionTimestamp, deletionGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds ?? 30 } : {}),
      ownerReferences: ownerReferences(pod.owner),
    },
    spec: { ...structuredClone(pod.spec), nodeName: pod.scheduled ? 'local' : undefined },
    status: {
      phase: pod.phase(),
      conditions,
      hostIP: '127.0.0.1',
      podIP: pod.scheduled ? '127.0.0.1' : undefined,
      startTime: pod.startTime,
      containerStatuses: pod.containers.map((c) => c.status()),
    },
  };
}
