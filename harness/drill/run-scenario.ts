// One drill of one scenario × variant on a fresh platform, e2e-framework style: the platform is
// provisioned, the declared phases (phases.ts) run in order over one typed state, and the finally
// stage always runs (probes stopped, artifacts collected, fault cleared, platform torn down).
// Criteria are evaluated from the outcome this returns (outcome.ts); nothing here decides pass or fail.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { DrillConfig, ScenarioName, Variant } from '../model/drill-config.ts';
import { Journal } from '../journal/journal.ts';
import type { ProcedureContext } from '../model/context.ts';
import { loadScenarios } from '../scenarios/registry.ts';
import type { ScenarioSpec } from '../model/scenario.ts';
import { loadTarget } from '../targets/load.ts';
import { openDrillPlatform, resolvePlatformName, type DrillPlatformName } from './open-platform.ts';
import { buildOutcome } from './outcome.ts';
import { type ScenarioOutcome } from '../model/outcome.ts';
import { PHASES, withOwnPhases, type Phase } from './phases.ts';
import type { Procedure } from '../model/procedure.ts';
import { DrillState } from './state.ts';

export interface ScenarioOptions {
  config: DrillConfig;
  /** A scenario the registry knows (built-in or from config.scenarioFiles)… */
  scenario: ScenarioName;
  /** …or its spec given directly (tests). */
  spec?: ScenarioSpec;
  variant: Variant;
  runDir: string;
  /** Chosen by the CLI; default from config.cluster (auto → local). */
  platform?: DrillPlatformName;
  progress?: (line: string) => void;
  /** Replace the procedure (mutation tests break it on purpose). */
  procedure?: Procedure<ProcedureContext>;
  /** Runs after the baseline is up (mutation tests slow the app down here). */
  afterSetup?: (ctx: ProcedureContext) => Promise<void>;
  /** Skip the load phases (proofs that only concern the ledger). */
  skipLoad?: boolean;
  journal?: Journal;
  signal?: AbortSignal;
  /** Clean up on SIGINT/SIGTERM (drills run by the CLI, which forwards its signal to the workers). */
  handleSignals?: boolean;
  /** The CLI run's id (its report folder): the platform's run label starts with it, so what a run created is found by it. */
  runIdPrefix?: string;
  /** The phases to run (default PHASES; tests may drill a shorter list). */
  phases?: readonly Phase[];
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioOutcome> {
  const progress = o.progress ?? (() => undefined);
  const spec = o.spec ?? (await loadScenarios(o.config.scenarioFiles)).get(o.scenario);
  const target = await loadTarget(o.config.target, o.config.appDir);
  mkdirSync(o.runDir, { recursive: true });
  const journal = o.journal ?? new Journal(path.join(o.runDir, 'journal.jsonl'));
  journal.setContext({ scenario: spec.name, variant: o.variant });
  journal.write({ type: 'scenario.start', fault: spec.fault?.name ?? 'none', method: spec.method, budgetMs: spec.budgetMs, validation: spec.validation });
  // Interrupted (the caller's signal, or SIGINT/SIGTERM of a drill run by the CLI while its
  // platform tears itself down): every phase stops where it is and nothing after it runs, so no
  // verdict is judged on a torn-down platform.
  const interrupt = new AbortController();
  const signal = interrupt.signal;
  const onCallerAbort = () => interrupt.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const onProcessSignal = (sig: NodeJS.Signals) => interrupt.abort(new Error(`interrupted by ${sig}`));
  if (o.handleSignals) for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, onProcessSignal);
  const phase = async <T>(id: string, fn: () => Promise<T>, setup?: string): Promise<T> => {
    signal.throwIfAborted();
    const t0 = Date.now();
    journal.write({ type: 'phase.start', phase: id });
    progress(`▶ ${id}`);
    try {
      return await fn();
    } catch (err) {
      // A platform or baseline that cannot be set up is an infrastructure error, not a failed
      // rollback: journalled as such, so the CLI exits 3 rather than 1 (an interrupt is neither).
      if (setup && !signal.aborted) journal.write({ type: 'log', level: 'error', cause: 'setup', message: `${setup} could not be set up: ${err instanceof Error ? err.message : String(err)}` });
      throw err;
    } finally {
      journal.write({ type: 'phase.end', phase: id, durationMs: Date.now() - t0 });
    }
  };

  try {
    await using drill = await phase(
      'provision',
      () => openDrillPlatform({ config: o.config, target, platform: o.platform, runDir: o.runDir, runIdPrefix: o.runIdPrefix, progress, handleSignals: o.handleSignals }),
      `the ${resolvePlatformName(o.config, o.platform)} platform`,
    );
    const s = new DrillState(o, spec, target, o.variant, journal, drill.platform, target.app.image, signal, progress);
    try {
      for (const p of o.phases ?? withOwnPhases(PHASES, spec)) {
        if (p.when && !p.when(spec, s)) continue;
        await phase(p.id, () => p.run(s), p.setup);
      }
      return buildOutcome(s);
    } finally {
      await finallyStage(s);
    }
  } finally {
    o.signal?.removeEventListener('abort', onCallerAbort);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onProcessSignal);
  }
}

/**
 * Always runs, whether the drill passed, failed, threw or was interrupted (chaostoolkit's
 * rollbacks): artifacts collected first, while everything still runs; then every cleanup the phases
 * registered where they created their resource (drill/state.ts defer/use: the fault cleared, the
 * probes stopped), in reverse order, each on its own (one that fails is journalled, the others still
 * run); the platform is torn down after it (runScenario's `await using`).
 */
async function finallyStage(s: DrillState): Promise<void> {
  const { platform, journal } = s;
  if (platform.collectArtifacts) {
    const paths = await platform.collectArtifacts(path.join(s.o.runDir, 'artifacts', s.tag)).catch((err: Error) => {
      journal.write({ type: 'log', level: 'warn', message: `artifacts not collected: ${err.message}` });
      return [] as string[];
    });
    for (const p of paths) journal.write({ type: 'artifact', kind: 'platform', path: p });
  }
  for (const c of [...s.cleanups].reverse()) {
    await c.run().catch((err: Error) => journal.write({ type: 'log', level: 'warn', message: `cleanup of ${c.what} failed: ${err.message}` }));
  }
}
