// The runbook steps the emergency and planned procedures share, written once: each procedure keeps
// its own step list (ids and prose are its own, the ids stable), and builds the steps from here.
import type { V1Deployment } from '@kubernetes/client-node';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Step } from '../model/procedure.ts';
import { recordFinding } from '../kit/findings.ts';
import { type ProcedureContext } from '../model/context.ts';
import { observeMissingClaim, sqliteDeployment, verifyServedBy } from './actions.ts';
import { postgresAcceptsConnections, POSTGRES_PODS, scaleToZero, selectorOf } from '../kit/pods.ts';
import { RUNBOOK, withClaim } from './runbook-manifests.ts';
import { namesEngine, verifySqliteFromOutside } from './verify-engine.ts';
import type { CopyResult, SalvageResult } from '../../datatool/contract.ts';
import { FREEZE_SQLSTATE, freezeWrites, thawWrites } from '../kit/write-freeze.ts';
import { assertCopied, copyToSqlite, presentTablesOrAll, salvageToSqlite, tableRows, tablesAmong, type DataToolRun } from '../kit/data-tool.ts';

const NS = TOPOLOGY.namespace;
type S = Step<ProcedureContext>;
/** What names a step in its procedure: the stable id, the prose, the budget and `set -e` or not. */
export type StepHead = Pick<S, 'id' | 'name' | 'budgetMs' | 'onFailure'>;

export const HARDENED_SQLITE = 'hyperpage-sqlite';
export const ENGINE_SELECTOR = {
  postgres: { app: 'hyperpage', component: 'app', engine: 'postgres' },
  sqlite: { app: 'hyperpage', component: 'app', engine: 'sqlite' },
} as const;

// ---- the runbook's own commands (seed variants) ----

/** `kubectl scale deployment NAME --replicas=N`. */
export function scaleStep(head: StepHead, deployment: string, replicas: number): S {
  return {
    ...head,
    async run(ctx) {
      await ctx.platform.scale(NS, deployment, replicas);
      return `deployment/${deployment} scaled to ${replicas}`;
    },
  };
}

/**
 * `kubectl patch service … selector`. `marker`: this is the rollback's switch, journalled as the
 * 'selector-switch' marker the timeline and the downtime window are measured against.
 */
export function selectorStep(head: StepHead, service: string, selector: Readonly<Record<string, string>>, marker: 'switch' | 'no-marker'): S {
  return {
    ...head,
    async run(ctx) {
      await ctx.platform.patchServiceSelector(NS, service, { ...selector });
      if (marker === 'switch') {
        ctx.state.switchedAt = Date.now();
        ctx.journal.write({ type: 'marker', name: 'selector-switch', detail: JSON.stringify(selector) });
      }
      return `selector → ${JSON.stringify(selector)}`;
    },
  };
}

/**
 * Applies a runbook deployment; when its pods stay Pending for want of the runbook's claim name, records
 * the finding and re-applies with the real claim, as a responder would. Returns what was corrected.
 */
export async function applyFixingClaim(ctx: ProcedureContext, manifest: V1Deployment, signal: AbortSignal): Promise<string | undefined> {
  await ctx.platform.apply(manifest);
  const missing = await observeMissingClaim(ctx.platform, NS, selectorOf(manifest), RUNBOOK.claim, 8_000, signal);
  if (!missing) return undefined;
  recordFinding(ctx, 'claimName', `pods Pending: ${missing}`, true);
  await ctx.platform.apply(withClaim(manifest, TOPOLOGY.sqlitePvc));
  return `claim ${RUNBOOK.claim} not found, re-applied with ${TOPOLOGY.sqlitePvc}`;
}

// ---- what the drill proves the runbook is missing (hardened variants) ----

/** The runbook's SQLite pods carry the service's own labels and would take traffic the moment they start. */
export function pinServiceToPostgresStep(): S {
  return selectorStep(
    { id: 'pin-service-to-postgres', name: 'Pin the service to the PostgreSQL pods', budgetMs: 5_000 },
    TOPOLOGY.appService,
    ENGINE_SELECTOR.postgres,
    'no-marker',
  );
}

/** The app in SQLite mode on the real claim, labelled out of the service until the switch, probed fast. */
export async function applyHardenedSqlite(ctx: ProcedureContext, replicas: number): Promise<void> {
  await ctx.platform.apply(
    sqliteDeployment({
      name: HARDENED_SQLITE,
      image: ctx.image,
      target: ctx.target,
      replicas,
      labels: { ...ENGINE_SELECTOR.sqlite },
      readiness: { initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 2 },
    }),
  );
  ctx.state.sqliteDeployment = HARDENED_SQLITE;
}

/** Waits for `replicas` ready pods of the hardened SQLite deployment; returns "N/M ready". */
export async function waitHardenedSqliteReady(ctx: ProcedureContext, replicas: number, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const s = await ctx.platform.waitForReady(NS, HARDENED_SQLITE, replicas, {
    timeoutMs,
    signal,
    onProgress: (st) => ctx.progress(`    ${HARDENED_SQLITE}: ${st.readyReplicas}/${replicas} ready`),
  });
  return `${s.readyReplicas}/${replicas} ready`;
}

/** Scales a deployment to 0 and waits until its pods are gone: `done` says what that means for the step. */
function scaleToZeroStep(head: StepHead, deployment: string, selector: Readonly<Record<string, string>>, timeoutMs: number, done: string): S {
  return {
    ...head,
    async run(ctx, signal) {
      const ms = await scaleToZero(ctx.platform, deployment, selector, timeoutMs, signal);
      return `deployment/${deployment} at 0, ${done} in ${ms} ms`;
    },
  };
}

