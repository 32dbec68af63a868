// The Job controller, simply: one pod at a time until `completions` pods succeeded; a failed pod
// (restartPolicy Never) or a container restart (OnFailure) counts against backoffLimit, with a
// back-off between attempts; activeDeadlineSeconds ends it. Status and conditions as Kubernetes.
import type { V1Job, V1JobCondition, V1JobStatus } from '@kubernetes/client-node';
import type { PodHost } from './deployment-controller.ts';
import { randomSuffix } from './deployment-controller.ts';
import type { EventLog } from './events.ts';
import type { LocalPod } from './pod.ts';

interface JobState {
  startTime: Date;
  completionTime?: Date;
  outcome?: { type: 'Complete' | 'Failed'; reason: string; message: string };
  nextAttemptAt: number;
  seenFailures: number;
}

export class JobController {
  private readonly state = new Map<string, JobState>();

  constructor(
    private readonly host: PodHost,
    private readonly events: EventLog,
    private readonly backoff: { initial: number; max: number },
  ) {}

  private counts(job: V1Job): { pods: LocalPod[]; active: LocalPod[]; succeeded: number; failed: number } {
    const pods = this.host.podsOf('Job', job.metadata!.uid!);
    const active = pods.filter((p) => !p.terminating && p.phase() !== 'Succeeded' && p.phase() !== 'Failed');
    const succeeded = pods.filter((p) => p.phase() === 'Succeeded').length;
    const restarts = pods.reduce((n, p) => n + p.containers.reduce((m, c) => m + c.restartCount, 0), 0);
    const failed = pods.filter((p) => p.phase() === 'Failed').length + restarts;
    return { pods, active, succeeded, failed };
  }

  reconcile(job: V1Job): void {
    const uid = job.metadata!.uid!;
    const ns = job.metadata!.namespace!;
    const name = job.metadata!.name!;
    let st = this.state.get(uid);
    if (!st) {
      st = { startTime: new Date(), nextAttemptAt: 0, seenFailures: 0 };
      this.state.set(uid, st);
    }
    if (st.outcome) return;
    const { active, succeeded, failed } = this.counts(job);
    const completions = job.spec?.completions ?? 1;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const finish = (type: 'Complete' | 'Failed', reason: string, message: string) => {
      st.outcome = { type, reason, message };
      st.completionTime = new Date();
      for (const p of active) this.host.removePod(p);
      this.events.record(ns, type === 'Complete' ? 'Normal' : 'Warning', reason, `Job/${name}`, message);
    };
    if (succeeded >= completions) return finish('Complete', 'Completed', 'Job completed');
    if (failed > backoffLimit) return finish('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline !== undefined && Date.now() - st.startTime.getTime() > deadline * 1000) {
      return finish('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    }
    const parallelism = Math.min(job.spec?.parallelism ?? 1, completions - succeeded);
    if (failed > st.seenFailures) {
      // a new failure: wait out the back-off before the next pod
      st.seenFailures = failed;
      st.nextAttemptAt = Date.now() + Math.min(this.backoff.max, this.backoff.initial * 2 ** (failed - 1));
    }
    if (active.length >= parallelism || Date.now() < st.nextAttemptAt) return;
    const tpl = job.spec!.template;
    const podName = `${name}-${randomSuffix()}`;
    this.host.createPod({
      name: podName,
      namespace: ns,
      labels: {
        ...(tpl.metadata?.labels ?? {}),
        'job-name': name,
        'batch.kubernetes.io/job-name': name,
        'controller-uid': uid,
        'batch.kubernetes.io/controller-uid': uid,
      },
      annotations: { ...(tpl.metadata?.annotations ?? {}) },
      spec: { ...tpl.spec!, restartPolicy: tpl.spec?.restartPolicy ?? 'Never' },
      owner: { kind: 'Job', name, controller: name, uid },
    });
    this.events.record(ns, 'Normal', 'SuccessfulCreate', `Job/${name}`, `Created pod: ${podName}`);
  }

  finished(job: V1Job): 'Complete' | 'Failed' | undefined {
    return this.state.get(job.metadata!.uid!)?.outcome?.type;
  }

  forget(job: V1Job): void {
    for (const p of this.host.podsOf('Job', job.metadata!.uid!)) if (!p.terminating) this.host.removePod(p);
    this.state.delete(job.metadata!.uid!);
  }

  status(job: V1Job): V1JobStatus {
    const st = this.state.get(job.metadata!.uid!);
    const { active, succeeded, failed } = this.counts(job);
    const conditions: V1JobCondition[] = [];
    if (st?.outcome) {
      conditions.push({
        type: st.outcome.type,
        status: 'True',
        reason: st.outcome.reason,
        message: st.outcome.message,
        lastProbeTime: st.completionTime,
        lastTransitionTime: st.completionTime,
      });
    }
    return {
      active: active.length,
      succeeded,
      failed,
      startTime: st?.startTime,
      ...(st?.outcome?.type === 'Complete' ? { completionTime: st.completionTime } : {}),
      conditions,
    };
  }
}
