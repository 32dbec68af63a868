// One fault per row of the decision matrix (maintenance-window breaks nothing).
import type { ScenarioName } from '../config/schema.ts';
import { databaseCorruption } from './database-corruption.ts';
import { functionalityBroken } from './functionality-broken.ts';
import { performanceIssues } from './performance-issues.ts';
import { securityIncident } from './security-incident.ts';
import type { Fault } from './types.ts';

export const FAULTS: Record<ScenarioName, Fault | null> = {
  'database-corruption': databaseCorruption,
  'security-incident': securityIncident,
  'performance-issues': performanceIssues,
  'functionality-broken': functionalityBroken,
  'maintenance-window': null,
};
