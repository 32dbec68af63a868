// Decision matrix: maintenance window, drilled by its planned rollback (the row: harness/scenarios/maintenance-window.scenario.ts).
import { defineRowSuite } from '../scenario-suite.ts';

await defineRowSuite('planned', 'maintenance-window');
