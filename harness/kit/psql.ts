// SQL as the database owner inside the PostgreSQL pod (local socket), the way an operator would
// with `kubectl exec deployment/hyperpage-postgres -- psql`. SQL goes in on stdin, never in argv.
import { TOPOLOGY } from './topology.ts';
import type { FaultContext } from '../model/fault.ts';

export async function psql(ctx: Pick<FaultContext, 'platform' | 'signal'>, sql: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const r = await ctx.platform.exec(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, ['psql', '-U', 'hyperpage', '-d', 'hyperpage', '-v', 'ON_ERROR_STOP=1', '-qtA'], {
    stdin: sql,
    timeoutMs: opts.timeoutMs ?? 15_000,
    signal: ctx.signal,
  });
  if (r.exitCode !== 0) throw new Error(`psql exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return r.stdout.trim();
}

/** Ends every session of the app role but the caller's; the statement's result is how many. */
export const END_APP_SESSIONS_SQL =
  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'hyperpage' AND pid <> pg_backend_pid() AND backend_type = 'client backend';";
