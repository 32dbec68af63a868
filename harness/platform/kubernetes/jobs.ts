// Jobs on the API server: replace a leftover of the run (Jobs are immutable; a 409 while the old
// one goes is retried until the deadline), wait for Complete or Failed through the one waitFor,
// and read the exit code and logs of the newest pod. A Job that does not finish is deleted.
import type { V1Job } from '@kubernetes/client-node';
import { withRunLabel } from '../objects.ts';
import { PlatformError, WaitTimeoutError } from '../types.ts';
import { type JobResult } from '../../model/platform.ts';
import { done, notYet, poll, waitFor } from '../wait.ts';
import { isConflict } from './apply.ts';
import { podLog } from './logs.ts';
import type { OwnershipGuard } from './ownership.ts';
import { iso, type KubeSession } from './session.ts';
import { listPods } from './workloads.ts';

export async function runJob(s: KubeSession, guard: OwnershipGuard, job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
  const name = job.metadata?.name;
  const namespace = job.metadata?.namespace;
  if (!name || !namespace) throw new PlatformError('a Job needs metadata.name and metadata.namespace', 2);
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  await createReplacing(s, guard, job, namespace, name, deadline);
  s.progress(`job ${namespace}/${name} started`);

  const finished = async () => {
    const j = await s.call(`read job ${namespace}/${name}`, () => s.batch.readNamespacedJob({ name, namespace }));
    const conds = j.status?.conditions ?? [];
    if (conds.some((c) => c.type === 'Complete' && c.status === 'True') || (j.status?.succeeded ?? 0) > 0) return done(true);
    if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return done(false);
    return notYet(`active ${j.status?.active ?? 0}, succeeded ${j.status?.succeeded ?? 0}, failed ${j.status?.failed ?? 0}`);
  };
  const succeeded = await waitFor(finished, {
    describe: `job ${namespace}/${name} to finish`,
    timeoutMs: Math.max(0, deadline - Date.now()),
    intervalMs: s.pollMs,
    signal: opts.signal,
  }).catch(async (err: unknown) => {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const logs = await jobLogs(s, namespace, name).catch(() => ({ logs: '', exitCode: -1 }));
    await s.deleteObject('Job', namespace, name);
    const lastLine = logs.logs.trim().split('\n').at(-1) ?? '';
    throw new WaitTimeoutError(
      `job ${namespace}/${name} did not finish within ${Math.round(opts.timeoutMs / 1000)}s (${err.lastState}); last output: ${lastLine}`,
      err.lastState,
      err.details,
    );
  });
  const { logs, exitCode } = await jobLogs(s, namespace, name);
  return { name, succeeded, exitCode: exitCode ?? (succeeded ? 0 : -1), logs, durationMs: Date.now() - started };
}

async function createReplacing(s: KubeSession, guard: OwnershipGuard, job: V1Job, namespace: string, name: string, deadline: number): Promise<void> {
  guard.announce(namespace);
  if ((await guard.assertOwned('Job', namespace, name)) === 'owned') await s.deleteObject('Job', namespace, name);
  const body = withRunLabel({ ...job, apiVersion: 'batch/v1', kind: 'Job' } as V1Job, s.runId);
  const what = `create job ${namespace}/${name}`;
  const created = await poll(
    async () => {
      try {
        await s.batch.createNamespacedJob({ namespace, body });
        return done(true);
      } catch (err) {
        const e = s.error(err, what);
        if (isConflict(e)) return notYet(e);
        throw e;
      }
    },
    { describe: what, timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 500 },
  );
  // Still 409 at the deadline: the API server's own answer is the error.
  if (!created.done) throw created.state;
  guard.markOwned('Job', namespace, name);
}

/** Logs and exit code of the newest pod of a Job. */
async function jobLogs(s: KubeSession, namespace: string, job: string): Promise<{ logs: string; exitCode: number | undefined }> {
  const pods = await listPods(s, namespace, { 'job-name': job });
  const pod = pods.sort((a, b) => (iso(a.metadata?.creationTimestamp) ?? '').localeCompare(iso(b.metadata?.creationTimestamp) ?? '')).at(-1);
  if (!pod?.metadata?.name) return { logs: '', exitCode: undefined };
  const cs = pod.status?.containerStatuses?.[0];
  const exitCode = cs?.state?.terminated?.exitCode ?? cs?.lastState?.terminated?.exitCode;
  const logs = await podLog(s, namespace, pod.metadata.name, cs?.name ?? pod.spec?.containers[0]?.name);
  return { logs, exitCode };
}
