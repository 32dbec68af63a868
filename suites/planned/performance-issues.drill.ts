// Decision matrix: performance issues, drilled by its planned rollback (the row: harness/scenarios/performance-issues.scenario.ts).
import { defineRowSuite } from '../scenario-suite.ts';

await defineRowSuite('planned', 'performance-issues');
