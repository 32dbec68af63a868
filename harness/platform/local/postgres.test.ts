// The `postgres:*` image on the local platform: a real embedded PostgreSQL 15 with the official
// image's POSTGRES_* semantics, data on its claim's directory, reached through the Service's TCP
// proxy, with Debian's client tools in exec — the baseline's database exactly as applied.
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadBaselineManifests } from '../../kit/manifests.ts';
import { TOPOLOGY } from '../../kit/topology.ts';
import type { KubeObject } from '../../model/platform.ts';
import { fixtureDeployment, fixtureImages } from './fixtures/objects.ts';
import { createLocalPlatform } from './platform.ts';

const NS = TOPOLOGY.namespace;
const PG = TOPOLOGY.postgresDeployment;

/** The baseline without the app, with a fresh password. */
async function databaseObjects(password: string): Promise<KubeObject[]> {
  const objects = (await loadBaselineManifests()).filter((o) => !(o.kind === 'Deployment' && o.metadata?.name === TOPOLOGY.appDeployment) && o.metadata?.name !== TOPOLOGY.appService);
  return objects.map((o) => {
    if (o.kind !== 'Secret') return o;
    const s = structuredClone(o) as V1Secret;
    if (s.stringData?.POSTGRES_PASSWORD) s.stringData.POSTGRES_PASSWORD = password;
    if (s.stringData?.DATABASE_URL) s.stringData.DATABASE_URL = s.stringData.DATABASE_URL.replace('drill-only-change-me', password);
    return s;
  });
}

