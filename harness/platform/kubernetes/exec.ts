// `kubectl exec deployment/NAME`: pick the pod as kubectl does (the first ready one, else any
// running one that is not being deleted) and the container, then run the command over the API
// server's websocket (kube-exec.ts).
import type { V1Pod } from '@kubernetes/client-node';
import { toDeploymentStatus } from '../deployments.ts';
import { execInPod } from '../kube-exec.ts';
import { KubeApiError } from '../kube-errors.ts';
import type { ExecOptions, ExecResult } from '../../model/platform.ts';
import type { KubeSession } from './session.ts';
import { getDeployment, listPods } from './workloads.ts';

function isPodReady(p: V1Pod): boolean {
  return (
    p.status?.phase === 'Running' &&
    !p.metadata?.deletionTimestamp &&
    (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** The pod `kubectl exec deployment/NAME` would use; KubeApiError 404 NotFound / NoPod otherwise. */
async function podOf(s: KubeSession, namespace: string, deployment: string): Promise<V1Pod & { metadata: { name: string } }> {
  const dep = await getDeployment(s, namespace, deployment);
  if (!dep) throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: deployment not found`, 404, 'NotFound');
  const pods = await listPods(s, namespace, dep.spec?.selector?.matchLabels ?? {});
  const pod = pods.find(isPodReady) ?? pods.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  if (!pod?.metadata?.name) {
    throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: no running pod (${toDeploymentStatus(dep.status).replicas} replicas)`, 404, 'NoPod');
  }
  return pod as V1Pod & { metadata: { name: string } };
}

export async function execInDeployment(s: KubeSession, namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const pod = opts.pod ? undefined : await podOf(s, namespace, deployment);
  const podName = opts.pod ?? pod!.metadata.name;
  const container = opts.container ?? pod?.spec?.containers[0]?.name ?? ((await s.read('Pod', namespace, podName)) as V1Pod | undefined)?.spec?.containers[0]?.name;
  if (!container) throw new KubeApiError(`exec into pod ${namespace}/${podName}: pod not found`, 404, 'NotFound');
  const res = await execInPod(s.kc, namespace, podName, container, command, {
    timeoutMs: opts.timeoutMs ?? 60_000,
    stdin: opts.stdin,
    signal: opts.signal,
  });
  return { ...res, pod: podName };
}
