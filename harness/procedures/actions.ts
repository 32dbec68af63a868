// Building blocks the procedures are made of. Each does one observable thing on the Platform and
// returns what it saw, so a step's message in the report is a measurement, not a claim.
import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import { TOPOLOGY } from '../platform/manifests.ts';
import type { Platform } from '../platform/types.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { done, notYet, poll, waitFor } from '../platform/wait.ts';
import { noPodsMatching, selectorText, servedHealthyBy } from '../kit/conditions.ts';
import type { ProcedureContext } from './context.ts';
import type { HealthTarget } from '../kit/health.ts';

/** Waits ms; an abort rejects with the signal's reason. The listener goes with the timer (long polls add none). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal?.aborted && signal.reason instanceof Error ? signal.reason : err;
  });

export interface SqliteDeploymentOptions {
  name: string;
  image: string;
  /** The app under drill: its port, env names, engine value, extra env and health path (as forTarget in drill/baseline.ts). */
  target: Pick<TargetProfile, 'app' | 'health'>;
  replicas: number;
  labels: Record<string, string>;
  claim?: string;
  namespace?: string;
  /** Readiness probe timing: hardened procedures probe faster than the runbook's 5 s/5 s. */
  readiness?: { initialDelaySeconds: number; periodSeconds: number; failureThreshold?: number };
}

/** The app in SQLite mode, typed (the hardened variant's deployment), with the target's names. */
export function sqliteDeployment(o: SqliteDeploymentOptions): V1Deployment {
  const ns = o.namespace ?? TOPOLOGY.namespace;
  const readiness = o.readiness ?? { initialDelaySeconds: 5, periodSeconds: 5 };
  const { app, health } = o.target;
  const probe = { path: health.path, port: app.port };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: ns, labels: { ...o.labels } },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { ...o.labels } },
      template: {
        metadata: { labels: { ...o.labels } },
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'hyperpage',
              image: o.image,
              // No database URL: a SQLite pod has no business reaching PostgreSQL (a security incident cuts it off).
              env: [
                ...Object.entries(app.extraEnv).map(([name, value]) => ({ name, value })),
                { name: app.env.engine, value: app.engines.sqlite },
                { name: app.env.sqlitePath, value: TOPOLOGY.sqlitePath },
              ],
              ports: [{ containerPort: app.port, name: 'http' }],
              volumeMounts: [{ name: 'data-volume', mountPath: '/data' }],
              resources: {
                requests: { memory: '256Mi', cpu: '100m' },
                limits: { memory: '512Mi', cpu: '500m' },
              },
              livenessProbe: {
                httpGet: { ...probe },
                initialDelaySeconds: 30,
                periodSeconds: 10,
              },
              readinessProbe: {
                httpGet: { ...probe },
                initialDelaySeconds: readiness.initialDelaySeconds,
                periodSeconds: readiness.periodSeconds,
                failureThreshold: readiness.failureThreshold ?? 3,
              },
            },
          ],
          volumes: [{ name: 'data-volume', persistentVolumeClaim: { claimName: o.claim ?? TOPOLOGY.sqlitePvc } }],
        },
      },
    },
  };
}

