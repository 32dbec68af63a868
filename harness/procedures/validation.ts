// The runbook's post-rollback validation checklist (scripts/validate-rollback.sh), five items.
// seed: as written — curls through cluster DNS and execs into deployment/hyperpage, which the
// rollback scaled to 0; no `set -e`, so it always ends "validation completed".
// hardened: each item measured through the service and in the pods actually serving.
import type { Procedure, Step } from '../model/procedure.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { databaseFeatureChecks, httpFeatureChecks } from '../kit/features.ts';
import { type FeatureCheck } from '../model/measurements.ts';
import { HARDENED_SQLITE } from './emergency.ts';
import { recordFinding } from '../kit/findings.ts';
import { type ProcedureContext } from '../model/context.ts';
import { runOperatorCurl, UNREACHABLE_EXITS, type OperatorCurlResult } from './operator-curl.ts';

const NS = TOPOLOGY.namespace;
type VStep = Step<ProcedureContext>;

/** Feature checks of the validation, kept for the report (`state.validationChecks`). */
function keep(ctx: ProcedureContext, checks: FeatureCheck[]): string {
  (ctx.state.validationChecks ??= []).push(...checks);
  const failed = checks.filter((c) => !c.passed);
  const text = checks.map((c) => `${c.id}: ${c.evidence}`).join('; ');
  if (failed.length) throw new Error(`${failed.length}/${checks.length} failed — ${text}`);
  return text;
}

/** The runbook's "test" platform, as the profile's feature `rate-limit-unknown-platform` checks it through the service (when it has one). */
function recordRateLimitTest(ctx: ProcedureContext, checks: FeatureCheck[]): void {
  const unknown = checks.find((c) => c.id === 'rate-limit-unknown-platform');
  const path = ctx.target.features.find((f) => f.id === 'rate-limit-unknown-platform')?.path;
  if (unknown) recordFinding(ctx, 'rateLimitTest', `GET ${path} through the service: ${unknown.evidence}`, unknown.passed);
}

export function hardenedValidation(engine: 'sqlite' | 'postgres' = 'sqlite'): Procedure<ProcedureContext> {
  const serving = (ctx: ProcedureContext) => ctx.state.sqliteDeployment ?? HARDENED_SQLITE;
  const steps: VStep[] = [
    {
      id: 'checklist-1-health',
      name: '1. Application health (through the service, engine checked)',
      budgetMs: 10_000,
      onFailure: 'continue',
      run: async (ctx) => keep(ctx, await httpFeatureChecks(ctx.target, ctx.serviceUrl, engine, 1)),
    },
    {
      id: 'checklist-2-database',
      name: '2. Database connectivity (SELECT 1 and the row count by exec in the serving pods)',
      budgetMs: 30_000,
      onFailure: 'continue',
      run: async (ctx, signal) => keep(ctx, await databaseFeatureChecks({ platform: ctx.platform, target: ctx.target, serviceUrl: ctx.serviceUrl, deployment: serving(ctx), engine, signal })),
    },
    {
      id: 'checklist-3-tools',
      name: '3. Tool integrations (each tool)',
      budgetMs: 10_000,
      onFailure: 'continue',
      run: async (ctx) => keep(ctx, await httpFeatureChecks(ctx.target, ctx.serviceUrl, engine, 3)),
    },
    {
      id: 'checklist-4-rate-limiting',
      name: '4. Rate limiting (each platform; "test" must be refused)',
      budgetMs: 10_000,
      onFailure: 'continue',
      async run(ctx) {
        const checks = await httpFeatureChecks(ctx.target, ctx.serviceUrl, engine, 4);
        recordRateLimitTest(ctx, checks);
        return keep(ctx, checks);
      },
    },
    {
      id: 'checklist-5-response-time',
      name: '5. Response time (one request, as the checklist; the load phase measures p99)',
      budgetMs: 5_000,
      onFailure: 'continue',
      async run(ctx) {
        const [h] = await httpFeatureChecks(ctx.target, ctx.serviceUrl, engine, 1);
        if (!h) throw new Error(`target ${ctx.target.name} declares no health feature (checklist: 1)`);
        const ms = h.latencyMs ?? NaN;
        return keep(ctx, [{ id: 'response-time', title: 'One health request answers in < 500 ms', passed: h.passed && ms < 500, evidence: h.evidence }]);
      },
    },
  ];
  return { name: 'validation', variant: 'hardened', steps };
}

