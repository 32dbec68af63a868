// Decision matrix: security incident, drilled by its emergency rollback (the row: harness/scenarios/security-incident.scenario.ts).
import { defineRowSuite } from '../scenario-suite.ts';

await defineRowSuite('emergency', 'security-incident');
