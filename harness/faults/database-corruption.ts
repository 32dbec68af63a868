// database-corruption (critical, emergency, < 5 min): PostgreSQL's data directory is damaged so
// the server cannot start again — its PG_VERSION file is overwritten and the server restarted.
// Heap and WAL stay intact, which is what makes a salvage from the data directory possible.
// Proven on PostgreSQL itself: its container exits with an error (it cannot start), it is not
// ready, pg_isready answers no, and a login with the app's credentials is refused.
import { TOPOLOGY } from '../kit/topology.ts';
import { done, notYet, poll } from '../platform/wait.ts';
import { pgIsReady, POSTGRES_PODS, scaleToZero } from '../kit/pods.ts';
import { appLoginRefused, postgresStartFailures } from '../kit/postgres-checks.ts';
import type { Fault, FaultContext } from '../model/fault.ts';

const NS = TOPOLOGY.namespace;

export const databaseCorruption: Fault = {
  name: 'database-corruption',
  description: 'PostgreSQL data made unreadable: PG_VERSION overwritten, server restarted and unable to start',
  cutsAppFromDatabase: true,
  async inject(ctx: FaultContext) {
    const r = await ctx.platform.exec(
      NS,
      TOPOLOGY.postgresDeployment,
      ['sh', '-c', 'printf "corrupted\\n" > "$PGDATA/PG_VERSION" && cat "$PGDATA/PG_VERSION"'],
      { timeoutMs: 10_000, signal: ctx.signal },
    );
    if (r.exitCode !== 0) throw new Error(`could not damage the data directory: exit ${r.exitCode} ${r.stderr.trim()}`);
    // Restart the server so it has to read its data directory again.
    await scaleToZero(ctx.platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 60_000, ctx.signal);
    await ctx.platform.scale(NS, TOPOLOGY.postgresDeployment, 1);
    return 'PG_VERSION overwritten in $PGDATA, PostgreSQL restarted';
  },
  async verify(ctx: FaultContext) {
    const timeoutMs = ctx.verifyTimeoutMs ?? 45_000;
    const t0 = Date.now();
    // Down for several checks in a row, and crashed: a restart alone is down only for a moment, and exits cleanly.
    let streak = 0;
    let crashed: string[] = [];
    const downAndCrashed = async (signal: AbortSignal | undefined) => {
      const s = await ctx.platform.getDeploymentStatus(NS, TOPOLOGY.postgresDeployment).catch(() => ({ readyReplicas: 0 }));
      const ready = await pgIsReady(ctx.platform, signal);
      crashed = await postgresStartFailures(ctx.platform);
      const seen = `deployment/${TOPOLOGY.postgresDeployment} ${s.readyReplicas}/1 ready, ${ready.detail}`;
      streak = s.readyReplicas === 0 && !ready.accepting && crashed.length > 0 ? streak + 1 : 0;
      return streak >= 3 ? done(seen) : notYet(seen);
    };
    const r = await poll(downAndCrashed, { describe: 'PostgreSQL down and crashed for 3 checks in a row', timeoutMs, intervalMs: 300, signal: ctx.signal });
    const last = r.done ? r.value : r.state;
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (!r.done) {
      return { effective: false, evidence: `PostgreSQL did not fail to start: ${last}, ${crashed.length ? crashed.join('; ') : 'no container exited with an error'} (${r.checks} checks in ${took})` };
    }
    const login = await appLoginRefused(ctx);
    if (!login.refused) return { effective: false, evidence: `PostgreSQL looked down (${last}) but a Job's ${login.detail}` };
    return {
      effective: true,
      evidence: `PostgreSQL cannot start: ${crashed.join('; ')}; down for 3 consecutive checks within ${took} (${last}); a Job with the app's credentials: ${login.detail}`,
    };
  },
  async clear(ctx: FaultContext) {
    // The drill tears the namespace down afterwards; clearing only matters with --keep-cluster.
    await ctx.platform.scale(NS, TOPOLOGY.postgresDeployment, 0);
    return 'PostgreSQL left scaled to 0 (data directory damaged; salvage copy is in SQLite)';
  },
};
