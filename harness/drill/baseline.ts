// The world before the incident: the baseline topology deployed, a pre-migration dataset in
// SQLite, migrated forward to PostgreSQL with the app's own sync, the app serving from
// PostgreSQL, and writes made there after the migration (the ones the runbook forgets).
import { randomBytes } from 'node:crypto';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { Journal } from '../journal/journal.ts';
import { loadBaselineManifests, TOPOLOGY } from '../platform/manifests.ts';
import type { KubeObject, Platform } from '../platform/types.ts';
import { cliJob } from '../procedures/actions.ts';
import { parseCliJson, SyncResultSchema, type SyncResult } from '../procedures/cli-contract.ts';

const NS = TOPOLOGY.namespace;

export interface BaselineOptions {
  platform: Platform;
  journal: Journal;
  image: string;
  datasetSize: number;
  progress(line: string): void;
  signal?: AbortSignal;
}

export interface Baseline {
  /** Forward migration result (SQLite → PostgreSQL), with per-table counts and checksums. */
  forward: SyncResult;
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

export async function deployBaseline(o: BaselineOptions): Promise<Baseline> {
  const t0 = Date.now();
  const objects = withRunCredentials(await loadBaselineManifests(), o.journal);
  const image = o.image;
  for (const obj of objects) {
    if (obj.kind === 'Deployment') {
      for (const c of (obj as V1Deployment).spec?.template.spec?.containers ?? []) if (c.image?.startsWith('hyperpage:')) c.image = image;
    }
  }
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

  const t1 = Date.now();
  o.progress(`  seeding ${o.datasetSize} users into SQLite (pre-migration dataset)`);
  const seed = await o.platform.runJob(
    cliJob({ name: 'hyperpage-seed', image, args: ['seed', '--users', String(o.datasetSize), '--json'], env: { DB_ENGINE: 'sqlite' } }),
    { timeoutMs: 300_000, signal: o.signal },
  );
  if (!seed.succeeded) throw new Error(`seeding SQLite failed (exit ${seed.exitCode}): ${seed.logs.trim().split('\n').pop()}`);

  o.progress('  forward migration SQLite → PostgreSQL (hyperpage-cli sync)');
  const fwd = await o.platform.runJob(
    cliJob({ name: 'hyperpage-forward-migration', image, args: ['sync', '--from', 'sqlite', '--to', 'postgres', '--mode', 'mirror', '--json'] }),
    { timeoutMs: 600_000, signal: o.signal },
  );
  const forward = parseCliJson(fwd.logs, SyncResultSchema, 'hyperpage-cli sync (forward migration)');
  if (!fwd.succeeded || !forward?.ok) {
    throw new Error(`forward migration failed (exit ${fwd.exitCode}): ${fwd.logs.trim().split('\n').pop()}`);
  }
  const seedMs = Date.now() - t1;
  o.journal.write({ type: 'probe.summary', probe: 'forward-migration', summary: { ...forward } });
  o.progress(`  migrated ${forward.rows} rows in ${forward.durationMs} ms, verified`);
  return { forward, seedMs, deployMs };
}
