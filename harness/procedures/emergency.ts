// Emergency rollback (runbook: scripts/emergency-rollback.sh), target < 5 min.
// seed: the script as written, with only the corrections a responder is forced to make for
// kubectl to accept it (each recorded as a confirmed finding). hardened: what the drill proves
// the script is missing — freeze writes, copy PostgreSQL → SQLite with verification, switch only
// to ready pods, verify the engine actually serving.
import { isNotFound } from '../platform/kube-errors.ts';
import { TOPOLOGY } from '../platform/manifests.ts';
import { insertBefore, type Procedure } from '../drill/procedure.ts';
import { recordFinding, type ProcedureContext } from './context.ts';
import {
  assertSynced,
  observeMissingClaim,
  postgresAcceptsConnections,
  POSTGRES_PODS,
  runSyncJob,
  scaleToZero,
  selectorOf,
  sleep,
  sqliteDeployment,
  verifyServedBy,
} from './actions.ts';
import { runOperatorCurl, UNREACHABLE_EXITS } from './operator-curl.ts';
import { emergencyDeployment, nonStringLabels, quoteLabels, RUNBOOK, withClaim } from './runbook-manifests.ts';

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
          await ctx.platform.apply(manifest);
          const missing = await observeMissingClaim(ctx.platform, NS, selectorOf(manifest), RUNBOOK.claim, 8_000, signal);
          if (missing) {
            recordFinding(ctx, 'claimName', `pods Pending: ${missing}`, true);
            await ctx.platform.apply(withClaim(manifest, TOPOLOGY.sqlitePvc));
            notes.push(`claim ${RUNBOOK.claim} not found, re-applied with ${TOPOLOGY.sqlitePvc}`);
          }
          ctx.state.sqliteDeployment = RUNBOOK.emergencyDeployment;
          return notes.join('; ') || 'applied as written';
        },
      },
      {
        id: 'step-2-scale-down-postgres-app',
        name: 'Step 2: scale down PostgreSQL application',
        budgetMs: 30_000,
        onFailure: 'continue',
        async run(ctx) {
          await ctx.platform.scale(NS, RUNBOOK.deployment, 0);
          return `deployment/${RUNBOOK.deployment} scaled to 0`;
        },
      },
      {
        id: 'step-3-scale-up-sqlite',
        name: 'Step 3: scale up SQLite backup deployment',
        budgetMs: 30_000,
        onFailure: 'continue',
        async run(ctx) {
          await ctx.platform.scale(NS, RUNBOOK.emergencyDeployment, 3);
          return `deployment/${RUNBOOK.emergencyDeployment} scaled to 3`;
        },
      },
      {
        id: 'step-4-switch-selector',
        name: 'Step 4: update service selector',
        budgetMs: 10_000,
        onFailure: 'continue',
        async run(ctx) {
          await ctx.platform.patchServiceSelector(NS, RUNBOOK.service, { ...RUNBOOK.emergencySelector });
          ctx.journal.write({ type: 'marker', name: 'selector-switch', detail: JSON.stringify(RUNBOOK.emergencySelector) });
          return `selector → ${JSON.stringify(RUNBOOK.emergencySelector)}`;
        },
      },
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

export const HARDENED_SQLITE = 'hyperpage-sqlite';
export const ENGINE_SELECTOR = {
  postgres: { app: 'hyperpage', component: 'app', engine: 'postgres' },
  sqlite: { app: 'hyperpage', component: 'app', engine: 'sqlite' },
} as const;

export function hardenedEmergency(): Procedure<ProcedureContext> {
  return {
    name: 'emergency',
    variant: 'hardened',
    steps: [
      {
        id: 'pin-service-to-postgres',
        name: 'Pin the service to the PostgreSQL pods',
        budgetMs: 5_000,
        async run(ctx) {
          // The runbook's SQLite pods carry the service's own labels and would take traffic the moment they start.
          await ctx.platform.patchServiceSelector(NS, TOPOLOGY.appService, { ...ENGINE_SELECTOR.postgres });
          return `selector → ${JSON.stringify(ENGINE_SELECTOR.postgres)}`;
        },
      },
      {
        id: 'start-sqlite',
        name: 'Start the SQLite deployment (3 replicas, out of the service)',
        budgetMs: 15_000,
        async run(ctx) {
          await ctx.platform.apply(
            sqliteDeployment({
              name: HARDENED_SQLITE,
              image: ctx.image,
              replicas: 3,
              labels: { ...ENGINE_SELECTOR.sqlite },
              readiness: { initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 2 },
            }),
          );
          ctx.state.sqliteDeployment = HARDENED_SQLITE;
          return `deployment/${HARDENED_SQLITE} applied, claim ${TOPOLOGY.sqlitePvc}`;
        },
      },
      freezeWritesStep(),
      copyPostgresToSqliteStep(),
      {
        id: 'wait-sqlite-ready',
        name: 'Wait for SQLite 3/3 ready',
        budgetMs: 60_000,
        async run(ctx, signal) {
          const s = await ctx.platform.waitForReady(NS, HARDENED_SQLITE, 3, {
            timeoutMs: 60_000,
            signal,
            onProgress: (st) => ctx.progress(`    ${HARDENED_SQLITE}: ${st.readyReplicas}/3 ready`),
          });
          return `${s.readyReplicas}/3 ready`;
        },
      },
      switchToSqliteStep(),
      verifyEngineStep(),
    ],
  };
}

