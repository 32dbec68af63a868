// Decision matrix: functionality broken — high, emergency rollback, < 15 min, feature test.
import { functionalityBroken } from '../faults/functionality-broken.ts';
import { EMERGENCY } from './procedures.ts';
import { defineScenario } from './spec.ts';

export default defineScenario({
  name: 'functionality-broken',
  title: 'functionality broken',
  severity: 'high',
  budgetMs: 15 * 60_000,
  method: 'emergency',
  validation: 'feature test',
  fault: functionalityBroken,
  procedures: EMERGENCY,
  // "Major functionality broken" is a manual trigger in the runbook: none expected.
  expectedTriggers: [],
  assertions: [
    {
      title: "the fault took effect (PostgreSQL's catalog no longer lists the table)",
      check: (o) => ({ holds: /^pg_catalog: no table \w+ in database hyperpage; \d+ others remain/.test(o.faultEvidence), measured: o.faultEvidence }),
    },
  ],
});
