// The write freeze on a real PostgreSQL (the postgres image of the local platform): writes in flight
// finish first, then every write is refused in every session (old, new, superuser), reads go on,
// and the thaw gives writes back.
import type { V1Secret } from '@kubernetes/client-node';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fixtureImages } from '../platform/local/fixtures/objects.ts';
import { createLocalPlatform } from '../platform/local/platform.ts';
import { loadBaselineManifests } from './manifests.ts';
import { TOPOLOGY } from './topology.ts';
import { FREEZE_MESSAGE, FREEZE_SQLSTATE, freezeWrites, frozenTables, thawWrites } from './write-freeze.ts';

const NS = TOPOLOGY.namespace;

describe('write freeze at the database', () => {
  it('waits for the writes in flight, then refuses every write in every session while reads go on; the thaw undoes it', async () => {
    await using p = await createLocalPlatform({ images: fixtureImages(), handleSignals: false });
    const objects = (await loadBaselineManifests()).filter((o) => !(o.kind === 'Deployment' && o.metadata?.name === TOPOLOGY.appDeployment) && o.metadata?.name !== TOPOLOGY.appService);
    const secret = objects.find((o) => o.kind === 'Secret') as V1Secret;
    const password = secret.stringData!.POSTGRES_PASSWORD!;
    await p.apply(objects);
    await p.waitForReady(NS, TOPOLOGY.postgresDeployment, 1, { timeoutMs: 60_000 });
    const port = new URL(await p.serviceUrl(NS, TOPOLOGY.postgresService, 5432)).port;
    const connect = async () => {
      const c = new pg.Client({ connectionString: `postgresql://hyperpage:${password}@127.0.0.1:${port}/hyperpage` });
      await c.connect();
      return c;
    };
    const old = await connect();
    await old.query(`CREATE TABLE users (id serial PRIMARY KEY, name text);
      CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int);
      INSERT INTO users (name) VALUES ('Zoë ☕'), ('إلياس');`);

    // A write in flight when the freeze starts: the freeze waits for it, so the copy's snapshot has it.
    const inFlight = await connect();
    await inFlight.query("BEGIN; INSERT INTO users (name) VALUES ('in flight')");
    const ctx = { platform: p };
    let frozeAt = 0;
    const freezing = freezeWrites(ctx).then((tables) => ((frozeAt = Date.now()), tables));
    await new Promise((r) => setTimeout(r, 400));
    const committedAt = Date.now();
    await inFlight.query('COMMIT');
    // A partition too: a write may name it, and a statement trigger fires for the table it names.
    expect(await freezing).toEqual(['billing.invoices', 'public.events', 'public.events_2026', 'public.users']);
    expect(frozeAt).toBeGreaterThanOrEqual(committedAt);
    expect(await frozenTables(ctx)).toBe(4);

    const fresh = await connect();
    const refused = async (c: pg.Client, sql: string) => {
      const err = (await c.query(sql).catch((e: unknown) => e)) as { code?: string; message?: string };
      return `${err.code}: ${err.message}`;
    };
    for (const [c, sql] of [
      [old, "INSERT INTO users (name) VALUES ('after')"],
      [fresh, "INSERT INTO users (name) VALUES ('after')"],
      [fresh, "UPDATE users SET name = 'x' WHERE id = 1"],
      [old, 'DELETE FROM users'],
      [fresh, 'TRUNCATE users'],
      [inFlight, "INSERT INTO events VALUES (1, '2026-12-06')"],
      [fresh, "INSERT INTO events_2026 VALUES (1, '2026-12-06')"],
      [fresh, 'INSERT INTO billing.invoices VALUES (1)'],
    ] as const)
      expect(await refused(c, sql), sql).toBe(`${FREEZE_SQLSTATE}: ${FREEZE_MESSAGE}`);
    // Reads are served, from sessions old and new.
    expect((await old.query<{ name: string }>('SELECT name FROM users ORDER BY id')).rows.map((r) => r.name)).toEqual(['Zoë ☕', 'إلياس', 'in flight']);
    expect((await fresh.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);

    await thawWrites(ctx);
    await thawWrites(ctx); // idempotent: the finally stage may thaw what the procedure already thawed
    expect(await frozenTables(ctx)).toBe(0);
    await old.query("INSERT INTO users (name) VALUES ('after the thaw')");
    expect((await fresh.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(4);
    for (const c of [old, inFlight, fresh]) await c.end();
  }, 120_000);
});
