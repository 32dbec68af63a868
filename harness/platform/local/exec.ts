// `kubectl exec` on the local platform: the pod (named, or the deployment's first ready one, else
// any running one that is not terminating), its container, and the command run in the container's
// environment; errors in the API server's words (404 NotFound / NoPod, 400 not running).
import { KubeApiError } from '../kube-errors.ts';
import { PlatformError } from '../types.ts';
import { type ExecOptions, type ExecResult } from '../../model/platform.ts';
import { deploymentOrThrow, statusNow } from './deployments.ts';
import { ContainerNotRunningError, type LocalPod } from './pod.ts';
import type { LocalState } from './state.ts';

function podFor(st: LocalState, namespace: string, deployment: string, podName: string | undefined): LocalPod {
  if (podName) {
    const pod = st.pods.get(namespace, podName);
    if (!pod) throw new KubeApiError(`pods "${podName}" not found`, 404, 'NotFound');
    return pod;
  }
  const dep = deploymentOrThrow(st, namespace, deployment);
  const candidates = st.pods.matching(namespace, dep.spec?.selector?.matchLabels ?? {}).filter((p) => !p.terminating);
  const pod = candidates.find((p) => p.ready) ?? candidates.find((p) => p.phase() === 'Running');
  if (!pod) {
    const s = statusNow(st, namespace, deployment);
    throw new KubeApiError(`exec into deployment ${namespace}/${deployment}: no running pod (${s?.replicas ?? 0} replicas)`, 404, 'NoPod');
  }
  return pod;
}

export async function execInDeployment(st: LocalState, namespace: string, deployment: string, command: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const pod = podFor(st, namespace, deployment, opts.pod);
  const c = pod.container(opts.container);
  if (!c) throw new KubeApiError(`exec into pod ${namespace}/${pod.name}: container ${opts.container} not found`, 404, 'NotFound');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let r;
  try {
    r = await c.exec(command, { timeoutMs, stdin: opts.stdin, signal: st.changes.signal(opts.signal) });
  } catch (err) {
    if (err instanceof ContainerNotRunningError) throw new KubeApiError(`exec into pod ${namespace}/${pod.name}: ${err.message}`, 400, 'BadRequest');
    throw err;
  }
  const where = `exec in ${namespace}/${pod.name}`;
  if (r.timedOut) throw new PlatformError(`${where}: no exit status within ${Math.round(timeoutMs / 1000)}s`, 3);
  if (r.aborted) throw new Error(`${where}: aborted`);
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, pod: pod.name };
}
