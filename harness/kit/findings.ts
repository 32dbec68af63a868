// The runbook's findings: what the drill proves wrong in it, each with the checks the seed variant is
// expected to fail because of it (the gate's expected failures), and recordFinding, which journals one.
import type { CheckId, ExpectedFailure } from '../model/findings.ts';
import type { FindingSpec } from '../model/findings.ts';
import type { ProcedureContext } from '../model/context.ts';

/** Runbook findings the drill checks; `confirmed` only when a measurement showed it. */
export const FINDINGS = {
  labelBoolean: {
    id: 'runbook-label-boolean',
    title: 'The emergency manifest writes the label `emergency: true` unquoted: a YAML boolean the API server rejects, so step 1 fails as written',
  },
  claimName: {
    id: 'runbook-claim-name',
    title: 'The runbook mounts claim "hyperpage-pvc"; the real claim is "hyperpage-data-pvc"',
  },
  noDataFlow: {
    id: 'runbook-no-data-flow',
    title: 'No data flows PostgreSQL → SQLite: writes made after the forward migration are lost, yet the script prints "No data loss occurred"',
    // Every seed rollback (emergency and planned) switches to a SQLite file that never saw them.
    expectedFailures: seedFails('criterion:data-integrity'),
  },
  postgresNotCutOff: {
    id: 'runbook-postgres-not-cut-off',
    title: 'The emergency rollback only scales the app: PostgreSQL keeps running with its credentials, so in a security incident nothing cuts it off',
    expectedFailures: [{ check: 'criterion:security-validation', variant: 'seed', scenarios: ['security-incident'] }],
  },
  clusterDns: {
    id: 'runbook-cluster-dns',
    title: 'Health checks use cluster DNS (hyperpage-service.hyperpage.svc.cluster.local), unreachable from where the script runs',
    // Checklist items 1, 3 and 5 curl the cluster DNS name from the operator's shell, and so does
    // the emergency script's own health check (step 5b).
    expectedFailures: seedFails('step:emergency:step-5b-health', 'checklist:1', 'checklist:3', 'checklist:5'),
  },
  healthIgnoresEngine: {
    id: 'runbook-health-proves-nothing',
    title: '"Health check passed" does not say which engine serves: the drill checks the engine actually in use',
  },
  engineFallback: {
    id: 'app-engine-fallback',
    title: 'DB_ENGINE values other than exactly "postgres"/"sqlite" must fail at start, not fall back to SQLite silently',
  },
  appHealthBlind: {
    id: 'app-health-blind',
    title: 'Health check does not reflect the database: the health endpoint answered 200 healthy while PostgreSQL was unreachable for the app',
  },
  rateLimitTest: {
    id: 'runbook-rate-limit-test',
    title: '/api/rate-limit/test is not a platform: the app answers 400; the checklist ignores that',
  },
  execScaledDeployment: {
    id: 'runbook-exec-scaled-deployment',
    title: 'The validation checklist execs into deployment/hyperpage, which the rollback scaled to 0',
    // Checklist items 2 and 4 run through `kubectl exec deployment/hyperpage`.
    expectedFailures: seedFails('checklist:2', 'checklist:4'),
  },
  plannedNoReadiness: {
    id: 'runbook-planned-no-readiness',
    title: 'The planned rollback deployment has no readiness probe, and its labels match the live service selector: it takes traffic before it is ready',
  },
  plannedDropsFeatureFlags: {
    id: 'runbook-planned-drops-feature-flags',
    title:
      "The planned rollback's SQLite deployment sets only NODE_ENV, DB_ENGINE and DATABASE_PATH (the emergency one also sets ENABLE_RATE_LIMITING, ENABLE_GITHUB, ENABLE_GITLAB, ENABLE_JIRA): after it the tool integrations and rate limits answer enabled=false. The differential replay sees it; feature checks that only ask for a boolean do not",
    // Measured on the reference app, whose deployment turns them on (its profile's extraEnv).
    expectedFailures: [{ check: 'criterion:functionality', variant: 'seed', scenarios: ['performance-issues', 'maintenance-window'] }],
  },
  hostBackupPath: {
    id: 'runbook-host-backup-path',
    title: 'The planned rollback backs up /data/hyperpage.db on the machine running the script, not in the pod: the SQLite backup silently does not happen',
  },
  recoveryToTmp: {
    id: 'runbook-recovery-to-tmp',
    title: 'The data-recovery script dumps to /tmp inside a throwaway pod: nothing reaches SQLite',
    expectedFailures: seedFails('data-recovery'),
  },
  capacityDrop: {
    id: 'app-capacity-drop',
    title: 'After the rollback the service takes less than half the traffic it took before the fault (closed-loop capacity, not a runbook criterion)',
  },
  faultOnRollbackPath: {
    id: 'planned-rollback-out-of-a-fault',
    title:
      'A planned rollback out of a fault is not judged for failed reads, the write freeze and alerts: the fault is in place until the switch (reads PostgreSQL serves may fail meanwhile, and fire triggers), and the copy runs through it (the freeze lasts as long as that copy). The maintenance window, with nothing broken, is judged for all three',
    // Recorded with its measurements where a planned row has a fault (drill/outcome.ts): the
    // no-failed-read and freeze criteria are judged on the rows without one (maintenance window).
  },
  behaviourChanged: {
    id: 'app-behaviour-changed',
    title: 'After the rollback the service answers a request differently from PostgreSQL (differential replay: a field, a status, a list order, a format or a case changed with the engine)',
  },
  engineHeaderLies: {
    id: 'app-engine-header-disagrees',
    title: 'The app names an engine other than the one its acknowledged writes landed in: its engine header cannot be trusted',
  },
} as const satisfies Record<string, FindingSpec>;

export type FindingKey = keyof typeof FINDINGS;

export function recordFinding(ctx: Pick<ProcedureContext, 'journal'>, key: FindingKey, detail: string, confirmed: boolean): void {
  const f = FINDINGS[key];
  ctx.journal.write({ type: 'finding', id: f.id, title: f.title, detail, confirmed });
}
// What every procedure step gets: the platform to act on, the journal to record into, and the
// run's settings. Steps share what they decided through its typed `state` (e2e-framework style).

/** The runbook as written fails these checks in every scenario that evaluates them. */
function seedFails(...checks: CheckId[]): ExpectedFailure[] {
  return checks.map((check) => ({ check, variant: 'seed' }));
}
