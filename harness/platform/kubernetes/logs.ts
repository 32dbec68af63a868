// What the run's pods said and what the cluster reported: container logs (a restarted container's
// previous run included) with the owning Deployment or Job, and the namespace's events.
import type { V1Pod } from '@kubernetes/client-node';
import { isNotFound } from '../kube-errors.ts';
import { RUN_LABEL } from '../types.ts';
import { type PlatformEvent, type PodLog } from '../../model/platform.ts';
import { iso, type KubeSession } from './session.ts';
import { listPods } from './workloads.ts';

/** Deployment/Job owning a pod, from its labels (Job) or its ReplicaSet name minus the template hash. */
export function podOwner(p: V1Pod): string | undefined {
  const labels = p.metadata?.labels ?? {};
  const job = labels['batch.kubernetes.io/job-name'] ?? labels['job-name'];
  if (job) return job;
  const rs = p.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
  const hash = labels['pod-template-hash'];
  return rs && hash && rs.endsWith(`-${hash}`) ? rs.slice(0, -hash.length - 1) : rs;
}

/** One container's log; '' when the pod is gone or the container has not started (400). */
export async function podLog(s: KubeSession, namespace: string, pod: string, container: string | undefined, previous = false): Promise<string> {
  try {
    return (await s.core.readNamespacedPodLog({ name: pod, namespace, container, previous })) ?? '';
  } catch (err) {
    if (isNotFound(err) || (err as { code?: number }).code === 400) return '';
    throw s.error(err, `read log of pod ${namespace}/${pod}`);
  }
}

export async function runLogs(s: KubeSession, namespace: string): Promise<PodLog[]> {
  const pods = await listPods(s, namespace, { [RUN_LABEL]: s.runId });
  const out: PodLog[] = [];
  for (const p of pods) {
    const pod = p.metadata?.name;
    if (!pod) continue;
    for (const c of p.spec?.containers ?? []) {
      const restarted = (p.status?.containerStatuses?.find((cs) => cs.name === c.name)?.restartCount ?? 0) > 0;
      const previous = restarted ? await podLog(s, namespace, pod, c.name, true) : '';
      const current = await podLog(s, namespace, pod, c.name);
      const text = previous ? `--- previous container ---\n${previous}--- current container ---\n${current}` : current;
      out.push({ pod, container: c.name, owner: podOwner(p), text });
    }
  }
  return out;
}

export async function namespaceEvents(s: KubeSession, namespace: string): Promise<PlatformEvent[]> {
  const list = await s.call(`list events in ${namespace}`, () => s.core.listNamespacedEvent({ namespace }));
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
