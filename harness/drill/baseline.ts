// The world before the incident: the baseline topology deployed with the target's app in it, its
// jobs run (for the reference app: a pre-migration dataset in SQLite, migrated forward to PostgreSQL
// with the app's own sync), the app serving from PostgreSQL.
import { randomBytes } from 'node:crypto';
import type { V1Deployment, V1Secret, V1Service } from '@kubernetes/client-node';
import type { Journal } from '../journal/journal.ts';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { KubeObject, Platform } from '../model/platform.ts';
import { cliJob } from '../kit/jobs.ts';
import { parseCliJson } from '../kit/app-cli.ts';
import { SyncResultSchema, type SyncResult } from '../model/app-cli-results.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import type { WriteRecord } from '../model/measurements.ts';
import { sentValues, writeRequest } from '../kit/workload.ts';

const NS = TOPOLOGY.namespace;

export interface BaselineOptions {
  platform: Platform;
  journal: Journal;
  /** The app under drill: how its containers are set up, and the jobs that seed and migrate it. */
  target: TargetProfile;
  image: string;
  datasetSize: number;
  /** The seed of the generated values, and the key prefix of the pre-migration rows generated with it. */
  valueSeed?: number;
  seedPrefix?: string;
  progress(line: string): void;
  signal?: AbortSignal;
}

/** Pre-migration rows with generated values a baseline job seeds (`{{seedValues}}`): enough for every kind of value many times over. */
export const SEEDED_VALUE_ROWS = 200;
const SEED_VALUES = { configMap: 'drill-seed-values', dir: '/drill-seed', file: 'values.jsonl' } as const;

/**
 * The pre-migration rows of a set target whose baseline job takes `{{seedValues}}`: write bodies as
 * its API takes them (the profile's body template), one JSON per line, each with generated values
 * (kit/values.ts), in a ConfigMap the job mounts. Returned as acknowledged writes.
 */
async function seedValuesFile(o: BaselineOptions): Promise<WriteRecord[]> {
  const w = o.target.workload;
  if (w.model !== 'set' || w.write.body === undefined) throw new Error(`target ${o.target.name}: a baseline job takes {{seedValues}}, which needs a set workload with a JSON body`);
  const t = Date.now();
  const writes = Array.from({ length: SEEDED_VALUE_ROWS }, (_, i) => writeRequest(w, o.seedPrefix ?? 'premig-', i + 1, `pre-migration ${i + 1}`, o.valueSeed));
  await o.platform.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: SEED_VALUES.configMap, namespace: NS },
    data: { [SEED_VALUES.file]: writes.map((r) => JSON.stringify(JSON.parse(r.body!))).join('\n') + '\n' },
  } as KubeObject);
  return writes.map((r, i) => ({ email: r.key, seq: i + 1, t, latencyMs: 0, outcome: 'ok' as const, status: 0, ...sentValues(r) }));
}

export interface Baseline {
  /** Forward migration result (SQLite → PostgreSQL), with per-table counts and checksums, when the target has one. */
  forward?: SyncResult;
  /** The writes handed to a baseline job as pre-migration rows (`{{seedValues}}`), each as acknowledged: checked like every other. */
  seeded: WriteRecord[];
  seedMs: number;
  deployMs: number;
}

/** A fresh password per run, registered with the journal's redactor before it is used anywhere. */
export function withRunCredentials(objects: KubeObject[], journal: Journal): KubeObject[] {
  const password = randomBytes(18).toString('base64url');
  journal.redactor.add(password);
  return withPassword(objects, password);
}

/** The baseline's secrets with `password` for PostgreSQL and in the app's DATABASE_URL. */
export function withPassword(objects: KubeObject[], password: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Secret') return o;
    const s = structuredClone(o) as V1Secret;
    if (s.metadata?.name === TOPOLOGY.postgresSecret && s.stringData) s.stringData.POSTGRES_PASSWORD = password;
    if (s.metadata?.name === TOPOLOGY.appSecret && s.stringData?.DATABASE_URL) {
      const url = new URL(s.stringData.DATABASE_URL);
      url.password = password;
      s.stringData.DATABASE_URL = url.toString();
    }
    return s;
  });
}

/**
 * The harness's baseline manifests (the runbook's topology: its object names) made to run the target:
 * the app containers get its image, port, health path and the env names it reads; the Service
 * forwards to its port.
 */
