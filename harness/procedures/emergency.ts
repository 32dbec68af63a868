// Emergency rollback (runbook: scripts/emergency-rollback.sh), target < 5 min.
// seed: the script as written, with only the corrections a responder is forced to make for
// kubectl to accept it (each recorded as a confirmed finding). hardened: what the drill proves
// the script is missing — freeze writes, copy PostgreSQL → SQLite with verification, switch only
// to ready pods, verify the engine actually serving.
import { isNotFound } from '../platform/kube-errors.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { insertBefore } from '../kit/step-ids.ts';
import { type Procedure } from '../model/procedure.ts';
import { recordFinding } from '../kit/findings.ts';
import { type ProcedureContext } from '../model/context.ts';
import { sleep } from '../kit/wait.ts';
import { runOperatorCurl, UNREACHABLE_EXITS } from './operator-curl.ts';
import { emergencyDeployment, nonStringLabels, quoteLabels, RUNBOOK } from './runbook-manifests.ts';
import { applyFixingClaim, applyHardenedSqlite, copyPostgresToSqliteStep, cutOffPostgresStep, freezeWritesStep, HARDENED_SQLITE, pinServiceToPostgresStep, scaleStep, selectorStep, switchToSqliteStep, verifyEngineStep, waitHardenedSqliteReady } from './steps.ts';

// The hardened steps were first written here; other modules import them from here too.
export {
  copyPostgresToSqliteStep,
  cutOffPostgresStep,
  ENGINE_SELECTOR,
  freezeWritesStep,
  HARDENED_SQLITE,
  switchToSqliteStep,
  verifyEngineStep,
} from './steps.ts';

const NS = TOPOLOGY.namespace;

export function seedEmergency(): Procedure<ProcedureContext> {
  return {
    name: 'emergency',
    variant: 'seed',
    steps: [
      {
        id: 'step-1-create-sqlite',
        name: 'Step 1: create emergency SQLite deployment',
        budgetMs: 30_000,
        onFailure: 'continue',
        async run(ctx, signal) {
          const notes: string[] = [];
          let manifest = emergencyDeployment(ctx.image, NS);
          const bad = nonStringLabels(manifest);
          if (bad.length > 0) {
            let rejected = '';
            try {
              await ctx.platform.apply(manifest);
            } catch (err) {
              rejected = (err as Error).message;
            }
            recordFinding(
              ctx,
              'labelBoolean',
              rejected ? `apply rejected: ${rejected}` : `label values are not strings: ${bad.join(', ')} (Kubernetes labels are map[string]string)`,
              true,
            );
            manifest = quoteLabels(manifest);
            notes.push('labels quoted after rejection');
          }
          const fixed = await applyFixingClaim(ctx, manifest, signal);
          if (fixed) notes.push(fixed);
          ctx.state.sqliteDeployment = RUNBOOK.emergencyDeployment;
          return notes.join('; ') || 'applied as written';
        },
      },
      scaleStep({ id: 'step-2-scale-down-postgres-app', name: 'Step 2: scale down PostgreSQL application', budgetMs: 30_000, onFailure: 'continue' }, RUNBOOK.deployment, 0),
      scaleStep({ id: 'step-3-scale-up-sqlite', name: 'Step 3: scale up SQLite backup deployment', budgetMs: 30_000, onFailure: 'continue' }, RUNBOOK.emergencyDeployment, 3),
      selectorStep(
        { id: 'step-4-switch-selector', name: 'Step 4: update service selector', budgetMs: 10_000, onFailure: 'continue' },
        RUNBOOK.service,
        RUNBOOK.emergencySelector,
        'switch',
      ),
      {
        id: 'step-5a-wait-ready',
        name: 'Step 5a: wait for 3 ready pods (10 × 10 s)',
        budgetMs: 100_000,
        onFailure: 'continue',
        async run(ctx, signal) {
          // As written: check, then sleep 10 s, at most 10 times; it never fails the script.
          for (let i = 1; i <= 10; i++) {
            // A missing deployment is NotFound (Platform contract): kubectl get fails, READY is empty, the loop goes on.
            const s = await ctx.platform.getDeploymentStatus(NS, RUNBOOK.emergencyDeployment).catch((err: unknown) => {
              if (isNotFound(err)) return { readyReplicas: 0 };
              throw err;
            });
            if (s.readyReplicas === 3) return `ready 3/3 at check ${i}`;
            if (i < 10) await sleep(10_000, signal);
          }
          throw new Error('not 3/3 ready after 10 checks; the script goes on regardless');
        },
      },
      clusterDnsHealthStep(),
      {
        id: 'final-status',
        name: 'Final status (script claims "No data loss occurred")',
        budgetMs: 1_000,
        onFailure: 'continue',
        async run(ctx) {
          ctx.journal.write({
            type: 'log',
            level: 'warn',
            message: 'the runbook script prints "Health checks passed" and "No data loss occurred" unconditionally; the drill checks both',
          });
          return 'claims recorded for the ledger to check';
        },
      },
    ],
  };
}

