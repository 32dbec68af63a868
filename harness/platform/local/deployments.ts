// Deployment operations of the local platform on the store: reads with the controller's status,
// scale, setDeploymentEnv (the shared mergeEnv), and waitForReady, which waits through the change
// feed and, on a timeout, names the latest warning about the deployment's pods.
import type { V1Deployment } from '@kubernetes/client-node';
import { mergeEnv, notReadyError, onStatusChange, readyDescription, rolledOut } from '../deployments.ts';
import { PlatformError, WaitTimeoutError } from '../types.ts';
import { type DeploymentStatus, type WaitOptions } from '../../model/platform.ts';
import { done, notYet } from '../wait.ts';
import { notFound } from './admission.ts';
import type { LocalState } from './state.ts';

export function deploymentOrThrow(st: LocalState, namespace: string, name: string): V1Deployment {
  const dep = st.store.get<V1Deployment>('Deployment', namespace, name);
  if (!dep) throw notFound('Deployment', name);
  return dep;
}

/** The Deployment as applied, with the controller's status; undefined when it does not exist. */
export function getDeployment(st: LocalState, namespace: string, name: string): V1Deployment | undefined {
  const dep = st.store.get<V1Deployment>('Deployment', namespace, name);
  if (!dep) return undefined;
  const copy = structuredClone(dep);
  copy.status = st.deployments.status(dep).full;
  return copy;
}

export function statusNow(st: LocalState, namespace: string, name: string): DeploymentStatus | undefined {
  const dep = st.store.get<V1Deployment>('Deployment', namespace, name);
  if (!dep) return undefined;
  const { replicas, readyReplicas, availableReplicas, updatedReplicas } = st.deployments.status(dep);
  return { replicas, readyReplicas, availableReplicas, updatedReplicas };
}

/** A spec change moves the generation on (waitForReady then counts only a status observed after it). */
function bumpGeneration(dep: V1Deployment): void {
  dep.metadata!.generation = (dep.metadata!.generation ?? 1) + 1;
}

export function scale(st: LocalState, namespace: string, deployment: string, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 0) throw new PlatformError(`replicas must be a whole number >= 0, got ${replicas}`, 2);
  const dep = deploymentOrThrow(st, namespace, deployment);
  if ((dep.spec!.replicas ?? 1) !== replicas) {
    dep.spec!.replicas = replicas;
    bumpGeneration(dep);
  }
  st.progress(`  scale deployment ${namespace}/${deployment} → ${replicas}`);
  st.deployments.reconcile(dep);
  st.changes.emit();
}

export function setDeploymentEnv(st: LocalState, namespace: string, deployment: string, env: Record<string, string | null>, container?: string): void {
  const dep = deploymentOrThrow(st, namespace, deployment);
  const containers = dep.spec!.template.spec!.containers;
  const c = container ? containers.find((x) => x.name === container) : containers[0];
  // Contract (types.ts): naming a container the deployment lacks is the caller's mistake, as on Kubernetes.
  if (!c) throw new PlatformError(`deployment ${namespace}/${deployment} has no container ${container ?? ''}`.trim(), 2);
  c.env = mergeEnv(c.env ?? [], env);
  bumpGeneration(dep);
  st.progress(`  deployment ${namespace}/${deployment}: env ${Object.keys(env).join(', ')} changed, rolling pods`);
  st.deployments.reconcile(dep);
  st.changes.emit();
}

export function waitForReady(st: LocalState, namespace: string, deployment: string, replicas: number, opts: WaitOptions): Promise<DeploymentStatus> {
  const report = onStatusChange(opts.onProgress);
  return st.changes
    .waitFor(
      () => {
        const dep = st.store.get<V1Deployment>('Deployment', namespace, deployment);
        const s = statusNow(st, namespace, deployment);
        if (!dep || !s) return notYet<DeploymentStatus | undefined>(undefined);
        report(s);
        // Contract: only a status of the latest spec counts (the controller reconciles synchronously, so it is).
        const observed = (st.deployments.status(dep).full.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 0);
        return observed && rolledOut(s, replicas) ? done(s) : notYet<DeploymentStatus | undefined>(s);
      },
      { describe: readyDescription(namespace, deployment, replicas), timeoutMs: opts.timeoutMs, signal: opts.signal },
    )
    .catch((err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      throw notReadyError(namespace, deployment, replicas, err, whyNotReady(st, namespace, deployment));
    });
}

/** The latest warning about a deployment's pods, so a timeout says why ("; last event: ..."). */
function whyNotReady(st: LocalState, namespace: string, deployment: string): string {
  const dep = st.store.get<V1Deployment>('Deployment', namespace, deployment);
  if (!dep) return '';
  const names = new Set(st.pods.ownedBy('ReplicaSet', dep.metadata!.uid!).map((p) => `Pod/${p.name}`));
  const warning = st.eventLog
    .list(namespace)
    .filter((e) => e.type === 'Warning' && names.has(e.object))
    .at(-1);
  return warning ? `; last event: ${warning.reason} ${warning.message}` : '';
}
