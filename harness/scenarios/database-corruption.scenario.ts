// Decision matrix: database corruption — critical, emergency rollback, < 5 min, health check.
import { databaseCorruption } from '../faults/database-corruption.ts';
import { EMERGENCY } from './procedures.ts';
import { defineScenario } from './spec.ts';

export default defineScenario({
  name: 'database-corruption',
  title: 'database corruption',
  severity: 'critical',
  budgetMs: 5 * 60_000,
  method: 'emergency',
  validation: 'health check',
  fault: databaseCorruption,
  procedures: EMERGENCY,
  expectedTriggers: ['health-check-failures', 'postgres-unavailable'],
  assertions: [
    {
      title: "the fault took effect on PostgreSQL (it cannot start, the app's login is refused)",
      check: (o) => ({ holds: /^PostgreSQL cannot start: .*exited [1-9].*0\/1 ready.*login refused/.test(o.faultEvidence), measured: o.faultEvidence }),
    },
  ],
});
