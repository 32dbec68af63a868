// The runbook's decision matrix and success criteria, as data. Everything the drill judges is
// looked up here: a scenario's severity, budget, method and validation set; a criterion's budget.
import type { ScenarioName } from '../config/schema.ts';

export type Method = 'emergency' | 'planned';
export type ValidationSet = 'health check' | 'security validation' | 'performance test' | 'feature test' | 'full validation';

export interface MatrixRow {
  scenario: ScenarioName;
  severity: 'critical' | 'high' | 'medium';
  /** "Rollback Time" column: trigger → restored. */
  budgetMs: number;
  method: Method;
  validation: ValidationSet;
}

const MIN = 60_000;

export const DECISION_MATRIX: Record<ScenarioName, MatrixRow> = {
  'database-corruption': { scenario: 'database-corruption', severity: 'critical', budgetMs: 5 * MIN, method: 'emergency', validation: 'health check' },
  'security-incident': { scenario: 'security-incident', severity: 'critical', budgetMs: 5 * MIN, method: 'emergency', validation: 'security validation' },
  'performance-issues': { scenario: 'performance-issues', severity: 'high', budgetMs: 30 * MIN, method: 'planned', validation: 'performance test' },
  'functionality-broken': { scenario: 'functionality-broken', severity: 'high', budgetMs: 15 * MIN, method: 'emergency', validation: 'feature test' },
  'maintenance-window': { scenario: 'maintenance-window', severity: 'medium', budgetMs: 60 * MIN, method: 'planned', validation: 'full validation' },
};

/** "Success Criteria": the runbook's numbers. */
export const SUCCESS_CRITERIA = {
  emergencyRollbackMs: 5 * MIN,
  plannedRollbackMs: 30 * MIN,
  lostWrites: 0,
  p99LatencyMs: 500,
  /** Errors + non-2xx the load after the rollback may have (a fast error is not a fast answer). */
  errorBudget: 0.01,
  /** Alerts cleared within 10 minutes of the rollback (scaled by --time-scale). */
  alertsClearedMs: 10 * MIN,
} as const;