export function freezeWritesStep(): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'freeze-writes',
    name: 'Freeze writes: scale the PostgreSQL app to 0 and wait for it to drain',
    budgetMs: 45_000,
    async run(ctx, signal) {
      const ms = await scaleToZero(ctx.platform, TOPOLOGY.appDeployment, ENGINE_SELECTOR.postgres, 45_000, signal);
      return `deployment/${TOPOLOGY.appDeployment} at 0, drained in ${ms} ms`;
    },
  };
}

/**
 * Copies every table PostgreSQL → SQLite with verification (the data-recovery procedure as a step).
 * Server down: salvage from its data directory. Server up but refusing the app's credentials
 * (revoked): cut it off, then salvage. A table missing on PostgreSQL (dropped) is left as SQLite has it.
 */
export function copyPostgresToSqliteStep(): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'copy-postgres-to-sqlite',
    name: 'Copy PostgreSQL → SQLite and verify counts and checksums',
    budgetMs: 120_000,
    async run(ctx, signal) {
      let how = 'sync';
      let r = (await postgresAcceptsConnections(ctx.platform, signal))
        ? await runSyncJob(ctx, ['sync', '--from', 'postgres', '--to', 'sqlite', '--mode', 'mirror', '--skip-missing', '--json'], { mountPostgresData: false, signal })
        : undefined;
      if (r && !r.res.succeeded && /authentication failed|password/i.test(r.res.logs)) {
        ctx.progress('    PostgreSQL refuses the app credentials: cutting it off, then salvaging from its data directory');
        await scaleToZero(ctx.platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 60_000, signal);
        r = undefined;
        how = 'credentials refused → PostgreSQL cut off, salvage from data directory';
      } else if (!r) how = 'salvage from data directory';
      r ??= await runSyncJob(ctx, ['salvage', '--pgdata', '/pgdata/pgdata', '--to', 'sqlite', '--mode', 'mirror', '--json'], { mountPostgresData: true, signal });
      ctx.state.sync = r.out;
      const out = assertSynced(how, r);
      const rows = out.tables.map((t) => `${t.name}=${t.targetRows}`).join(' ');
      const skipped = out.skipped?.length ? `; missing on PostgreSQL, kept from SQLite: ${out.skipped.join(', ')}` : '';
      return `${how}: ${out.rows} rows in ${out.durationMs} ms, verified (${rows})${skipped}`;
    },
  };
}

/** Security incident: nothing may keep reaching PostgreSQL once the service runs on SQLite. */
export function cutOffPostgresStep(): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'cut-off-postgres',
    name: 'Cut PostgreSQL off: scale it to 0 and wait until it is gone',
    budgetMs: 60_000,
    async run(ctx, signal) {
      const ms = await scaleToZero(ctx.platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 55_000, signal);
      return `deployment/${TOPOLOGY.postgresDeployment} at 0, gone in ${ms} ms`;
    },
  };
}

/** The hardened emergency rollback for a security incident: PostgreSQL is cut off before the switch. */
export function hardenedSecurityEmergency(): Procedure<ProcedureContext> {
  return insertBefore(hardenedEmergency(), 'switch-to-sqlite', cutOffPostgresStep());
}

export function switchToSqliteStep(): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'switch-to-sqlite',
    name: 'Switch the service to SQLite',
    budgetMs: 5_000,
    async run(ctx) {
      await ctx.platform.patchServiceSelector(NS, TOPOLOGY.appService, { ...ENGINE_SELECTOR.sqlite });
      ctx.journal.write({ type: 'marker', name: 'selector-switch', detail: JSON.stringify(ENGINE_SELECTOR.sqlite) });
      return `selector → ${JSON.stringify(ENGINE_SELECTOR.sqlite)}`;
    },
  };
}

export function verifyEngineStep(timeoutMs = 30_000): Procedure<ProcedureContext>['steps'][number] {
  return {
    id: 'verify-engine',
    name: 'Verify through the service: healthy and served by SQLite',
    budgetMs: timeoutMs,
    async run(ctx, signal) {
      return verifyServedBy(ctx.serviceUrl, 'sqlite', { consecutive: 5, timeoutMs, signal });
    },
  };
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
