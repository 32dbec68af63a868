// Deployments, Services and pods on the API server: reads, the scale subresource, merge patches of
// a Service's selector and a container's env (behind the ownership guard), and the rollout wait,
// which polls the Deployment's status through the one waitFor.
import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1Service } from '@kubernetes/client-node';
import { mergeEnv, notReadyError, onStatusChange, readyDescription, rolledOut, toDeploymentStatus } from '../deployments.ts';
import { KubeApiError } from '../kube-errors.ts';
import { PlatformError, WaitTimeoutError } from '../types.ts';
import { type DeploymentStatus, type PodInfo, type WaitOptions } from '../../model/platform.ts';
import { done, notYet, waitFor } from '../wait.ts';
import type { OwnershipGuard } from './ownership.ts';
import type { KubeSession } from './session.ts';

const mergePatch = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function getDeployment(s: KubeSession, namespace: string, name: string): Promise<V1Deployment | undefined> {
  return s.readOrUndefined(`read deployment ${namespace}/${name}`, () => s.apps.readNamespacedDeployment({ name, namespace }));
}

export function getService(s: KubeSession, namespace: string, name: string): Promise<V1Service | undefined> {
  return s.readOrUndefined(`read service ${namespace}/${name}`, () => s.core.readNamespacedService({ name, namespace }));
}

export async function getDeploymentStatus(s: KubeSession, namespace: string, name: string): Promise<DeploymentStatus> {
  const dep = await getDeployment(s, namespace, name);
  if (!dep) throw new KubeApiError(`deployment ${namespace}/${name}: not found`, 404, 'NotFound');
  return toDeploymentStatus(dep.status);
}

export async function scale(s: KubeSession, guard: OwnershipGuard, namespace: string, deployment: string, replicas: number): Promise<void> {
  if ((await guard.guard('Deployment', namespace, deployment)) === 'absent') {
    throw new KubeApiError(`scale deployment ${namespace}/${deployment}: not found`, 404, 'NotFound');
  }
  await s.call(`scale deployment ${namespace}/${deployment} to ${replicas}`, () =>
    s.apps.patchNamespacedDeploymentScale({ name: deployment, namespace, body: { spec: { replicas } } }, mergePatch()),
  );
}

export async function patchServiceSelector(s: KubeSession, guard: OwnershipGuard, namespace: string, service: string, selector: Record<string, string>): Promise<void> {
  if ((await guard.guard('Service', namespace, service)) === 'absent') {
    throw new KubeApiError(`patch service ${namespace}/${service}: not found`, 404, 'NotFound');
  }
  // A merge patch adds/changes the given keys and keeps the others, exactly as the runbook's kubectl patch.
  await s.call(`patch the selector of service ${namespace}/${service}`, () =>
    s.core.patchNamespacedService({ name: service, namespace, body: { spec: { selector } } }, mergePatch()),
  );
}

export async function setDeploymentEnv(
  s: KubeSession,
  guard: OwnershipGuard,
  namespace: string,
  deployment: string,
  env: Record<string, string | null>,
  container?: string,
): Promise<void> {
  guard.announce(namespace);
  const dep = await getDeployment(s, namespace, deployment);
  if (!dep) throw new KubeApiError(`set env of deployment ${namespace}/${deployment}: not found`, 404, 'NotFound');
  await guard.assertOwned('Deployment', namespace, deployment);
  const containers = dep.spec?.template.spec?.containers ?? [];
  const target = container ? containers.find((c) => c.name === container) : containers[0];
  if (!target) throw new PlatformError(`deployment ${namespace}/${deployment} has no container ${container ?? ''}`.trim(), 2);
  // A merge patch replaces lists whole: send every container with its full, edited env list.
  const patched = containers.map((c) => (c.name === target.name ? { ...c, env: mergeEnv(target.env ?? [], env) } : c));
  await s.call(`set env of deployment ${namespace}/${deployment}`, () =>
    s.apps.patchNamespacedDeployment({ name: deployment, namespace, body: { spec: { template: { spec: { containers: patched } } } } }, mergePatch()),
  );
}

/**
 * Polls until the rollout reached `replicas`: the controller saw the latest spec (observedGeneration),
 * `replicas` pods run the latest template and are ready; for 0, until no pod is left.
 */
export function waitForReady(s: KubeSession, namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
  const report = onStatusChange(opts.onProgress);
  const rolledOutNow = async () => {
    const dep = await getDeployment(s, namespace, deployment);
    const status = toDeploymentStatus(dep?.status);
    report(status);
    const observed = (dep?.status?.observedGeneration ?? 0) >= (dep?.metadata?.generation ?? 0);
    return dep && observed && rolledOut(status, replicas) ? done(status) : notYet(dep ? status : undefined);
  };
  return waitFor(rolledOutNow, {
    describe: readyDescription(namespace, deployment, replicas),
    timeoutMs: opts.timeoutMs,
    intervalMs: s.pollMs,
    signal: opts.signal,
  }).catch((err: unknown) => {
    if (!(err instanceof WaitTimeoutError)) throw err;
    throw notReadyError(namespace, deployment, replicas, err);
  });
}

function selectorString(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export async function listPods(s: KubeSession, namespace: string, selector: Record<string, string>): Promise<PodInfo[]> {
  const list = await s.call(`list pods in ${namespace}`, () => s.core.listNamespacedPod({ namespace, labelSelector: selectorString(selector) || undefined }));
  return list.items;
}
