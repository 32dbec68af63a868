// Profile → scenarios × variants (the runbook's test schedule and decision matrix). Explicit flags
// are never overridden: the profile only fills in what the user did not say.
import { DECISION_MATRIX } from '../criteria/matrix.ts';
import type { DrillConfig, Profile, ScenarioName, Variant, VariantChoice } from './schema.ts';
import { SCENARIOS } from './schema.ts';

export interface DrillPlan {
  scenarios: ScenarioName[];
  variants: Variant[];
}

/** The variant a profile drills when none is given: pre-release gates both (seed's defects as expected failures). */
export function defaultVariant(profile: Profile): VariantChoice {
  return profile === 'pre-release' ? 'both' : 'hardened';
}

export function planDrill(c: DrillConfig): DrillPlan {
  const choice = c.variant ?? defaultVariant(c.profile);
  const variants: Variant[] = choice === 'both' ? ['seed', 'hardened'] : [choice];
  let scenarios: ScenarioName[];
  switch (c.profile) {
    case 'monthly':
      scenarios = [c.scenario ?? 'database-corruption'];
      break;
    case 'quarterly':
      scenarios = c.scenario ? [c.scenario] : ['database-corruption', 'maintenance-window'];
      break;
    case 'pre-release':
      scenarios = c.scenario ? [c.scenario] : [...SCENARIOS];
      break;
    case 'post-incident':
      scenarios = [c.scenario!];
      break;
  }
  return { scenarios, variants };
}

/** The drill suite file of a scenario (suites/<method>/<scenario>.drill.ts). */
export function suiteFile(s: ScenarioName): string {
  return `suites/${DECISION_MATRIX[s].method}/${s}.drill.ts`;
}
