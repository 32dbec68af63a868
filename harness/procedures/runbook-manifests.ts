// The runbook's own manifests, word for word (Phase 9, scripts/emergency-rollback.sh,
// scripts/planned-rollback.sh, scripts/recover-data-from-postgres.sh), so the seed variant
// applies exactly what an on-call engineer would. Only the namespace and image are filled in.
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

export function emergencyDeployment(image: string, namespace: string = RUNBOOK.namespace): V1Deployment {
  const doc = parse(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${RUNBOOK.emergencyDeployment}
  namespace: ${namespace}
  labels:
    app: hyperpage
    component: app
    emergency: true
spec:
  replicas: 1  # Single replica for emergency
  selector:
    matchLabels:
      app: hyperpage
      component: app
      emergency: true
  template:
    metadata:
      labels:
        app: hyperpage
        component: app
        emergency: true
    spec:
      containers:
      - name: hyperpage
        image: ${image}
        env:
        - name: NODE_ENV
          value: "production"
        - name: DB_ENGINE
          value: "sqlite"  # Force SQLite
        - name: DATABASE_PATH
          value: "/data/hyperpage.db"
        - name: ENABLE_RATE_LIMITING
          value: "true"
        - name: ENABLE_GITHUB
          value: "true"
        - name: ENABLE_GITLAB
          value: "true"
        - name: ENABLE_JIRA
          value: "true"
        ports:
        - containerPort: 3000
        volumeMounts:
        - name: data-volume
          mountPath: /data
        resources:
          requests:
            memory: "256Mi"
            cpu: "100m"
          limits:
            memory: "512Mi"
            cpu: "500m"
        livenessProbe:
          httpGet:
            path: /api/health
            port: 3000
          initialDelaySeconds: 30
          periodSeconds: 10
        readinessProbe:
          httpGet:
            path: /api/health
            port: 3000
          initialDelaySeconds: 5
          periodSeconds: 5
      volumes:
      - name: data-volume
        persistentVolumeClaim:
          claimName: ${RUNBOOK.claim}
`) as V1Deployment;
  // As written, `emergency: true` is a YAML boolean: the API server rejects it (label values are
  // strings). The seed procedure proves that with the schema and then applies responderFixes().
  return doc;
}

export function plannedDeployment(image: string, namespace: string = RUNBOOK.namespace): V1Deployment {
  return parse(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${RUNBOOK.plannedDeployment}
  namespace: ${namespace}
  labels:
    app: hyperpage
    component: app
    rollback: planned
spec:
  replicas: 1
  selector:
    matchLabels:
      app: hyperpage
      component: app
      rollback: planned
  template:
    metadata:
      labels:
        app: hyperpage
        component: app
        rollback: planned
    spec:
      containers:
      - name: hyperpage
        image: ${image}
        env:
        - name: NODE_ENV
          value: "production"
        - name: DB_ENGINE
          value: "sqlite"
        - name: DATABASE_PATH
          value: "/data/hyperpage.db"
        volumeMounts:
        - name: data-volume
          mountPath: /data
        resources:
          requests:
            memory: "256Mi"
            cpu: "100m"
          limits:
            memory: "512Mi"
            cpu: "500m"
      volumes:
      - name: data-volume
        persistentVolumeClaim:
          claimName: ${RUNBOOK.claim}
`) as V1Deployment;
}

/** The recovery pod of scripts/recover-data-from-postgres.sh (a bare Pod; the drill runs it as a Job-like pod). */
export function recoveryPod(namespace: string = RUNBOOK.namespace): V1Pod {
  return parse(`
apiVersion: v1
kind: Pod
metadata:
  name: postgres-data-recovery
  namespace: ${namespace}
spec:
  containers:
  - name: postgres-recovery
    image: postgres:15-alpine
    command:
    - /bin/sh
    - -c
    - |
      echo "Starting data recovery..."
      # Mount PostgreSQL data
      if [ -f /var/lib/postgresql/data/pgdata/PG_VERSION ]; then
        echo "PostgreSQL data found, exporting data..."
        pg_dump -U hyperpage hyperpage > /tmp/recovered-data.sql
        echo "Data exported to /tmp/recovered-data.sql"
        sleep 300
      else
        echo "No PostgreSQL data found"
        sleep 300
      fi
    volumeMounts:
    - name: postgres-data
      mountPath: /var/lib/postgresql/data
  volumes:
  - name: postgres-data
    persistentVolumeClaim:
      claimName: ${RUNBOOK.postgresClaim}
`) as V1Pod;
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
