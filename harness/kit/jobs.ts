import { TOPOLOGY } from './topology.ts';
import type { V1Job } from '@kubernetes/client-node';

export interface CliJobOptions {
  name: string;
  image: string;
  /** Appended to `command`. */
  args?: string[];
  namespace?: string;
  /** Mount the PostgreSQL data claim at /pgdata (salvage of a broken server). */
  mountPostgresData?: boolean;
  env?: Record<string, string>;
  /** A memory-backed emptyDir (tmpfs) mounted here: scratch space faster than the node's disk. */
  memoryScratch?: string;
  /** A ConfigMap mounted read-only (files the drill hands the job: the pre-migration values). */
  configMap?: { name: string; mountPath: string };
  /** The whole argv (executable first): the target's own tool (its baseline jobs) or drill-data (data-tool.ts). */
  command: string[];
  /** The env names the image reads the database URL and the SQLite file from (the target's; default the data tool's, DRILL_JOB_ENV). */
  appEnv?: { databaseUrl: string; sqlitePath: string };
}

/** The env names of a drill-owned Job (the data tool): argv names the file, the URL comes from the app secret. */
export const DRILL_JOB_ENV = { databaseUrl: 'DRILL_DATA_POSTGRES_URL', sqlitePath: 'DRILL_DATA_SQLITE' } as const;

/** A one-shot Job with both databases reachable (the app secret's DATABASE_URL in an env var, the SQLite claim at /data). */
export function cliJob(o: CliJobOptions): V1Job {
  const ns = o.namespace ?? TOPOLOGY.namespace;
  const volumes: NonNullable<NonNullable<V1Job['spec']>['template']['spec']>['volumes'] = [
    { name: 'data-volume', persistentVolumeClaim: { claimName: TOPOLOGY.sqlitePvc } },
  ];
  const mounts: { name: string; mountPath: string; readOnly?: boolean }[] = [{ name: 'data-volume', mountPath: '/data' }];
  if (o.memoryScratch) {
    volumes.push({ name: 'scratch', emptyDir: { medium: 'Memory' } });
    mounts.push({ name: 'scratch', mountPath: o.memoryScratch });
  }
  if (o.configMap) {
    volumes.push({ name: 'drill-files', configMap: { name: o.configMap.name } });
    mounts.push({ name: 'drill-files', mountPath: o.configMap.mountPath, readOnly: true });
  }
  if (o.mountPostgresData) {
    volumes.push({ name: 'postgres-data', persistentVolumeClaim: { claimName: TOPOLOGY.postgresPvc } });
    mounts.push({ name: 'postgres-data', mountPath: '/pgdata' });
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, namespace: ns, labels: { app: 'hyperpage', component: 'drill-job' } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { app: 'hyperpage', component: 'drill-job', job: o.name } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'cli',
              image: o.image,
              command: [...o.command, ...(o.args ?? [])],
              env: [
                { name: (o.appEnv ?? DRILL_JOB_ENV).databaseUrl, valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } },
                { name: (o.appEnv ?? DRILL_JOB_ENV).sqlitePath, value: TOPOLOGY.sqlitePath },
                ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
              ],
              volumeMounts: mounts,
              // PostgreSQL's data directory is 0700, owned by the postgres image's uid (70); the data tool's
              // image runs as node. Only root reads it: drill-data salvage runs its throwaway server as the
              // image's postgres user.
              ...(o.mountPostgresData ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
            },
          ],
          volumes,
        },
      },
    },
  };
}
