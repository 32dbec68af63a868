// The generic drill suite, generated from the specs (harness/scenarios/*.scenario.ts and the user's
// --scenario-file): under the CLI every scenario of its plan; under `npm test` the built-in rows
// that have no row suite of their own (suites/<method>/<row>.drill.ts drills the others), so no row
// is drilled twice.
import { describe, it } from 'vitest';
import { rowSuite } from '../harness/config/plan.ts';
import { drillEnv } from './drill-env.ts';
import { defineScenarioSuite, hasRowSuite, suiteInputs } from './scenario-suite.ts';

const env = drillEnv();
const { registry, target, criteria } = await suiteInputs(env);
const names = env.scenarios ?? registry.builtin.filter((n) => !hasRowSuite(registry.get(n)));
for (const name of names) defineScenarioSuite(registry.get(name), target, criteria);
if (names.length === 0) {
  // A file must declare a test: say, skipped, where the built-in rows are drilled instead.
  describe.skip(`every built-in row has its own row suite (${registry.builtin.map((n) => rowSuite(registry.get(n))).join(', ')})`, () => {
    it('nothing left to drill here', () => undefined);
  });
}
