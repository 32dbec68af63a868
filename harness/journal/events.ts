// The journal's vocabulary: every report is rendered from these events and nothing else.
export type StepOutcome = 'ok' | 'failed' | 'skipped' | 'aborted';
export type RunStatus = 'passed' | 'failed' | 'aborted' | 'error';

interface Base {
  /** Wall-clock time, ms since epoch. */
  t: number;
  /** Scenario/variant the event belongs to, when inside one. */
  scenario?: string;
  variant?: string;
}

export type JournalEvent = Base &
  (
    | {
        type: 'run.start';
        runId: string;
        profile: string;
        platform: string;
        platformReason?: string;
        scenarios: string[];
        variants: string[];
        config: Record<string, unknown>;
        host: { node: string; os: string; cpus: number };
      }
    | { type: 'scenario.start'; fault: string; method: string; budgetMs: number; validation: string }
    /** matches: every verdict and check of the scenario matched its expected outcome. */
    | { type: 'scenario.end'; passed: boolean; durationMs: number; matches?: boolean }
    | { type: 'phase.start' | 'phase.end'; phase: string; durationMs?: number }
    /** stepId: the step's stable id (absent in older journals); step: its prose name. */
    | { type: 'step.start'; procedure: string; stepId?: string; step: string; index: number; budgetMs: number }
    | {
        type: 'step.end';
        procedure: string;
        stepId?: string;
        step: string;
        index: number;
        budgetMs: number;
        startedAt: number;
        durationMs: number;
        outcome: StepOutcome;
        message?: string;
      }
    | { type: 'fault.inject' | 'fault.effective' | 'fault.not-effective' | 'fault.clear'; fault: string; detail: string }
    | { type: 'marker'; name: string; detail?: string }
    | { type: 'probe.summary'; probe: string; summary: Record<string, unknown> }
    | { type: 'probe.samples'; probe: string; file: string; count: number }
    | {
        type: 'verdict';
        id: string;
        title: string;
        passed: boolean;
        measured: number | string | null;
        budget: number | string | null;
        unit?: string;
        evidence: string;
        /** The outcome this variant/scenario is expected to have (absent: pass); 'fail' for a declared seed-runbook defect. */
        expected?: 'pass' | 'fail';
        /** The finding id that explains an expected failure. */
        expectedBecause?: string;
        /** passed === (expected === 'pass'): what the gate judges (absent in older journals: judge `passed`). */
        matches?: boolean;
      }
    /** A validation-checklist item or the data recovery, judged against its expected outcome like a verdict. */
    | { type: 'check'; id: string; title: string; passed: boolean; measured: string; expected: 'pass' | 'fail'; expectedBecause?: string; matches: boolean }
    | { type: 'finding'; id: string; title: string; detail: string; confirmed: boolean }
    | { type: 'trigger'; trigger: string; firedAt?: number; clearedAt?: number; detail?: string }
    | { type: 'artifact'; kind: string; path: string }
    /** cause 'setup': the platform or the baseline could not be set up, so nothing was drilled (exit 3). */
    | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; cause?: 'setup' }
    | { type: 'run.end'; status: RunStatus; exitCode: number; reason?: string }
  );

export type EventType = JournalEvent['type'];
export type EventOf<T extends EventType> = Extract<JournalEvent, { type: T }>;
