// Every planned scenario's suite, generated from its spec (harness/scenarios/*.scenario.ts and the
// user's --scenario-file): under the CLI the plan's scenarios, under `npm test` every built-in row.
import { loadScenarios } from '../harness/scenarios/registry.ts';
import { loadTarget } from '../harness/targets/load.ts';
import { drillEnv } from './drill-env.ts';
import { defineScenarioSuite } from './scenario-suite.ts';

const env = drillEnv();
const registry = await loadScenarios(env.config.scenarioFiles);
const target = await loadTarget(env.config.target, env.config.appDir);
for (const name of env.scenarios ?? registry.builtin) defineScenarioSuite(registry.get(name), target);
