// Planned rollback (runbook: scripts/planned-rollback.sh, `set -e`), target < 30 min.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Procedure, Step } from '../model/procedure.ts';
import { recordFinding } from '../kit/findings.ts';
import { type ProcedureContext } from '../model/context.ts';
import { sleep } from '../kit/wait.ts';
import { backupSqlite, lastLine } from '../kit/data-tool.ts';
import { plannedDeployment, RUNBOOK } from './runbook-manifests.ts';
import { applyFixingClaim, applyHardenedSqlite, copyPostgresToSqliteStep, drainPostgresAppStep, freezeWritesAtDatabaseStep, HARDENED_SQLITE, pinServiceToPostgresStep, scaleStep, selectorStep, switchToSqliteStep, verifyEngineStep, waitHardenedSqliteReady } from './steps.ts';

const NS = TOPOLOGY.namespace;
type S = Step<ProcedureContext>;

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

const pgIsReady: S = {
  id: 'pre-check-pg-isready',
  name: 'Pre-check: PostgreSQL health (pg_isready)',
  budgetMs: 15_000,
  async run(ctx, signal) {
    const r = await ctx.platform.exec(NS, TOPOLOGY.postgresDeployment, ['pg_isready', '-U', 'hyperpage'], { timeoutMs: 10_000, signal });
    if (r.exitCode !== 0) throw new Error(`pg_isready exit ${r.exitCode}: ${(r.stdout + r.stderr).trim()}`);
    return r.stdout.trim();
  },
};

/** pg_dump through exec into the report folder (the runbook writes to /backup on the operator's machine). */
const pgDump: S = {
  id: 'pre-check-pg-dump',
  name: 'Pre-check: PostgreSQL backup (pg_dump)',
  budgetMs: 120_000,
  async run(ctx, signal) {
    const r = await ctx.platform.exec(NS, TOPOLOGY.postgresDeployment, ['pg_dump', '-U', 'hyperpage', 'hyperpage'], {
      timeoutMs: 110_000,
      signal,
    });
    if (r.exitCode !== 0) throw new Error(`pg_dump exit ${r.exitCode}: ${r.stderr.trim().slice(0, 300)}`);
    if (!r.stdout.includes('PostgreSQL database dump complete')) throw new Error('pg_dump output is incomplete (no completion marker)');
    const dir = path.join(ctx.runDir, 'backup');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `postgres-backup-${stamp()}.sql`);
    await writeFile(file, r.stdout);
    ctx.journal.write({ type: 'artifact', kind: 'postgres-backup', path: file });
    return `${(Buffer.byteLength(r.stdout) / 1024).toFixed(0)} KiB → ${path.relative(ctx.runDir, file)}`;
  },
};

function applyPlannedAsWritten(): S {
  return {
    id: 'step-1-prepare-sqlite',
    name: 'Step 1: prepare SQLite environment',
    budgetMs: 30_000,
    async run(ctx, signal) {
      const manifest = plannedDeployment(ctx.image, NS);
      const container = manifest.spec?.template.spec?.containers[0];
      if (!container?.readinessProbe) {
        recordFinding(
          ctx,
          'plannedNoReadiness',
          `deployment/${RUNBOOK.plannedDeployment} has no readinessProbe and labels ${JSON.stringify(manifest.spec?.template.metadata?.labels)} match the service selector; the availability probe measures what that costs`,
          true,
        );
      }
      ctx.state.sqliteDeployment = RUNBOOK.plannedDeployment;
      return (await applyFixingClaim(ctx, manifest, signal)) ?? 'applied as written';
    },
  };
}

/** Both variants start with the runbook's PostgreSQL pre-checks (health, then a backup). */
function planned(variant: 'seed' | 'hardened', steps: S[]): Procedure<ProcedureContext> {
  return { name: 'planned', variant, steps: [pgIsReady, pgDump, ...steps] };
}

