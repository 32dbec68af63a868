// database-corruption (critical, emergency, < 5 min): PostgreSQL's data directory is damaged so
// the server cannot start again — its PG_VERSION file is overwritten and the server restarted.
// Heap and WAL stay intact, which is what makes a salvage from the data directory possible.
import { TOPOLOGY } from '../platform/manifests.ts';
import { POSTGRES_PODS, sleep, waitForNoPods } from '../procedures/actions.ts';
import { waitForConsecutiveHealthFailures } from './health-failures.ts';
import type { Fault, FaultContext } from './types.ts';

const NS = TOPOLOGY.namespace;

export const databaseCorruption: Fault = {
  name: 'database-corruption',
  description: 'PostgreSQL data made unreadable: PG_VERSION overwritten, server restarted and unable to start',
  async inject(ctx: FaultContext) {
    const r = await ctx.platform.exec(
      NS,
      TOPOLOGY.postgresDeployment,
      ['sh', '-c', 'printf "corrupted\\n" > "$PGDATA/PG_VERSION" && cat "$PGDATA/PG_VERSION"'],
      { timeoutMs: 10_000, signal: ctx.signal },
    );
    if (r.exitCode !== 0) throw new Error(`could not damage the data directory: exit ${r.exitCode} ${r.stderr.trim()}`);
    // Restart the server so it has to read its data directory again.
    await ctx.platform.scale(NS, TOPOLOGY.postgresDeployment, 0);
    await waitForNoPods(ctx.platform, NS, POSTGRES_PODS, 60_000, ctx.signal);
    await ctx.platform.scale(NS, TOPOLOGY.postgresDeployment, 1);
    return 'PG_VERSION overwritten in $PGDATA, PostgreSQL restarted';
  },
  async verify(ctx: FaultContext) {
    const effect = await waitForConsecutiveHealthFailures(ctx.serviceUrl, { consecutive: 3, timeoutMs: ctx.verifyTimeoutMs ?? 45_000, signal: ctx.signal });
    if (!effect.effective) return effect;
    await sleep(500, ctx.signal);
    const s = await ctx.platform.getDeploymentStatus(NS, TOPOLOGY.postgresDeployment);
    if (s.readyReplicas > 0) return { effective: false, evidence: `PostgreSQL still ready (${s.readyReplicas}/1) although the app fails: ${effect.evidence}` };
    return { effective: true, evidence: `${effect.evidence}; PostgreSQL 0/1 ready` };
  },
  async clear(ctx: FaultContext) {
    // The drill tears the namespace down afterwards; clearing only matters with --keep-cluster.
    await ctx.platform.scale(NS, TOPOLOGY.postgresDeployment, 0);
    return 'PostgreSQL left scaled to 0 (data directory damaged; salvage copy is in SQLite)';
  },
};