/** `clusterUrl`: the checklist's cluster DNS base URL (injectable for tests). */
export function seedValidation(clusterUrl = `http://hyperpage-service.${NS}.svc.cluster.local`): Procedure<ProcedureContext> {
  // The checklist's curl, run as it runs: from the operator's shell on this host, its real outcome.
  const viaClusterDns = (path: string, args: string[], prints: (r: OperatorCurlResult) => string): VStep['run'] => async (ctx, signal) => {
    const r = await runOperatorCurl(args, `${clusterUrl}${path}`, { maxTimeSec: 5, signal });
    if (r.notInstalled) throw new Error(r.outcome);
    if (!r.ran) {
      recordFinding(ctx, 'clusterDns', `validate-rollback.sh ${path}: ${r.outcome}`, false);
      return r.outcome;
    }
    if (r.exitCode === 0) return `${r.outcome}; the script prints ${prints(r)}`;
    if (UNREACHABLE_EXITS.has(r.exitCode!)) recordFinding(ctx, 'clusterDns', `validate-rollback.sh: ${r.outcome}`, true);
    throw new Error(`${r.outcome}; the script prints ${prints(r)} and goes on`);
  };
  const execInScaledApp = (command: string[], what: string): VStep['run'] => async (ctx, signal) => {
    const status = await ctx.platform.getDeploymentStatus(NS, TOPOLOGY.appDeployment).catch(() => undefined);
    try {
      const r = await ctx.platform.exec(NS, TOPOLOGY.appDeployment, command, { timeoutMs: 10_000, signal });
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
      return `${what}: ${r.stdout.trim().slice(0, 200)}`;
    } catch (err) {
      const msg = (err as Error).message.split('\n')[0]!;
      if ((status?.replicas ?? 0) === 0) {
        recordFinding(ctx, 'execScaledDeployment', `kubectl exec deployment/${TOPOLOGY.appDeployment} (${status?.readyReplicas ?? 0} ready): ${msg}`, true);
      }
      throw new Error(`kubectl exec deployment/${TOPOLOGY.appDeployment} -- ${command.join(' ')}: ${msg}`);
    }
  };
  const steps: VStep[] = [
    {
      id: 'checklist-1-health',
      name: '1. Application health (curl cluster DNS)',
      budgetMs: 10_000,
      onFailure: 'continue',
      run: viaClusterDns('/api/health', ['-s'], (r) => `"Health: ${r.stdout.trim().slice(0, 120)}"`),
    },
    {
      id: 'checklist-2-database',
      name: '2. Database connectivity (kubectl exec deployment/hyperpage -- sqlite3 … COUNT(*))',
      budgetMs: 15_000,
      onFailure: 'continue',
      run: execInScaledApp(['sqlite3', TOPOLOGY.sqlitePath, 'SELECT COUNT(*) FROM users;'], 'users'),
    },
    {
      id: 'checklist-3-tools',
      name: '3. Tool integrations (curl cluster DNS /api/tools/github)',
      budgetMs: 10_000,
      onFailure: 'continue',
      run: viaClusterDns('/api/tools/github', ['-s'], (r) => `"GitHub: ${r.exitCode === 0 ? r.stdout.trim().slice(0, 120) : `${r.stdout.trim().slice(0, 120)}Failed`}"`),
    },
    {
      id: 'checklist-4-rate-limiting',
      name: '4. Rate limiting (kubectl exec deployment/hyperpage -- curl /api/rate-limit/test)',
      budgetMs: 15_000,
      onFailure: 'continue',
      async run(ctx, signal) {
        // What the item would have seen had it reached the app: measured through the service.
        recordRateLimitTest(ctx, await httpFeatureChecks(ctx.target, ctx.serviceUrl, 'sqlite', 4));
        return execInScaledApp(['curl', '-s', 'http://localhost:3000/api/rate-limit/test'], 'rate-limit/test')(ctx, signal);
      },
    },
    {
      id: 'checklist-5-response-time',
      name: '5. Performance check (curl cluster DNS, time_total)',
      budgetMs: 10_000,
      onFailure: 'continue',
      run: viaClusterDns('/api/health', ['-s', '-o', '/dev/null', '-w', '%{time_total}'], (r) => `"Response time: ${r.stdout.trim()}s"`),
    },
    {
      id: 'final-line',
      name: 'Final line ("Rollback validation completed")',
      budgetMs: 1_000,
      onFailure: 'continue',
      async run() {
        // The script prints this whatever happened above; the report shows what did.
        return 'printed unconditionally: the script has no `set -e` and checks no result';
      },
    },
  ];
  return { name: 'validation', variant: 'seed', steps };
}