export interface CliJobOptions {
  name: string;
  image: string;
  /** Appended to `command`. */
  args?: string[];
  namespace?: string;
  /** Mount the PostgreSQL data claim at /pgdata (salvage of a broken server). */
  mountPostgresData?: boolean;
  env?: Record<string, string>;
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
  const mounts = [{ name: 'data-volume', mountPath: '/data' }];
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

export { answeredHealthy, describeHealth, healthCheck, type HealthSample, type HealthTarget } from '../kit/health.ts';

/**
 * Health through the host-reachable service URL, N consecutive times, each healthy AND served by
 * the expected engine. Returns a sentence with the numbers; throws with what was seen otherwise.
 */
export async function verifyServedBy(
  baseUrl: string,
  target: HealthTarget,
  engine: 'sqlite' | 'postgres',
  opts: { consecutive: number; timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<string> {
  const { streak, requests } = await waitFor(servedHealthyBy(baseUrl, target, engine, opts.consecutive), {
    describe: `${opts.consecutive} consecutive healthy answers served by ${engine} at ${baseUrl}`,
    timeoutMs: opts.timeoutMs,
    intervalMs: opts.intervalMs ?? 100,
    signal: opts.signal,
  });
  return `${streak} consecutive healthy responses served by ${engine} (${requests} requests)`;
}

/**
 * Watches a freshly applied deployment for the Kubernetes signature of a missing claim: pods
 * Pending and a FailedScheduling event naming it. Returns the event message when seen.
 */
export async function observeMissingClaim(
  platform: Platform,
  namespace: string,
  selector: Record<string, string>,
  claim: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const r = await poll(
    async () => {
      const events = await platform.events(namespace);
      const hit = events.find((e) => e.reason === 'FailedScheduling' && e.message.includes(claim));
      const pods = await platform.listPods(namespace, selector);
      if (hit && pods.every((p) => p.status?.phase === 'Pending')) return done(hit.message);
      return notYet(hit ? 'FailedScheduling seen, but not every pod is Pending' : `no FailedScheduling event naming ${claim}`);
    },
    { describe: `pods of ${selectorText(selector)} unschedulable for want of claim ${claim}`, timeoutMs, intervalMs: 250, signal },
  );
  // Not seen in time is an answer here (the claim exists, or the platform schedules without it).
  return r.done ? r.value : undefined;
}

/** Waits until a deployment has no pods left (scaled to 0 and drained). */
export async function waitForNoPods(
  platform: Platform,
  namespace: string,
  selector: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  const t0 = Date.now();
  await waitFor(noPodsMatching(platform, namespace, selector), {
    describe: `no pods matching ${selectorText(selector)} in ${namespace}`,
    timeoutMs,
    intervalMs: 200,
    signal,
  });
  return Date.now() - t0;
}

/** The PostgreSQL server's pods (the baseline's `hyperpage-postgres` deployment). */
export const POSTGRES_PODS = { app: 'hyperpage', component: 'database' } as const;

/** `pg_isready` in the PostgreSQL pod, with what it said (or why it could not run at all). */
export async function pgIsReady(platform: Platform, signal?: AbortSignal): Promise<{ accepting: boolean; detail: string }> {
  const firstLine = (s: string) => s.trim().split('\n')[0]?.trim().slice(0, 200) ?? '';
  try {
    const r = await platform.exec(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, ['pg_isready', '-U', 'hyperpage', '-d', 'hyperpage'], { timeoutMs: 5_000, signal });
    // pg_isready: 0 accepting, 1 rejecting (starting up), 2 no response, 3 no attempt.
    return { accepting: r.exitCode === 0, detail: `pg_isready exit ${r.exitCode}${firstLine(r.stdout || r.stderr) ? ` (${firstLine(r.stdout || r.stderr)})` : ''}` };
  } catch (err) {
    return { accepting: false, detail: `pg_isready could not run: ${firstLine((err as Error).message)}` };
  }
}

/** True when the PostgreSQL server accepts connections (pg_isready in its pod). */
export async function postgresAcceptsConnections(platform: Platform, signal?: AbortSignal): Promise<boolean> {
  return (await pgIsReady(platform, signal)).accepting;
}

/** Scales a deployment to 0 and waits until its pods are gone; returns how long that took. */
export async function scaleToZero(platform: Platform, deployment: string, selector: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  await platform.scale(TOPOLOGY.namespace, deployment, 0);
  return waitForNoPods(platform, TOPOLOGY.namespace, { ...selector }, timeoutMs, signal);
}

export function selectorOf(dep: V1Deployment): Record<string, string> {
  return { ...(dep.spec?.selector?.matchLabels ?? {}) };
}

export type { ProcedureContext };
