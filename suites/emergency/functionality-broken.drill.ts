// Decision matrix: functionality broken — high, emergency rollback, < 15 min, feature test.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('functionality-broken', {
  extra: (outcome) =>
    it("the fault took effect (PostgreSQL's catalog no longer lists the table)", () => {
      expect(outcome().faultEvidence).toMatch(/^pg_catalog: no table tool_configs in database hyperpage; \d+ others remain/);
    }),
});
