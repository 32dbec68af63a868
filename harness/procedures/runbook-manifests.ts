// The runbook's own manifests, word for word (Phase 9, scripts/emergency-rollback.sh,
// scripts/planned-rollback.sh, scripts/recover-data-from-postgres.sh), so the seed variant
// applies exactly what an on-call engineer would. The heredocs sit verbatim in runbook/*.yaml
// (diffable against the runbook); only the namespace and image are filled in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { parse } from 'yaml';

export const RUNBOOK = {
  namespace: 'hyperpage',
  deployment: 'hyperpage',
  emergencyDeployment: 'hyperpage-sqlite-backup',
  plannedDeployment: 'hyperpage-sqlite-rollback',
  service: 'hyperpage-service',
  claim: 'hyperpage-pvc',
  postgresClaim: 'hyperpage-postgres-pvc',
  healthUrl: 'http://hyperpage-service.hyperpage.svc.cluster.local/api/health',
  githubUrl: 'http://hyperpage-service.hyperpage.svc.cluster.local/api/tools/github',
  emergencySelector: { app: 'hyperpage', component: 'app', emergency: 'true' },
  plannedSelector: { app: 'hyperpage', component: 'app', rollback: 'planned' },
} as const;

/**
 * A heredoc of the runbook's scripts, kept verbatim in runbook/<file>, with the shell variables the
 * script sets expanded as bash would (an unknown one is an error, not an empty string).
 */
function heredoc(file: string, vars: Record<string, string>): unknown {
  const text = readFileSync(path.join(import.meta.dirname, 'runbook', file), 'utf8');
  return parse(
    text.replace(/\$([A-Z_]+)/g, (_, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`runbook/${file}: $${name} is not set by the script`);
      return v;
    }),
  );
}

/** What `kubectl apply -n NS` and the drill's image fill in: the namespace, and the app image for `hyperpage:v0.1.0`. */
function forDrill(dep: V1Deployment, image: string, namespace: string): V1Deployment {
  dep.metadata = { ...dep.metadata, namespace };
  for (const c of dep.spec?.template.spec?.containers ?? []) c.image = image;
  return dep;
}

/** scripts/emergency-rollback.sh step 1. As written, `emergency: true` is a YAML boolean the API server rejects (label values are strings). */
export function emergencyDeployment(image: string, namespace: string = RUNBOOK.namespace): V1Deployment {
  return forDrill(heredoc('emergency-deployment.yaml', { DEPLOYMENT_NAME: RUNBOOK.deployment }) as V1Deployment, image, namespace);
}

/** scripts/planned-rollback.sh step 1. */
export function plannedDeployment(image: string, namespace: string = RUNBOOK.namespace): V1Deployment {
  return forDrill(heredoc('planned-deployment.yaml', {}) as V1Deployment, image, namespace);
}

/** The recovery pod of scripts/recover-data-from-postgres.sh (a bare Pod; the drill runs it as a Job-like pod). */
export function recoveryPod(namespace: string = RUNBOOK.namespace): V1Pod {
  return heredoc('recovery-pod.yaml', { NAMESPACE: namespace, POSTGRES_PVC: RUNBOOK.postgresClaim }) as V1Pod;
}

/** Label values that are not strings (the runbook's unquoted `emergency: true`), as "path=value". */
export function nonStringLabels(dep: V1Deployment): string[] {
  const maps: [string, Record<string, unknown> | undefined][] = [
    ['metadata.labels', dep.metadata?.labels],
    ['spec.selector.matchLabels', dep.spec?.selector?.matchLabels],
    ['spec.template.metadata.labels', dep.spec?.template.metadata?.labels],
  ];
  const bad: string[] = [];
  for (const [where, m] of maps) {
    for (const [k, v] of Object.entries(m ?? {})) if (typeof v !== 'string') bad.push(`${where}.${k}=${JSON.stringify(v)}`);
  }
  return bad;
}

/** What a responder does when kubectl rejects the manifest: quote the label values. */
export function quoteLabels(dep: V1Deployment): V1Deployment {
  const copy = structuredClone(dep);
  const fix = (m: Record<string, unknown> | undefined) => {
    for (const k of Object.keys(m ?? {})) m![k] = String(m![k]);
  };
  fix(copy.metadata?.labels);
  fix(copy.spec?.selector?.matchLabels);
  fix(copy.spec?.template.metadata?.labels);
  return copy;
}

/** A copy of a runbook deployment with its claim renamed: what a responder does after "pvc not found". */
export function withClaim(dep: V1Deployment, claim: string): V1Deployment {
  const copy = structuredClone(dep);
  for (const v of copy.spec?.template.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) v.persistentVolumeClaim.claimName = claim;
  }
  return copy;
}
