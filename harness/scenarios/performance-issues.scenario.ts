// Decision matrix: performance issues — high, planned rollback, < 30 min, performance test.
import { performanceIssues } from '../faults/performance-issues.ts';
import { PLANNED } from './procedures.ts';
import { defineScenario } from './spec.ts';

export default defineScenario({
  name: 'performance-issues',
  title: 'performance issues',
  severity: 'high',
  budgetMs: 30 * 60_000,
  method: 'planned',
  validation: 'performance test',
  fault: performanceIssues,
  procedures: PLANNED,
  // "User impact" is a manual trigger in the runbook: none expected.
  expectedTriggers: [],
  phases: ['load-faulted'],
  assertions: [
    {
      title: 'p99 above 500 ms with the fault in place, below 500 ms after the rollback',
      check: ({ load: { faulted, after } }) => ({
        holds: faulted !== undefined && after !== undefined && faulted.p99 > 500 && after.p99 < 500,
        measured: `p99 with the fault ${faulted?.p99 ?? 'not measured'} ms, after the rollback ${after?.p99 ?? 'not measured'} ms`,
      }),
    },
  ],
});
