// Profile → scenarios × variants (the runbook's test schedule and decision matrix).
import type { DrillConfig, ScenarioName, Variant } from './schema.ts';
import { SCENARIOS } from './schema.ts';

export const SCENARIO_METHOD: Record<ScenarioName, 'emergency' | 'planned'> = {
  'database-corruption': 'emergency',
  'security-incident': 'emergency',
  'performance-issues': 'planned',
  'functionality-broken': 'emergency',
  'maintenance-window': 'planned',
};

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
  return `suites/${SCENARIO_METHOD[s]}/${s}.drill.ts`;
}
