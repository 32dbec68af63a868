// Building blocks the procedures are made of. Each does one observable thing on the Platform and
// returns what it saw, so a step's message in the report is a measurement, not a claim.
import type { V1Deployment, V1Job } from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import { TOPOLOGY } from '../platform/manifests.ts';
import type { Platform } from '../platform/types.ts';
import type { ProcedureContext } from './context.ts';

/** Waits ms; an abort rejects with the signal's reason. The listener goes with the timer (long polls add none). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch((err: unknown) => {
    throw signal?.aborted && signal.reason instanceof Error ? signal.reason : err;
  });

export interface SqliteDeploymentOptions {
  name: string;
  image: string;
  replicas: number;
  labels: Record<string, string>;
  claim?: string;
  namespace?: string;
  /** Readiness probe timing: hardened procedures probe faster than the runbook's 5 s/5 s. */
  readiness?: { initialDelaySeconds: number; periodSeconds: number; failureThreshold?: number };
}

/** The app in SQLite mode, typed (the hardened variant's deployment). */
export function sqliteDeployment(o: SqliteDeploymentOptions): V1Deployment {
  const ns = o.namespace ?? TOPOLOGY.namespace;
  const readiness = o.readiness ?? { initialDelaySeconds: 5, periodSeconds: 5 };
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
              env: [
                { name: 'NODE_ENV', value: 'production' },
                { name: 'DB_ENGINE', value: 'sqlite' },
                { name: 'DATABASE_PATH', value: TOPOLOGY.sqlitePath },
                { name: 'ENABLE_RATE_LIMITING', value: 'true' },
                { name: 'ENABLE_GITHUB', value: 'true' },
                { name: 'ENABLE_GITLAB', value: 'true' },
                { name: 'ENABLE_JIRA', value: 'true' },
              ],
              ports: [{ containerPort: 3000, name: 'http' }],
              volumeMounts: [{ name: 'data-volume', mountPath: '/data' }],
              resources: {
                requests: { memory: '256Mi', cpu: '100m' },
                limits: { memory: '512Mi', cpu: '500m' },
              },
              livenessProbe: {
                httpGet: { path: '/api/health', port: 3000 },
                initialDelaySeconds: 30,
                periodSeconds: 10,
              },
              readinessProbe: {
                httpGet: { path: '/api/health', port: 3000 },
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
  args: string[];
  namespace?: string;
  /** Mount the PostgreSQL data claim at /pgdata (salvage of a broken server). */
  mountPostgresData?: boolean;
  env?: Record<string, string>;
}

/** A one-shot Job running the app's CLI with both databases reachable (DATABASE_URL from the app secret). */
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
              command: ['hyperpage-cli', ...o.args],
              env: [
                { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } },
                { name: 'DATABASE_PATH', value: TOPOLOGY.sqlitePath },
                ...Object.entries(o.env ?? {}).map(([name, value]) => ({ name, value })),
              ],
              volumeMounts: mounts,
              // PostgreSQL's data directory is 0700, owned by the postgres image's uid (70); the app image
              // runs as node. Only root reads it: salvage runs its throwaway server as the image's postgres
              // user and hands the SQLite file back to its owner.
              ...(o.mountPostgresData ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
            },
          ],
          volumes,
        },
      },
    },
  };
}

// The CLI's JSON result contract, owned by the app.
import type { SyncResult } from '../../app/src/sync/sync.ts';
export type { SyncResult, TableResult as SyncTable } from '../../app/src/sync/sync.ts';

/** The CLI prints one JSON result line on stdout; logs mix in progress lines from stderr. */
export function parseCliJson<T>(logs: string): T | undefined {
  const lines = logs.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.startsWith('{') && l.endsWith('}')) {
      try {
        return JSON.parse(l) as T;
      } catch {
        /* not the result line */
      }
    }
  }
  return undefined;
}

export interface HealthSample {
  status: number;
  engine?: string;
  body?: { status?: string; engine?: string };
  latencyMs: number;
  error?: string;
}

