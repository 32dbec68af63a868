// Decision matrix: security incident — critical, emergency rollback, < 5 min, security validation.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('security-incident', {
  criteria: ['security-validation'],
  extra: (outcome) =>
    it('the fault took effect (the app fails and its credentials are refused)', () => {
      expect(outcome().faultEvidence).toMatch(/consecutive failed health checks.*login refused/);
    }),
});
