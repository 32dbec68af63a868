// Building blocks the procedures are made of. Each does one observable thing on the Platform and
// returns what it saw, so a step's message in the report is a measurement, not a claim.
import type { V1Deployment } from '@kubernetes/client-node';
import { TOPOLOGY } from '../kit/topology.ts';
import type { Platform } from '../model/platform.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { done, notYet, poll, waitFor } from '../platform/wait.ts';
import { selectorText, servedHealthyBy } from '../kit/conditions.ts';
import type { HealthTarget } from '../kit/health.ts';

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
