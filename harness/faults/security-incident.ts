// security-incident (critical, emergency, < 5 min, security validation): PostgreSQL credentials
// revoked — the app role's password replaced by an unknown one and its sessions killed. The app
// can no longer reach its data; after the rollback nothing may still hold or use PostgreSQL
// credentials, and PostgreSQL must be cut off.
import { randomBytes } from 'node:crypto';
import { appLoginRefused } from '../kit/postgres-checks.ts';
import { END_APP_SESSIONS_SQL, psql } from '../kit/psql.ts';
import type { Fault, FaultContext } from '../model/fault.ts';

// What is checked after the rollback (nothing holds or reaches PostgreSQL) has its own module.
export { securityValidation } from './security-validation.ts';
export { type SecurityCheck } from '../model/measurements.ts';

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
    const login = await appLoginRefused(ctx);
    if (!login.refused) return { effective: false, evidence: `the role is not revoked: a Job's ${login.detail}` };
    if (!/password|authentication/i.test(login.detail)) return { effective: false, evidence: `the login failed, but not for its credentials: ${login.detail}` };
    return { effective: true, evidence: `a Job with the app's credentials: ${login.detail}` };
  },
  async clear() {
    return 'credentials stay revoked; the rollback cuts PostgreSQL off';
  },
};
