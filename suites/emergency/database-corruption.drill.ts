// Decision matrix: database corruption, drilled by its emergency rollback (the row: harness/scenarios/database-corruption.scenario.ts).
import { defineRowSuite } from '../scenario-suite.ts';

await defineRowSuite('emergency', 'database-corruption');
