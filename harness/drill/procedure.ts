// A procedure is the runbook as code: an ordered list of named steps, each with its own budget,
// run against a shared context. Every step is timed and journalled; a step that overruns its
// budget is recorded as such (the measurement), and only a hard ceiling stops a hung step.
import type { Procedure, ProcedureResult, StepResult, Step } from '../model/procedure.ts';
import type { Journal } from '../journal/journal.ts';
import type { StepOutcome, StepRecord } from '../model/journal-events.ts';
import { assertStepIds } from '../kit/step-ids.ts';

export interface RunOptions {
  journal: Journal;
  signal?: AbortSignal;
  /** A step is abandoned after max(budget × hardCeilingFactor, budget + 60 s). */
  hardCeilingFactor?: number;
  progress?: (line: string) => void;
}

export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
}

export async function runProcedure<C>(proc: Procedure<C>, ctx: C, opts: RunOptions): Promise<ProcedureResult> {
  assertStepIds(proc);
  const { journal } = opts;
  const startedAt = Date.now();
  const results: StepResult[] = [];
  let stop = false;

  for (const [index, step] of proc.steps.entries()) {
    if (stop || opts.signal?.aborted) {
      const outcome: StepOutcome = opts.signal?.aborted ? 'aborted' : 'skipped';
      results.push(record(journal, proc, step, index, Date.now(), 0, outcome, 'not run'));
      continue;
    }
    journal.write({ type: 'step.start', procedure: proc.name, stepId: step.id, step: step.name, index, budgetMs: step.budgetMs });
    opts.progress?.(`  ▶ ${proc.name}: ${step.name} (budget ${fmtMs(step.budgetMs)})`);
    const t0 = Date.now();
    const ceiling = Math.max(step.budgetMs * (opts.hardCeilingFactor ?? 3), step.budgetMs + 60_000);
    const controller = new AbortController();
    const onAbort = () => controller.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const message = await Promise.race([
        step.run(ctx, controller.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const err = new StepTimeoutError(`gave up after ${fmtMs(ceiling)}`);
            controller.abort(err);
            reject(err);
          }, ceiling);
        }),
        abortPromise(controller.signal),
      ]);
      const r = record(journal, proc, step, index, t0, Date.now() - t0, 'ok', message ?? '');
      results.push(r);
      opts.progress?.(`  ✔ ${step.name} ${fmtMs(r.durationMs)}${r.overBudget ? ' (OVER BUDGET)' : ''}${r.message ? ` — ${r.message}` : ''}`);
    } catch (err) {
      const aborted = opts.signal?.aborted === true;
      const message = err instanceof Error ? err.message : String(err);
      const r = record(journal, proc, step, index, t0, Date.now() - t0, aborted ? 'aborted' : 'failed', message);
      results.push(r);
      opts.progress?.(`  ✘ ${step.name} ${fmtMs(r.durationMs)} — ${message}`);
      if (aborted || (step.onFailure ?? 'abort') === 'abort') stop = true;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    procedure: proc.name,
    variant: proc.variant,
    startedAt,
    durationMs: Date.now() - startedAt,
    completed: results.every((r) => r.outcome === 'ok'),
    steps: results,
  };
}

function record<C>(
  journal: Journal,
  proc: Procedure<C>,
  step: Step<C>,
  index: number,
  startedAt: number,
  durationMs: number,
  outcome: StepOutcome,
  message: string,
): StepResult {
  const r: StepRecord = { procedure: proc.name, stepId: step.id, step: step.name, index, budgetMs: step.budgetMs, startedAt, durationMs, outcome, message };
  journal.write({ type: 'step.end', ...r });
  return { ...r, overBudget: durationMs > step.budgetMs };
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), {
      once: true,
    });
  });
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
