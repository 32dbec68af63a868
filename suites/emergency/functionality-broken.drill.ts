// Decision matrix: functionality broken, drilled by its emergency rollback (the row: harness/scenarios/functionality-broken.scenario.ts).
import { defineRowSuite } from '../scenario-suite.ts';

await defineRowSuite('emergency', 'functionality-broken');