describe('local platform: postgres image', () => {
  it('runs PostgreSQL with POSTGRES_USER/PASSWORD/DB, pg tools in exec, data kept across restarts, reachable through the Service', async () => {
    await using p = await createLocalPlatform({ images: fixtureImages(), restartBackoffMs: { initial: 200, max: 2000 }, handleSignals: false });
    const password = randomBytes(12).toString('hex');
    await p.apply(await databaseObjects(password));
    await p.waitForReady(NS, PG, 1, { timeoutMs: 60_000 });

    const ready = await p.exec(NS, PG, ['pg_isready', '-U', 'hyperpage', '-d', 'hyperpage']);
    expect(ready.exitCode).toBe(0);
    expect(ready.stdout).toContain('accepting connections');
    const create = await p.exec(NS, PG, ['psql', '-v', 'ON_ERROR_STOP=1', '-U', 'hyperpage', '-d', 'hyperpage', '-c', 'CREATE TABLE users (id int); INSERT INTO users VALUES (1), (2), (3);']);
    expect(create.stderr).toBe('');
    expect(create.exitCode).toBe(0);
    const dump = await p.exec(NS, PG, ['pg_dump', '-U', 'hyperpage', 'hyperpage']);
    expect(dump.exitCode).toBe(0);
    expect(dump.stdout).toContain('COPY public.users (id) FROM stdin;');
    // The damage the database-corruption fault does goes to the claim's directory.
    const pgdata = await p.exec(NS, PG, ['sh', '-c', 'echo "$PGDATA"; cat "$PGDATA/PG_VERSION"']);
    expect(pgdata.stdout).toBe(`${p.claimPath(NS, TOPOLOGY.postgresPvc)}/pgdata\n15\n`);

    // Through the Service, with the app's DATABASE_URL as a pod sees it: cluster DNS → local proxy.
    const client = fixtureDeployment({ name: 'client', labels: { app: 'client' }, ns: NS });
    client.spec!.template.spec!.containers[0]!.env!.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: TOPOLOGY.appSecret, key: 'DATABASE_URL' } } });
    await p.apply(client);
    await p.waitForReady(NS, 'client', 1, { timeoutMs: 30_000 });
    const svcPort = new URL(await p.serviceUrl(NS, TOPOLOGY.postgresService, 5432)).port;
    const url = await p.exec(NS, 'client', ['sh', '-c', 'echo "$DATABASE_URL"']);
    expect(url.stdout.trim()).toBe(`postgresql://hyperpage:${password}@127.0.0.1:${svcPort}/hyperpage`);
    const viaService = await p.exec(NS, 'client', ['sh', '-c', 'psql "$DATABASE_URL" -tAc "SELECT count(*) FROM users"']);
    expect(viaService.stdout.trim()).toBe('3');
    const wrong = new pg.Client({ connectionString: `postgresql://hyperpage:wrong@127.0.0.1:${svcPort}/hyperpage` });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);

    // Restart: the data directory is kept, not initialised again.
    await p.scale(NS, PG, 0);
    await p.waitForReady(NS, PG, 0, { timeoutMs: 30_000 });
    for (let i = 0; i < 100 && (await p.listPods(NS, { component: 'database' })).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await p.scale(NS, PG, 1);
    await p.waitForReady(NS, PG, 1, { timeoutMs: 60_000 });
    const count = await p.exec(NS, PG, ['psql', '-U', 'hyperpage', '-tAc', 'SELECT count(*) FROM users']);
    expect(count.stdout.trim()).toBe('3');
    const logs = (await p.logs(NS)).filter((l) => l.owner === PG).map((l) => l.text);
    expect(logs[0]).toContain('initdb template'); // first start: a copy of the cached initdb result
    expect(logs.at(-1)).toContain('Skipping initialization');
    expect(logs.join('\n')).not.toContain(password);
  });

  it('refuses to initialise without POSTGRES_PASSWORD, and cannot start on a damaged data directory', async () => {
    await using p = await createLocalPlatform({ restartBackoffMs: { initial: 200, max: 1000 }, handleSignals: false });
    const password = randomBytes(12).toString('hex');
    const objects = await databaseObjects(password);
    // This one runs initdb itself (no template), the way the official image always does.
    const pgDep = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === PG) as V1Deployment;
    pgDep.spec!.template.spec!.containers[0]!.env!.push({ name: 'ROLLBACK_DRILL_PG_TEMPLATES', value: 'off' });
    await p.apply(objects);
    await p.waitForReady(NS, PG, 1, { timeoutMs: 60_000 });
    const initLog = (await p.logs(NS)).find((l) => l.owner === PG)?.text ?? '';
    expect(initLog).toContain('Success. You can now start the database server');
    expect(initLog).not.toContain('initdb template');
    const dbs = await p.exec(NS, PG, ['psql', '-U', 'hyperpage', '-tAc', "SELECT datname FROM pg_database WHERE datname = 'hyperpage'"]);
    expect(dbs.stdout.trim()).toBe('hyperpage');

    // No password: the official image's error, and the container restarts.
    const nopw = structuredClone(objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === PG)) as V1Deployment;
    nopw.metadata!.name = 'nopw';
    nopw.spec!.selector.matchLabels = { app: 'nopw' };
    nopw.spec!.template.metadata!.labels = { app: 'nopw' };
    nopw.spec!.template.spec!.containers[0]!.envFrom = [];
    nopw.spec!.template.spec!.volumes = [{ name: 'postgres-data', emptyDir: {} }];
    await p.apply(nopw);
    const text = await (async () => {
      for (let i = 0; i < 200; i++) {
        const l = (await p.logs(NS)).find((x) => x.owner === 'nopw')?.text ?? '';
        if (l.includes('superuser password is not specified')) return l;
        await new Promise((r) => setTimeout(r, 100));
      }
      return '';
    })();
    expect(text).toContain('Database is uninitialized and superuser password is not specified.');

    // Damaged PG_VERSION (what the database-corruption fault does), then a restart: never ready again.
    const damage = await p.exec(NS, PG, ['sh', '-c', 'printf "corrupted\\n" > "$PGDATA/PG_VERSION"']);
    expect(damage.exitCode).toBe(0);
    await p.scale(NS, PG, 0);
    for (let i = 0; i < 100 && (await p.listPods(NS, { component: 'database' })).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await p.scale(NS, PG, 1);
    await expect(p.waitForReady(NS, PG, 1, { timeoutMs: 5000 })).rejects.toThrow(/not ready/);
    const [pod] = await p.listPods(NS, { component: 'database' });
    expect(pod!.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(1);
    const pgLog = (await p.logs(NS)).filter((l) => l.pod === pod!.metadata!.name).map((l) => l.text).join('');
    expect(pgLog).toMatch(/FATAL: +".*pgdata" is not a valid data directory/);
  });
});
