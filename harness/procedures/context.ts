// What every procedure step gets: the platform to act on, the journal to record into, and the
// run's settings. Steps share findings and scratch values through it (e2e-framework style).
import type { DrillConfig } from '../config/schema.ts';
import type { Journal } from '../journal/journal.ts';
import type { Platform } from '../platform/types.ts';

export interface ProcedureContext {
  platform: Platform;
  journal: Journal;
  config: DrillConfig;
  runId: string;
  /** Folder of this run's report: backups and artifacts land here. */
  runDir: string;
  /** Host-reachable URL of the app's Service (through the service proxy / NodePort). */
  serviceUrl: string;
  /** App image the procedures deploy. */
  image: string;
  progress(line: string): void;
  /** Scratch shared between steps of one procedure run (e.g. the claim the responder ended up using). */
  scratch: Map<string, unknown>;
}

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
  },
  clusterDns: {
    id: 'runbook-cluster-dns',
    title: 'Health checks use cluster DNS (hyperpage-service.hyperpage.svc.cluster.local), unreachable from where the script runs',
  },
  healthIgnoresEngine: {
    id: 'runbook-health-proves-nothing',
    title: '"Health check passed" does not say which engine serves: the drill checks the engine actually in use',
  },
  engineFallback: {
    id: 'app-engine-fallback',
    title: 'DB_ENGINE values other than exactly "postgres"/"sqlite" must fail at start, not fall back to SQLite silently',
  },
  rateLimitTest: {
    id: 'runbook-rate-limit-test',
    title: '/api/rate-limit/test is not a platform: the app answers 400; the checklist ignores that',
  },
  execScaledDeployment: {
    id: 'runbook-exec-scaled-deployment',
    title: 'The validation checklist execs into deployment/hyperpage, which the rollback scaled to 0',
  },
  plannedNoReadiness: {
    id: 'runbook-planned-no-readiness',
    title: 'The planned rollback deployment has no readiness probe, and its labels match the live service selector: it takes traffic before it is ready',
  },
  hostBackupPath: {
    id: 'runbook-host-backup-path',
    title: 'The planned rollback backs up /data/hyperpage.db on the machine running the script, not in the pod: the SQLite backup silently does not happen',
  },
  recoveryToTmp: {
    id: 'runbook-recovery-to-tmp',
    title: 'The data-recovery script dumps to /tmp inside a throwaway pod: nothing reaches SQLite',
  },
} as const;

export type FindingKey = keyof typeof FINDINGS;

export function recordFinding(ctx: Pick<ProcedureContext, 'journal'>, key: FindingKey, detail: string, confirmed: boolean): void {
  const f = FINDINGS[key];
  ctx.journal.write({ type: 'finding', id: f.id, title: f.title, detail, confirmed });
}
