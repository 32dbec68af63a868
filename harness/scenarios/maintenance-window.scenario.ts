// Decision matrix: maintenance window — medium, planned rollback, < 60 min, full validation
// (the data recovery PostgreSQL → SQLite included). Nothing is broken.
import { PLANNED } from './procedures.ts';
import { defineScenario } from './spec.ts';

export default defineScenario({
  name: 'maintenance-window',
  title: 'maintenance window',
  severity: 'medium',
  budgetMs: 60 * 60_000,
  method: 'planned',
  validation: 'full validation',
  fault: null,
  procedures: PLANNED,
  expectedTriggers: [],
  phases: ['data-recovery'],
});