export async function healthCheck(baseUrl: string, timeoutMs = 3000): Promise<HealthSample> {
  const t0 = performance.now();
  try {
    const res = await request(new URL('/api/health', baseUrl), {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    let body: HealthSample['body'];
    try {
      body = JSON.parse(text) as HealthSample['body'];
    } catch {
      body = undefined;
    }
    const header = res.headers['x-db-engine'];
    return {
      status: res.statusCode,
      engine: (Array.isArray(header) ? header[0] : header) ?? body?.engine,
      body,
      latencyMs: performance.now() - t0,
    };
  } catch (err) {
    return { status: 0, latencyMs: performance.now() - t0, error: (err as Error).message };
  }
}

/**
 * Health through the host-reachable service URL, N consecutive times, each healthy AND served by
 * the expected engine. Returns a sentence with the numbers; throws with what was seen otherwise.
 */
export async function verifyServedBy(
  baseUrl: string,
  engine: 'sqlite' | 'postgres',
  opts: { consecutive: number; timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<string> {
  const deadline = Date.now() + opts.timeoutMs;
  let streak = 0;
  let tries = 0;
  let last: HealthSample | undefined;
  while (Date.now() < deadline) {
    tries++;
    last = await healthCheck(baseUrl);
    const good = last.status === 200 && last.body?.status === 'healthy' && last.engine === engine;
    streak = good ? streak + 1 : 0;
    if (streak >= opts.consecutive) return `${streak} consecutive healthy responses served by ${engine} (${tries} requests)`;
    await sleep(opts.intervalMs ?? 100, opts.signal);
  }
  throw new Error(
    `service not healthy on ${engine}: last answer HTTP ${last?.status ?? '-'} engine=${last?.engine ?? '-'} ${last?.error ?? last?.body?.status ?? ''}`.trim(),
  );
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
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const events = await platform.events(namespace);
    const hit = events.find((e) => e.reason === 'FailedScheduling' && e.message.includes(claim));
    const pods = await platform.listPods(namespace, selector);
    if (hit && pods.every((p) => p.status?.phase === 'Pending')) return hit.message;
    await sleep(250, signal);
  }
  return undefined;
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
  while (Date.now() - t0 < timeoutMs) {
    const pods = (await platform.listPods(namespace, selector)).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
    if (pods.length === 0) return Date.now() - t0;
    await sleep(200, signal);
  }
  throw new Error(`pods matching ${JSON.stringify(selector)} still running after ${timeoutMs} ms`);
}

/** The PostgreSQL server's pods (the baseline's `hyperpage-postgres` deployment). */
export const POSTGRES_PODS = { app: 'hyperpage', component: 'database' } as const;

/** `pg_isready` in the PostgreSQL pod: true when the server accepts connections. */
export async function postgresAcceptsConnections(platform: Platform, signal?: AbortSignal): Promise<boolean> {
  return platform
    .exec(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, ['pg_isready', '-U', 'hyperpage', '-d', 'hyperpage'], { timeoutMs: 5_000, signal })
    .then((r) => r.exitCode === 0)
    .catch(() => false);
}

/** Scales a deployment to 0 and waits until its pods are gone; returns how long that took. */
export async function scaleToZero(platform: Platform, deployment: string, selector: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  await platform.scale(TOPOLOGY.namespace, deployment, 0);
  return waitForNoPods(platform, TOPOLOGY.namespace, { ...selector }, timeoutMs, signal);
}

/** A sync or salvage run as a Job: its result line and the Job's outcome. */
export async function runSyncJob(
  ctx: Pick<ProcedureContext, 'platform' | 'image'>,
  args: string[],
  opts: { mountPostgresData: boolean; signal?: AbortSignal },
): Promise<{ res: Awaited<ReturnType<Platform['runJob']>>; out: SyncResult | undefined }> {
  const job = cliJob({ name: `hyperpage-${args[0]}-${Date.now().toString(36)}`, image: ctx.image, args, mountPostgresData: opts.mountPostgresData });
  const res = await ctx.platform.runJob(job, { timeoutMs: 110_000, signal: opts.signal });
  return { res, out: parseCliJson<SyncResult>(res.logs) };
}

/** Throws unless the Job succeeded and verified, naming the tables that differ and the last log line. */
export function assertSynced(how: string, r: { res: { succeeded: boolean; exitCode: number; logs: string }; out: SyncResult | undefined }): SyncResult {
  if (r.res.succeeded && r.out?.ok) return r.out;
  const bad = r.out?.tables.filter((t) => !t.ok).map((t) => `${t.name} ${t.sourceRows}→${t.targetRows}`) ?? [];
  const last = (r.res.logs.trim().split('\n').pop() ?? '').slice(0, 300);
  throw new Error(`${how} failed (exit ${r.res.exitCode})${bad.length ? `: ${bad.join(', ')}` : ''}: ${last}`);
}

export function selectorOf(dep: V1Deployment): Record<string, string> {
  return { ...(dep.spec?.selector?.matchLabels ?? {}) };
}

export type { ProcedureContext };
