// Decision matrix: database corruption — critical, emergency rollback, < 5 min, health check.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('database-corruption', {
  extra: (outcome) =>
    it('the fault took effect (PostgreSQL cannot start, health checks fail)', () => {
      expect(outcome().faultEvidence).toMatch(/consecutive failed health checks/);
    }),
});
