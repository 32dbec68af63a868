// The Deployment rules of the Platform contract that both platforms apply the same way: status
// counts (missing ones are 0), when a rollout counts as done, the progress callback on change, the
// timeout message of waitForReady, and the env merge of setDeploymentEnv.
import type { V1DeploymentStatus, V1EnvVar } from '@kubernetes/client-node';
import { WaitTimeoutError } from './wait.ts';
import type { DeploymentStatus } from '../model/platform.ts';

export function toDeploymentStatus(s: V1DeploymentStatus | undefined): DeploymentStatus {
  return {
    replicas: s?.replicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    updatedReplicas: s?.updatedReplicas ?? 0,
  };
}

export function formatDeploymentStatus(s: DeploymentStatus): string {
  return `ready ${s.readyReplicas}/${s.replicas}, updated ${s.updatedReplicas}, available ${s.availableReplicas}`;
}

/** Contract: for replicas > 0, that many pods ready on the latest template; for 0, no live pod counted. */
export function rolledOut(s: DeploymentStatus, replicas: number): boolean {
  return replicas === 0 ? s.replicas === 0 : s.readyReplicas >= replicas && s.updatedReplicas >= replicas;
}

/** Calls `onProgress` only when the status differs from the one reported before. */
export function onStatusChange(onProgress: ((s: DeploymentStatus) => void) | undefined): (s: DeploymentStatus) => void {
  let lastKey = '';
  return (s) => {
    const k = JSON.stringify(s);
    if (k === lastKey) return;
    lastKey = k;
    onProgress?.(s);
  };
}

export function readyDescription(namespace: string, deployment: string, replicas: number): string {
  return `deployment ${namespace}/${deployment} ready with ${replicas} replicas`;
}

/** A waitForReady timeout in the contract's words, carrying the last status seen (undefined: "not found"); `why` is appended. */
export function notReadyError(namespace: string, deployment: string, replicas: number, err: WaitTimeoutError, why = ''): WaitTimeoutError<DeploymentStatus | undefined> {
  const last = err.lastState as DeploymentStatus | undefined;
  const seconds = Math.round((err.details.timeoutMs ?? 0) / 1000);
  return new WaitTimeoutError(
    `deployment ${namespace}/${deployment} not ready with ${replicas} replicas within ${seconds}s (${last ? formatDeploymentStatus(last) : 'not found'})${why}`,
    last,
    err.details,
  );
}

/**
 * setDeploymentEnv's merge: a given name is set in its place (later `$(VAR)` references depend on the
 * order), `null` removes it, new names are appended in the order given, the others stay as they are.
 */
export function mergeEnv(list: readonly V1EnvVar[], env: Record<string, string | null>): V1EnvVar[] {
  const next = list.flatMap((e) => (!Object.hasOwn(env, e.name) ? [e] : env[e.name] === null ? [] : [{ name: e.name, value: env[e.name]! }]));
  for (const [name, value] of Object.entries(env)) if (value !== null && !next.some((e) => e.name === name)) next.push({ name, value });
  return next;
}
