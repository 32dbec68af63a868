// Profile → scenarios × variants (the runbook's test schedule and decision matrix). Explicit flags
// are never overridden: the profile only fills in what the user did not say.
import type { Method } from '../model/scenario.ts';
import type { ScenarioRegistry } from '../scenarios/registry.ts';
import type { DrillConfig, Profile, ScenarioName, Variant, VariantChoice } from '../model/drill-config.ts';

export interface DrillPlan {
  scenarios: ScenarioName[];
  variants: Variant[];
}

/** The variant a profile drills when none is given: pre-release gates both (seed's defects as expected failures). */
export function defaultVariant(profile: Profile): VariantChoice {
  return profile === 'pre-release' ? 'both' : 'hardened';
}

/**
 * The generic drill suite (one describe per scenario, from its spec). The CLI drills its whole plan
 * with it, in one worker process: the preflight is measured once per run and target, and the
 * scenarios run in the plan's order. Under `npm test` it drills the built-in rows that have no row
 * suite of their own; a user's scenario file never needs one.
 */
export const SCENARIO_SUITE = 'suites/scenarios.drill.ts';

/** A decision-matrix row's own suite, by its procedure method: `npx vitest run suites/emergency` drills the emergency rows. */
export function rowSuite(row: { name: string; method: Method }): string {
  return `suites/${row.method}/${row.name}.drill.ts`;
}

/** Throws the registry's one-line error (known names listed) for a scenario nobody defined. */
export function planDrill(c: DrillConfig, registry: ScenarioRegistry): DrillPlan {
  const choice = c.variant ?? defaultVariant(c.profile);
  const variants: Variant[] = choice === 'both' ? ['seed', 'hardened'] : [choice];
  if (c.scenario) registry.get(c.scenario);
  let scenarios: ScenarioName[];
  switch (c.profile) {
    case 'monthly':
      scenarios = [c.scenario ?? 'database-corruption'];
      break;
    case 'quarterly':
      scenarios = c.scenario ? [c.scenario] : ['database-corruption', 'maintenance-window'];
      break;
    case 'pre-release':
      // Every row: the built-in matrix and the user's own scenarios.
      scenarios = c.scenario ? [c.scenario] : registry.names;
      break;
    case 'post-incident':
      scenarios = [c.scenario!];
      break;
  }
  return { scenarios, variants };
}
