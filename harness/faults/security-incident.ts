// security-incident (critical, emergency, < 5 min, security validation): PostgreSQL credentials
// revoked — the app role's password replaced by an unknown one and its sessions killed. The app
// can no longer reach its data; after the rollback nothing may still hold or use PostgreSQL
// credentials, and PostgreSQL must be cut off.
import { randomBytes } from 'node:crypto';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { TOPOLOGY } from '../platform/manifests.ts';
import { POSTGRES_PODS } from '../procedures/actions.ts';
import { appLoginRefused } from './postgres-checks.ts';
import { END_APP_SESSIONS_SQL, psql } from './psql.ts';
import type { Fault, FaultContext } from './types.ts';

const NS = TOPOLOGY.namespace;

export const securityIncident: Fault = {
  name: 'security-incident',
  description: 'PostgreSQL credentials revoked: the app role gets an unknown password, its sessions are terminated',
  cutsAppFromDatabase: true,
  async inject(ctx: FaultContext) {
    const password = randomBytes(24).toString('base64url');
    ctx.journal.redactor.add(password);
    // One session: where the pod's own psql logs in with the password, it is the last thing it can do.
    const out = await psql(
      ctx,
      `${END_APP_SESSIONS_SQL}\nALTER ROLE hyperpage PASSWORD '${password}';\n`,
    );
    const killed = out.split('\n')[0]?.trim() ?? '?';
    return `password of role hyperpage replaced (unknown to anyone), ${killed} session(s) terminated`;
  },
  async verify(ctx: FaultContext) {
    // On PostgreSQL itself: a login with the app's credentials, from a Job, must be refused for its password.
    const login = await appLoginRefused(ctx.platform, ctx.image, ctx.signal);
    if (!login.refused) return { effective: false, evidence: `the role is not revoked: a Job's ${login.detail}` };
    if (!/password|authentication/i.test(login.detail)) return { effective: false, evidence: `the login failed, but not for its credentials: ${login.detail}` };
    return { effective: true, evidence: `a Job with the app's credentials: ${login.detail}` };
  },
  async clear() {
    return 'credentials stay revoked; the rollback cuts PostgreSQL off';
  },
};

export interface SecurityCheck {
  name: string;
  passed: boolean;
  evidence: string;
}

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