export function hardenedEmergency(): Procedure<ProcedureContext> {
  return {
    name: 'emergency',
    variant: 'hardened',
    steps: [
      pinServiceToPostgresStep(),
      {
        id: 'start-sqlite',
        name: 'Start the SQLite deployment (3 replicas, out of the service)',
        budgetMs: 15_000,
        async run(ctx) {
          await applyHardenedSqlite(ctx, 3);
          return `deployment/${HARDENED_SQLITE} applied, claim ${TOPOLOGY.sqlitePvc}`;
        },
      },
      freezeWritesStep(),
      copyPostgresToSqliteStep(),
      {
        id: 'wait-sqlite-ready',
        name: 'Wait for SQLite 3/3 ready',
        budgetMs: 60_000,
        run: (ctx, signal) => waitHardenedSqliteReady(ctx, 3, 60_000, signal),
      },
      switchToSqliteStep(),
      verifyEngineStep(),
    ],
  };
}

/** The hardened emergency rollback for a security incident: PostgreSQL is cut off before the switch. */
export function hardenedSecurityEmergency(): Procedure<ProcedureContext> {
  return insertBefore(hardenedEmergency(), 'switch-to-sqlite', cutOffPostgresStep());
}

/** The runbook's step 5b options: `curl -f -s -o /dev/null -w "%{http_code}" URL || echo "000"`. */
export const HEALTH_CURL_ARGS = ['-f', '-s', '-o', '/dev/null', '-w', '%{http_code}'] as const;

/**
 * Step 5b as the script runs it: curl of the cluster DNS URL from the operator's shell (a process
 * on this host, not a pod), with its real exit code and output. `url` is injectable for tests.
 */
export function clusterDnsHealthStep(url: string = RUNBOOK.healthUrl): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'step-5b-health',
    name: 'Step 5b: health endpoint (cluster DNS URL)',
    budgetMs: 15_000,
    onFailure: 'continue',
    async run(ctx, signal) {
      const r = await runOperatorCurl(HEALTH_CURL_ARGS, url, { maxTimeSec: 5, signal });
      if (r.notInstalled) throw new Error(r.outcome);
      if (!r.ran) {
        // Resolves off this host: the runbook's premise holds here; the drill does not contact it.
        recordFinding(ctx, 'clusterDns', `${url}: ${r.outcome}`, false);
        return r.outcome;
      }
      // `$(curl … -w "%{http_code}" || echo "000")`: on a failing curl the script's variable holds both outputs.
      const printed = r.exitCode === 0 ? r.stdout : `${r.stdout}000`;
      if (r.exitCode === 0 && r.stdout === '200') {
        recordFinding(ctx, 'clusterDns', `reachable from this host: ${r.outcome}`, false);
        return `${r.outcome}; the script prints "Health check passed"`;
      }
      if (UNREACHABLE_EXITS.has(r.exitCode!)) recordFinding(ctx, 'clusterDns', r.outcome, true);
      throw new Error(`${r.outcome}; the script prints "Health check failed - HTTP ${printed}" and continues`);
    },
  };
}
