// Decision matrix: maintenance window — medium, planned rollback, < 60 min, full validation.
import { defineScenarioSuite } from '../scenario-suite.ts';

defineScenarioSuite('maintenance-window');
