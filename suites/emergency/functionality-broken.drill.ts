// Decision matrix: functionality broken — high, emergency rollback, < 15 min, feature test.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('functionality-broken', {
  extra: (outcome) =>
    it('the fault took effect (feature checks failed while health stayed green)', () => {
      expect(outcome().faultEvidence).toMatch(/tools\/github failed 3 times in a row .*api\/health answered HTTP 200/);
    }),
});
