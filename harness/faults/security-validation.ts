// The security validation after a security-incident rollback: no running app pod holds PostgreSQL
// credentials, and PostgreSQL itself is cut off. Each check is a measurement on the platform.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { TOPOLOGY } from '../kit/topology.ts';
import type { SecurityCheck } from '../model/measurements.ts';
import { POSTGRES_PODS } from '../kit/pods.ts';
import type { FaultContext } from '../model/fault.ts';

const NS = TOPOLOGY.namespace;

/** Names of credentials a container must not carry once PostgreSQL is cut off. */
function heldCredentials(c: V1Container): string[] {
  const out: string[] = [];
  for (const e of c.env ?? []) {
    if (['DATABASE_URL', 'POSTGRES_PASSWORD', 'PGPASSWORD'].includes(e.name)) out.push(`env ${e.name}`);
    const ref = e.valueFrom?.secretKeyRef?.name;
    if (ref === TOPOLOGY.appSecret || ref === TOPOLOGY.postgresSecret) out.push(`env ${e.name} from secret ${ref}`);
  }
  for (const f of c.envFrom ?? []) {
    const ref = f.secretRef?.name;
    if (ref === TOPOLOGY.appSecret || ref === TOPOLOGY.postgresSecret) out.push(`envFrom secret ${ref}`);
  }
  return out;
}

/** The security validation after the rollback, each check a measurement. */
export async function securityValidation(ctx: Pick<FaultContext, 'platform' | 'image' | 'signal'>): Promise<{ passed: boolean; evidence: string; checks: SecurityCheck[] }> {
  const checks: SecurityCheck[] = [];
  const pods = (await ctx.platform.listPods(NS, { app: 'hyperpage' })).filter((p: V1Pod) => p.status?.phase === 'Running' && p.metadata?.labels?.['component'] !== 'database');
  const holders = pods.flatMap((p) => (p.spec?.containers ?? []).flatMap((c) => heldCredentials(c).map((h) => `${p.metadata?.name ?? '?'}: ${h}`)));
  checks.push({
    name: 'no running pod holds PostgreSQL credentials',
    passed: pods.length > 0 && holders.length === 0,
    evidence: holders.length ? `still holding: ${holders.slice(0, 5).join('; ')}` : `${pods.length} running app pod(s), none with DATABASE_URL or the PostgreSQL secrets`,
  });
  const pg = await ctx.platform.getDeploymentStatus(NS, TOPOLOGY.postgresDeployment).catch(() => ({ readyReplicas: 0, replicas: 0 }));
  const pgPods = (await ctx.platform.listPods(NS, { ...POSTGRES_PODS })).filter((p) => p.status?.phase === 'Running');
  checks.push({
    name: 'PostgreSQL is cut off',
    passed: pg.readyReplicas === 0 && pgPods.length === 0,
    evidence: `deployment/${TOPOLOGY.postgresDeployment} ${pg.readyReplicas} ready of ${pg.replicas}, ${pgPods.length} running pod(s)`,
  });
  const passed = checks.every((c) => c.passed);
  return { passed, checks, evidence: checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.name}: ${c.evidence}`).join('; ') };
}
