// Measurements taken on PostgreSQL itself, through the Platform (exec in its pod, a drill-data Job
// with the app's credentials), never through the app: a fault proves itself on the component it breaks.
import type { Platform } from '../model/platform.ts';
import { TOPOLOGY } from './topology.ts';
import { POSTGRES_PODS } from './pods.ts';
import { checksum, lastLine, type DataToolContext } from './data-tool.ts';

const NS = TOPOLOGY.namespace;

const firstLine = (s: string) => s.trim().split('\n')[0]?.trim().slice(0, 200) ?? '';

/**
 * Containers of the PostgreSQL pods that exited with an error (now or as their last state): the
 * server tried to start and could not. Empty when it runs, or is merely (re)starting.
 */
export async function postgresStartFailures(platform: Platform): Promise<string[]> {
  const pods = await platform.listPods(NS, { ...POSTGRES_PODS }).catch(() => []);
  return pods.flatMap((p) =>
    (p.status?.containerStatuses ?? []).flatMap((c) => {
      const t = c.state?.terminated ?? c.lastState?.terminated;
      if (!t || t.exitCode === 0) return [];
      const now = c.state?.waiting?.reason ?? (c.state?.terminated ? 'terminated' : c.state?.running ? 'running' : '?');
      return [`container ${c.name} of pod ${p.metadata?.name ?? '?'} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}, ${c.restartCount} restart(s), now ${now}`];
    }),
  );
}

/**
 * Tries a login with the app's credentials (the app secret's DATABASE_URL) from a drill-data Job
 * that reads the profile's mapped tables (`checksum --engine postgres`).
 */
export async function appLoginRefused(ctx: DataToolContext & { signal?: AbortSignal }): Promise<{ refused: boolean; detail: string }> {
  const t0 = Date.now();
  const { res: r } = await checksum(ctx, 'postgres', { signal: ctx.signal, timeoutMs: 30_000 });
  const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  return {
    refused: !r.succeeded,
    detail: r.succeeded ? `login with the app credentials succeeded (exit 0, Job ${took})` : `login refused (exit ${r.exitCode}, Job ${took}): ${lastLine(r.logs).slice(0, 200)}`,
  };
}

/** Tables of the app's database from pg_catalog (as the database owner, in the PostgreSQL pod). */
export const APP_TABLES_SQL =
  "SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '') FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%';";

/**
 * Times `SELECT 1` (psql's \timing, so exec and connection set-up are not counted) from inside the
 * PostgreSQL pod to `host:5432`, a Service name: the app's path (through the latency proxy once
 * injected) vs the server directly. Median of `n` queries on one connection.
 */
export async function selectOneMs(platform: Platform, host: string, n: number, signal?: AbortSignal): Promise<{ ms?: number; detail: string }> {
  const url = `postgresql://hyperpage@${host}:5432/hyperpage?connect_timeout=10`;
  const queries = Array.from({ length: n }, () => "-c 'SELECT 1'").join(' ');
  // The official image has POSTGRES_PASSWORD, the local one PGPASSWORD too; it stays in env, never in argv.
  const script = `PGPASSWORD="\${PGPASSWORD:-$POSTGRES_PASSWORD}" exec psql "${url}" -XqtA -c '\\timing on' ${queries}`;
  try {
    const r = await platform.exec(NS, TOPOLOGY.postgresDeployment, ['sh', '-c', script], { timeoutMs: 30_000, signal });
    const times = [...r.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    if (r.exitCode !== 0 || times.length === 0) return { detail: `psql to ${host}:5432 exit ${r.exitCode}: ${firstLine(r.stderr) || firstLine(r.stdout)}` };
    const ms = Math.round(times[Math.floor(times.length / 2)]!);
    return { ms, detail: `SELECT 1 via ${host}:5432 median ${ms} ms of ${times.length}` };
  } catch (err) {
    return { detail: `psql to ${host}:5432 could not run: ${firstLine((err as Error).message)}` };
  }
}
