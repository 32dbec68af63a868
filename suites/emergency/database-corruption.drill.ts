// Decision matrix: database corruption — critical, emergency rollback, < 5 min, health check.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('database-corruption', {
  extra: (outcome) =>
    it("the fault took effect on PostgreSQL (it cannot start, the app's login is refused)", () => {
      expect(outcome().faultEvidence).toMatch(/^PostgreSQL cannot start: .*exited [1-9].*0\/1 ready.*login refused/);
    }),
});
