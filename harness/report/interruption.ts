// What a stopped run had done: the steps that finished and the ones the interruption caught mid-way.
import type { GroupReport, RunReport, StepReport } from './model.ts';

/**
 * A step the interruption caught mid-way: started but never ended, or ended by the abort after it
 * had been running (the runner journals steps it never started as aborted with 0 ms).
 */
export function wasRunning(s: StepReport): boolean {
  return s.outcome === 'interrupted' || (s.outcome === 'aborted' && s.durationMs > 0);
}

export function interruptionOf(built: readonly GroupReport[], lastEventAt: number | null): NonNullable<RunReport['interruption']> {
  return {
    lastEventAt,
    stepsDone: built.flatMap((g) =>
      g.steps.filter((s) => s.outcome === 'ok' || s.outcome === 'failed').map((s) => ({ group: g.key, procedure: s.procedure, stepId: s.stepId, step: s.step })),
    ),
    inProgress: built.flatMap((g) =>
      g.steps
        .filter(wasRunning)
        .map((s) => ({ group: g.key, procedure: s.procedure, stepId: s.stepId, step: s.step, startedAt: s.startedAt })),
    ),
  };
}
