// Jobs on the local platform: replace a leftover of the same name (Jobs are immutable), wait for
// the controller's Complete or Failed through the change feed, and read the exit code and log of
// the Job's last pod. A Job that does not finish in time is deleted; its last output is named.
import type { V1Job } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { PlatformError, WaitTimeoutError } from '../types.ts';
import { type JobResult, type Platform } from '../../model/platform.ts';
import { done, notYet } from '../wait.ts';
import type { LocalState } from './state.ts';

export async function runJob(st: LocalState, api: Pick<Platform, 'apply' | 'delete'>, job: V1Job, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<JobResult> {
  const name = job.metadata?.name;
  const namespace = job.metadata?.namespace;
  if (!name || !namespace) throw new PlatformError('a Job needs metadata.name and metadata.namespace', 2);
  const started = Date.now();
  if (st.store.get('Job', namespace, name)) await api.delete('Job', namespace, name);
  await api.apply({ ...job, apiVersion: 'batch/v1', kind: 'Job' });
  const stored = st.store.get<V1Job>('Job', namespace, name)!;
  st.progress(`  job ${namespace}/${name} started`);
  let outcome: 'Complete' | 'Failed';
  try {
    outcome = await st.changes.waitFor(
      () => {
        const finished = st.jobs.finished(stored);
        return finished ? done(finished) : notYet('running');
      },
      { describe: `job ${namespace}/${name} to finish`, timeoutMs: opts.timeoutMs, signal: opts.signal },
    );
  } catch (err) {
    // The last output as it was when the wait ended, before the deletion stops the pod.
    const lastLine = jobLogs(st, stored).logs.trim().split('\n').at(-1) ?? '';
    await api.delete('Job', namespace, name);
    if (!(err instanceof WaitTimeoutError)) throw err;
    throw new WaitTimeoutError(`job ${namespace}/${name} did not finish within ${Math.round(opts.timeoutMs / 1000)}s; last output: ${lastLine}`, err.lastState, err.details);
  }
  const { logs, exitCode } = jobLogs(st, stored);
  st.progress(`  job ${namespace}/${name} ${outcome === 'Complete' ? 'succeeded' : 'failed'} (exit ${exitCode})`);
  return { name, succeeded: outcome === 'Complete', exitCode, logs, durationMs: Date.now() - started };
}

/** Log and exit code of the Job's last pod (ended pods included); -1 when it never ran or was killed. */
function jobLogs(st: LocalState, job: V1Job): { logs: string; exitCode: number } {
  const pod = st.pods.ownedBy('Job', job.metadata!.uid!, st.pods.all()).at(-1);
  if (!pod) return { logs: '', exitCode: -1 };
  const c = pod.containers[0]!;
  const s = c.state.kind === 'terminated' ? c.state : c.lastState?.kind === 'terminated' ? c.lastState : undefined;
  const logs = existsSync(c.logPath) ? readFileSync(c.logPath, 'utf8') : '';
  return { logs, exitCode: s ? s.exitCode : -1 };
}
