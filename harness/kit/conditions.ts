// Conditions the procedures and faults wait on (with platform/wait.ts's waitFor): each looks once,
// through the Platform or the service URL, and says what it saw when the answer is "not yet".
import { isNotFound } from '../platform/kube-errors.ts';
import { done, notYet, type Condition } from '../platform/wait.ts';
import type { DeploymentStatus, Platform, PodInfo } from '../model/platform.ts';
import { answeredHealthy, describeHealth, healthCheck, type HealthTarget } from './health.ts';

export const selectorText = (selector: Record<string, string>): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

const finished = (p: PodInfo) => ['Succeeded', 'Failed'].includes(p.status?.phase ?? '');

/** No live pod matches the selector (a scaled-to-0 deployment drained); state: the pods left. */
export function noPodsMatching(platform: Platform, namespace: string, selector: Record<string, string>): Condition<void> {
  return async () => {
    const left = (await platform.listPods(namespace, selector)).filter((p) => !finished(p));
    if (left.length === 0) return done(undefined);
    const names = left.map((p) => `${p.metadata?.name ?? '?'} (${p.metadata?.deletionTimestamp ? 'terminating' : (p.status?.phase ?? 'unknown')})`);
    return notYet(`${left.length} pod(s) left: ${names.join(', ')}`);
  };
}

/**
 * The deployment reports `replicas` ready (as the runbook's checks read it); state: its status. A
 * deployment not there (yet) is "not yet", as waitForReady waits for one (the contract says NotFound).
 */
export function deploymentReady(platform: Platform, namespace: string, deployment: string, replicas: number): Condition<DeploymentStatus> {
  return async () => {
    const s = await platform.getDeploymentStatus(namespace, deployment).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (!s) return notYet(`deployment ${namespace}/${deployment} not found`);
    return s.readyReplicas >= replicas ? done(s) : notYet(`ready ${s.readyReplicas}/${replicas} (replicas ${s.replicas}, updated ${s.updatedReplicas})`);
  };
}

/**
 * `consecutive` answers in a row at the target's health path through the URL, each healthy and
 * naming `engine` (header or body field, as the profile says); a bad answer starts the count again.
 * Done with how many requests it took. Stateful: one per wait.
 */
export function servedHealthyBy(baseUrl: string, target: HealthTarget, engine: string, consecutive: number): Condition<{ streak: number; requests: number }> {
  let streak = 0;
  let requests = 0;
  return async () => {
    requests++;
    const h = await healthCheck(baseUrl, 3_000, target);
    const good = answeredHealthy(h) && h.engine === engine;
    streak = good ? streak + 1 : 0;
    if (streak >= consecutive) return done({ streak, requests });
    return notYet(`${describeHealth(h)} (${streak}/${consecutive} in a row)`);
  };
}
