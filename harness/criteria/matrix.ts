// The runbook's success criteria, as data, and the vocabulary of its decision matrix. Each row of
// the matrix is a scenario spec of its own (harness/scenarios/*.scenario.ts).
const MIN = 60_000;

/** "Success Criteria": the runbook's numbers. */
export const SUCCESS_CRITERIA = {
  emergencyRollbackMs: 5 * MIN,
  plannedRollbackMs: 30 * MIN,
  lostWrites: 0,
  p99LatencyMs: 500,
  /** Errors + non-2xx the load after the rollback may have (a fast error is not a fast answer). */
  errorBudget: 0.01,
  /** Alerts cleared within 10 minutes of the rollback (scaled by --time-scale). */
  alertsClearedMs: 10 * MIN,
} as const;

/**
 * What the hardened planned rollback promises beyond the runbook (a maintenance window nobody
 * notices): no read fails, writes are refused for under a second, no alert fires. The seed runbook
 * never promised these: it is judged by the runbook's own criteria, its downtime shown as measured.
 */
export const PLANNED_NO_IMPACT = {
  failedReads: 0,
  writeFreezeMs: 1_000,
  alertsFired: 0,
} as const;
