// Every planned scenario's suite, generated from its spec (harness/scenarios/*.scenario.ts and the
// user's --scenario-file): under the CLI the plan's scenarios, under `npm test` every built-in row.
import { drillEnv } from './drill-env.ts';
import { defineScenarioSuite, suiteInputs } from './scenario-suite.ts';

const env = drillEnv();
const { registry, target, criteria } = await suiteInputs(env);
for (const name of env.scenarios ?? registry.builtin) defineScenarioSuite(registry.get(name), target, criteria);