/** The PostgreSQL app scaled to 0, waited for until its pods are gone (their in-flight requests answered). */
const drainPostgresApp = (head: Pick<StepHead, 'id' | 'name'>): S => scaleToZeroStep({ ...head, budgetMs: 45_000 }, TOPOLOGY.appDeployment, ENGINE_SELECTOR.postgres, 45_000, 'drained');

/** The emergency rollback's freeze: the PostgreSQL app stopped (PostgreSQL itself is down or must not be trusted). */
export function freezeWritesStep(): S {
  return drainPostgresApp({ id: 'freeze-writes', name: 'Freeze writes: scale the PostgreSQL app to 0 and wait for it to drain' });
}

/**
 * The planned rollback's freeze: PostgreSQL refuses every write from here on while the app keeps
 * serving reads from it (kit/write-freeze.ts says why no write can be acknowledged after the copy's
 * snapshot). The undo is registered before the freeze is asked for, so an interrupt halfway undoes it too.
 */
export function freezeWritesAtDatabaseStep(): S {
  return {
    id: 'freeze-writes-at-database',
    name: 'Freeze writes at the database (PostgreSQL refuses every write, reads go on)',
    budgetMs: 20_000,
    async run(ctx, signal) {
      ctx.undoOnFailure('the write freeze on PostgreSQL', () => thawWrites({ platform: ctx.platform }));
      const startedAt = Date.now();
      ctx.journal.write({ type: 'marker', name: 'write-freeze', detail: 'asked for' });
      const frozen = await freezeWrites({ platform: ctx.platform, signal });
      const frozenAt = Date.now();
      ctx.state.freeze = { startedAt, frozenAt, tables: frozen.length, frozen };
      ctx.journal.write({ type: 'marker', name: 'write-freeze', detail: `${frozen.length} tables frozen in ${frozenAt - startedAt} ms` });
      return `${frozen.length} tables refuse writes (SQLSTATE ${FREEZE_SQLSTATE}) from ${frozenAt - startedAt} ms after the step began; reads go on`;
    },
  };
}

/** After the switch: the PostgreSQL app, out of the Service, scaled down once its in-flight requests are answered. */
export function drainPostgresAppStep(): S {
  return drainPostgresApp({ id: 'drain-postgres-app', name: 'Scale the PostgreSQL app down, its in-flight requests drained' });
}

/**
 * Copies every mapped table PostgreSQL → SQLite with drill-data (mirror: each table ends equal to
 * PostgreSQL's), verified by counts and checksums. Server down: salvage from its data directory.
 * Server up but refusing the app's credentials (revoked): cut it off, then salvage. A mapped table
 * missing on PostgreSQL (dropped) is left as SQLite has it.
 */
export function copyPostgresToSqliteStep(): S {
  return {
    id: 'copy-postgres-to-sqlite',
    name: 'Copy PostgreSQL → SQLite and verify counts and checksums',
    budgetMs: 120_000,
    async run(ctx, signal) {
      let how = 'copy';
      let skipped: string[] = [];
      let r: DataToolRun<CopyResult | SalvageResult> | undefined;
      // After a write freeze, PostgreSQL has just answered with every table it has: no need to ask
      // again (each exec is on the freeze's clock).
      const frozen = ctx.state.freeze?.frozen;
      if (frozen || (await postgresAcceptsConnections(ctx.platform, signal))) {
        const listed = frozen ? tablesAmong(ctx.target.mapping, frozen) : await presentTablesOrAll(ctx, signal);
        skipped = listed?.missing ?? [];
        r = await copyToSqlite(ctx, { mode: 'mirror', tables: listed?.present, signal });
        if (!r.res.succeeded && /authentication failed|password/i.test(r.res.logs)) {
          ctx.progress('    PostgreSQL refuses the app credentials: cutting it off, then salvaging from its data directory');
          await scaleToZero(ctx.platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 60_000, signal);
          r = undefined;
          skipped = [];
          how = 'credentials refused → PostgreSQL cut off, salvage from data directory';
        }
      } else how = 'salvage from data directory';
      r ??= await salvageToSqlite(ctx, { mode: 'mirror', signal });
      ctx.state.copy = r.out;
      const out = assertCopied(`drill-data ${how}`, r);
      const kept = skipped.length ? `; missing on PostgreSQL, kept from SQLite: ${skipped.join(', ')}` : '';
      return `drill-data ${how} (${out.mode}): ${out.rows} rows in ${out.copyMs + out.verifyMs} ms, verified (${tableRows(out)})${kept}`;
    },
  };
}

/** Security incident: nothing may keep reaching PostgreSQL once the service runs on SQLite. */
export function cutOffPostgresStep(): S {
  return scaleToZeroStep(
    { id: 'cut-off-postgres', name: 'Cut PostgreSQL off: scale it to 0 and wait until it is gone', budgetMs: 60_000 },
    TOPOLOGY.postgresDeployment,
    POSTGRES_PODS,
    55_000,
    'gone',
  );
}

export function switchToSqliteStep(): S {
  return selectorStep({ id: 'switch-to-sqlite', name: 'Switch the service to SQLite', budgetMs: 5_000 }, TOPOLOGY.appService, ENGINE_SELECTOR.sqlite, 'switch');
}

/** The app's engine header when it names one; otherwise a probe write looked for in both databases (verify-engine.ts). */
export function verifyEngineStep(timeoutMs = 30_000): S {
  return {
    id: 'verify-engine',
    name: 'Verify through the service: healthy and served by SQLite',
    budgetMs: timeoutMs,
    async run(ctx, signal) {
      if (!namesEngine(ctx.target)) return verifySqliteFromOutside(ctx, { consecutive: 5, timeoutMs, signal });
      return verifyServedBy(ctx.serviceUrl, ctx.target, 'sqlite', { consecutive: 5, timeoutMs, signal });
    },
  };
}