export function forTarget(objects: KubeObject[], target: TargetProfile, image: string): KubeObject[] {
  const { app } = target;
  return objects.map((o) => {
    if (o.kind === 'Service' && o.metadata?.name === TOPOLOGY.appService) {
      const svc = structuredClone(o) as V1Service;
      for (const p of svc.spec?.ports ?? []) p.targetPort = app.port;
      return svc;
    }
    if (o.kind !== 'Deployment' || o.metadata?.name !== TOPOLOGY.appDeployment) return o;
    const dep = structuredClone(o) as V1Deployment;
    for (const c of dep.spec?.template.spec?.containers ?? []) {
      c.image = image;
      const dbUrl = c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom;
      c.env = [
        ...Object.entries(app.extraEnv).map(([name, value]) => ({ name, value })),
        { name: app.env.engine, value: app.engines.postgres },
        { name: app.env.databaseUrl, ...(dbUrl ? { valueFrom: dbUrl } : {}) },
        { name: app.env.sqlitePath, value: TOPOLOGY.sqlitePath },
      ];
      c.ports = [{ containerPort: app.port, name: 'http' }];
      for (const probe of [c.livenessProbe, c.readinessProbe]) if (probe?.httpGet) probe.httpGet = { ...probe.httpGet, path: target.health.path, port: app.port };
    }
    return dep;
  });
}

export async function deployBaseline(o: BaselineOptions): Promise<Baseline> {
  const t0 = Date.now();
  const { target, image } = o;
  const objects = forTarget(withRunCredentials(await loadBaselineManifests(), o.journal), target, image);
  o.progress(`  deploying baseline (${objects.length} objects) to namespace ${NS}`);
  await o.platform.apply(objects);
  await o.platform.waitForReady(NS, TOPOLOGY.postgresDeployment, 1, {
    timeoutMs: 120_000,
    signal: o.signal,
    onProgress: (s) => o.progress(`    postgres ${s.readyReplicas}/1 ready`),
  });
  await o.platform.waitForReady(NS, TOPOLOGY.appDeployment, 3, {
    timeoutMs: 180_000,
    signal: o.signal,
    onProgress: (s) => o.progress(`    app (postgres) ${s.readyReplicas}/3 ready`),
  });
  const deployMs = Date.now() - t0;

  // The target's jobs (seed, migrate, the forward migration), in its image, in order.
  const t1 = Date.now();
  let forward: SyncResult | undefined;
  const takesValues = (job: (typeof target.baseline)[number]) => job.command.some((a) => a.includes('{{seedValues}}'));
  const seeded = target.baseline.some(takesValues) ? await seedValuesFile(o) : [];
  const fill = (x: string) => x.replaceAll('{{datasetSize}}', String(o.datasetSize)).replaceAll('{{seedValues}}', `${SEED_VALUES.dir}/${SEED_VALUES.file}`);
  for (const job of target.baseline) {
    o.progress(`  ${fill(job.says)}${takesValues(job) ? ` (+ ${seeded.length} rows of generated values)` : ''}`);
    const env = Object.fromEntries(Object.entries(job.env).map(([k, v]) => [k, fill(v)]));
    const configMap = takesValues(job) ? { configMap: { name: SEED_VALUES.configMap, mountPath: SEED_VALUES.dir } } : {};
    const r = await o.platform.runJob(cliJob({ name: job.name, image, args: [], command: job.command.map(fill), env, appEnv: target.app.env, ...configMap }), { timeoutMs: 600_000, signal: o.signal });
    const last = r.logs.trim().split('\n').pop() ?? '';
    if (job.result === 'sync') {
      forward = parseCliJson(r.logs, SyncResultSchema, `${job.command[0]} (${job.name})`);
      if (!r.succeeded || !forward?.ok) throw new Error(`${job.name} failed (exit ${r.exitCode}): ${last}`);
      o.journal.write({ type: 'probe.summary', probe: 'forward-migration', summary: { ...forward } });
      o.progress(`  migrated ${forward.rows} rows in ${forward.durationMs} ms, verified`);
    } else if (!r.succeeded) throw new Error(`${job.name} failed (exit ${r.exitCode}): ${last}`);
  }
  return { forward, seeded, seedMs: Date.now() - t1, deployMs };
}
