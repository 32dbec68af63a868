// Profile → scenarios × variants (the runbook's test schedule and decision matrix).
import { DECISION_MATRIX } from '../criteria/matrix.ts';
import type { DrillConfig, ScenarioName, Variant } from './schema.ts';
import { SCENARIOS } from './schema.ts';

export interface DrillPlan {
  scenarios: ScenarioName[];
  variants: Variant[];
}

export function planDrill(c: DrillConfig): DrillPlan {
  const variants: Variant[] = c.variant === 'both' || c.profile === 'pre-release' ? ['seed', 'hardened'] : [c.variant];
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
