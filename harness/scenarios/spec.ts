// A scenario is one row of the decision matrix, as data, in one file: what breaks, how the runbook
// answers it per variant, which phases it adds, which triggers must fire, which criteria it adds to
// the runbook's six and which outcomes are expected to fail (with the finding that explains each).
// Config, plan, drill, suite and report all read it; adding a row (or a user's own scenario) is one
// new `*.scenario.ts` file (see registry.ts).
import type { ScenarioSpec } from '../model/scenario.ts';
import { z } from 'zod';
import { criterionProblem } from '../criteria/criterion.ts';
import { TRIGGERS } from '../probes/triggers.ts';
import { type TriggerId } from '../model/scenario.ts';

/** Phases only some rows run (the others run for every scenario; see drill/phases.ts). */
export const OPTIONAL_PHASES = ['load-faulted', 'data-recovery', 'security-validation'] as const;
export type OptionalPhase = (typeof OPTIONAL_PHASES)[number];
// The data part is validated (a user's file is input); functions are checked for being functions.
const fn = z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', 'a function');
const ScenarioSpecSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-"'),
  title: z.string().min(1),
  severity: z.enum(['critical', 'high', 'medium']),
  budgetMs: z.number().int().positive(),
  method: z.enum(['emergency', 'planned']),
  validation: z.enum(['health check', 'security validation', 'performance test', 'feature test', 'full validation']),
  fault: z.union([z.null(), z.object({ name: z.string().min(1), inject: fn, verify: fn, clear: fn }).loose()]),
  procedures: z.object({ seed: fn, hardened: fn }),
  expectedTriggers: z.array(z.enum(Object.keys(TRIGGERS) as [TriggerId, ...TriggerId[]])),
  phases: z.array(z.enum(OPTIONAL_PHASES)).optional(),
  // A row's own criterion carries its score weight like the runbook's: one line naming it otherwise.
  criteria: z
    .array(
      z.unknown().superRefine((c, ctx) => {
        const problem = criterionProblem(c);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .optional(),
  findings: z.array(z.object({ id: z.string().min(1), title: z.string().min(1) }).loose()).optional(),
  assertions: z.array(z.object({ title: z.string().min(1), check: fn })).optional(),
  ownPhases: z.array(z.object({ id: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, 'lowercase letters, digits and "-"'), after: z.string().min(1), run: fn })).optional(),
});

export class ScenarioSpecError extends Error {
  override readonly name = 'ScenarioSpecError';
}

/** Checks a spec's shape (one line naming the field) and returns it typed: `export default defineScenario({...})`. */
export function defineScenario(spec: ScenarioSpec): ScenarioSpec {
  const r = ScenarioSpecSchema.safeParse(spec);
  if (!r.success) {
    const where = typeof (spec as { name?: unknown })?.name === 'string' ? `scenario ${(spec as { name: string }).name}` : 'scenario';
    throw new ScenarioSpecError(`${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`).join('; ')}`);
  }
  return spec;
}

export const hasPhase = (spec: ScenarioSpec, phase: OptionalPhase) => spec.phases?.includes(phase) ?? false;