export function seedPlanned(): Procedure<ProcedureContext> {
  return planned('seed', [
    {
      id: 'pre-check-sqlite-export',
      name: 'Pre-check: export current SQLite data (cp /data/hyperpage.db)',
      budgetMs: 5_000,
      async run(ctx) {
        // `if [ -f "/data/hyperpage.db" ]` runs on the operator's machine, not in a pod.
        if (!existsSync('/data/hyperpage.db')) {
          recordFinding(ctx, 'hostBackupPath', 'no /data/hyperpage.db on the machine running the script: the SQLite backup was silently skipped', true);
          return 'skipped silently: /data/hyperpage.db is not on this machine';
        }
        return '/data/hyperpage.db exists on this machine (not the pod\'s file); not copied by the drill';
      },
    },
    applyPlannedAsWritten(),
    {
      id: 'step-2-wait-available',
      name: 'Step 2: wait for SQLite deployment available (timeout 300 s)',
      budgetMs: 300_000,
      async run(ctx, signal) {
        const s = await ctx.platform.waitForReady(NS, RUNBOOK.plannedDeployment, 1, { timeoutMs: 300_000, signal });
        return `available ${s.availableReplicas}/1`;
      },
    },
    scaleStep({ id: 'step-3-scale-sqlite', name: 'Step 3: scale SQLite to 3', budgetMs: 10_000 }, RUNBOOK.plannedDeployment, 3),
    {
      id: 'step-3-sleep-30',
      name: 'Step 3: wait for all replicas (sleep 30)',
      budgetMs: 31_000,
      async run(_ctx, signal) {
        await sleep(30_000, signal);
        return 'slept 30 s';
      },
    },
    selectorStep({ id: 'step-3-switch-selector', name: 'Step 3: update service selector', budgetMs: 10_000 }, RUNBOOK.service, RUNBOOK.plannedSelector, 'switch'),
    scaleStep({ id: 'step-4-scale-down-postgres', name: 'Step 4: scale down PostgreSQL deployment', budgetMs: 10_000 }, RUNBOOK.deployment, 0),
    {
      id: 'step-5-health-in-pod',
      name: 'Step 5: health check in the pod (curl localhost:3000, 5 × 10 s)',
      budgetMs: 60_000,
      async run(ctx, signal) {
        for (let i = 1; i <= 5; i++) {
          const r = await ctx.platform
            .exec(NS, RUNBOOK.plannedDeployment, ['curl', '-f', '-s', 'http://localhost:3000/api/health'], { timeoutMs: 10_000, signal })
            .catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
          if (r.stdout.includes('healthy')) return `health passed at try ${i}: ${r.stdout.trim().slice(0, 120)}`;
          if (i < 5) await sleep(10_000, signal);
        }
        // As written the loop falls through without failing (`set -e` does not see it).
        return 'health never passed; the script goes on';
      },
    },
    {
      id: 'step-5-sqlite-select-1',
      name: 'Step 5: database connectivity (sqlite3 SELECT 1)',
      budgetMs: 15_000,
      async run(ctx, signal) {
        const r = await ctx.platform.exec(NS, RUNBOOK.plannedDeployment, ['sqlite3', TOPOLOGY.sqlitePath, 'SELECT 1;'], {
          timeoutMs: 10_000,
          signal,
        });
        if (r.exitCode !== 0 || r.stdout.trim() !== '1') throw new Error(`SQLite connectivity failed: exit ${r.exitCode} ${r.stderr.trim()}`);
        return 'SELECT 1 → 1';
      },
    },
  ]);
}

export function hardenedPlanned(): Procedure<ProcedureContext> {
  return planned('hardened', [
    {
      id: 'pre-check-sqlite-backup',
      name: 'Pre-check: SQLite file backup (online backup in a data-tool Job, checked on the copy)',
      budgetMs: 60_000,
      async run(ctx, signal) {
        // The runbook execs `sqlite3 .backup` in the app pod; an app image need not have sqlite3, so the
        // drill's own data tool takes it (SQLite's backup API: consistent while the app writes).
        const target = `/data/rollback-${stamp()}.db`;
        const r = await backupSqlite(ctx, target, signal);
        if (!r.res.succeeded || !r.out?.ok) throw new Error(`SQLite backup failed (exit ${r.res.exitCode}${r.out ? `, integrity ${r.out.integrity}` : ''}): ${lastLine(r.res.logs)}`);
        return `backup ${target} on ${TOPOLOGY.sqlitePvc}: ${r.out.bytes} bytes in ${r.out.backupMs} ms, integrity ok, ${r.out.tables.map((t) => `${t.table} ${t.rows} rows`).join(', ')}`;
      },
    },
    pinServiceToPostgresStep(),
    {
      id: 'prepare-sqlite',
      name: 'Prepare the SQLite deployment (1 replica, readiness-probed, out of the service)',
      budgetMs: 60_000,
      async run(ctx, signal) {
        await applyHardenedSqlite(ctx, 1);
        return waitHardenedSqliteReady(ctx, 1, 55_000, signal);
      },
    },
    {
      id: 'scale-sqlite-to-3',
      name: 'Scale SQLite to 3 and wait for 3/3 ready',
      budgetMs: 60_000,
      async run(ctx, signal) {
        await ctx.platform.scale(NS, HARDENED_SQLITE, 3);
        return waitHardenedSqliteReady(ctx, 3, 55_000, signal);
      },
    },
    // Writes frozen at the database, not by stopping the app: PostgreSQL goes on serving reads
    // until the switch, and only then is its app scaled down (no read fails on the way).
    freezeWritesAtDatabaseStep(),
    copyPostgresToSqliteStep(),
    switchToSqliteStep(),
    drainPostgresAppStep(),
    verifyEngineStep(),
  ]);
}
