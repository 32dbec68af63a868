// Decision matrix: security incident — critical, emergency rollback, < 5 min, security validation.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('security-incident', {
  criteria: ['security-validation'],
  extra: (outcome) =>
    it("the fault took effect (PostgreSQL refuses the app's credentials)", () => {
      expect(outcome().faultEvidence).toMatch(/login refused \(exit [1-9].*(password|authentication)/);
    }),
});
