// Decision matrix: performance issues — high, planned rollback, < 30 min, performance test.
import { expect, it } from 'vitest';
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('performance-issues', {
  extra: (outcome) =>
    it('p99 above 500 ms with the fault in place, below 500 ms after the rollback', () => {
      const { faulted, after } = outcome().load;
      if (!faulted || !after) throw new Error('a load phase did not run');
      expect(faulted.p99, `p99 with the fault ${faulted.p99} ms`).toBeGreaterThan(500);
      expect(after.p99, `p99 after the rollback ${after.p99} ms`).toBeLessThan(500);
    }),
});
