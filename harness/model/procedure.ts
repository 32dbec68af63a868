import type { StepRecord } from './journal-events.ts';

export interface Step<C> {
  /** Stable kebab-case id, unique within its procedure: what code and expectations refer to. */
  id: string;
  /** The prose shown in progress lines and reports; free to change. */
  name: string;
  budgetMs: number;
  /** 'abort' (bash `set -e`) stops the procedure on failure; 'continue' (no `set -e`) goes on. */
  onFailure?: 'abort' | 'continue';
  /** Returns a short message for the report (what was done / measured). Throws on failure. */
  run(ctx: C, signal: AbortSignal): Promise<string | void>;
}

export interface Procedure<C> {
  name: string;
  variant: string;
  steps: Step<C>[];
}

/** A step as it ran (the one step record, journal/events.ts), and whether it overran its budget. */
export interface StepResult extends StepRecord {
  overBudget: boolean;
}

export interface ProcedureResult {
  procedure: string;
  variant: string;
  startedAt: number;
  durationMs: number;
  /** True when every step ran and none failed. */
  completed: boolean;
  steps: StepResult[];
}
