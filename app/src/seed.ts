// A deterministic dataset: the same N gives the same rows (and so the same checksums) on both engines.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { TABLES } from './db/schema.ts';
import { postgresCopyIn, type Row } from './sync/table-io.ts';

const T0 = 1_700_000_000_000;

/** A user given by the caller (a file of JSON lines): stored after the deterministic ones, as given. */
export interface GivenUser {
  email: string;
  name: string;
}

export function* seedRows(table: 'users' | 'jobs' | 'app_state', n: number, startId = 1, given: readonly GivenUser[] = []): Generator<Row> {
  if (table === 'users') {
    for (let i = startId; i < startId + n; i++) yield [i, `user-${i}@seed.local`, `User ${i}`, T0 + i * 1000];
    for (const [k, u] of given.entries()) yield [startId + n + k, u.email, u.name, T0 + (startId + n + k) * 1000];
  }
  if (table === 'jobs')
    for (let i = startId; i < startId + Math.ceil(n / 100); i++)
      yield [i, i % 3 === 0 ? 'sync' : 'report', i % 7 === 0 ? 'failed' : 'done', JSON.stringify({ n: i, note: 'tab\there "quoted"' }), T0 + i * 5000];
  if (table === 'app_state') yield ['seeded_users', String(n), T0];
}

const def = (name: string) => TABLES.find((t) => t.name === name)!;

export function seedSqlite(db: BetterSqlite3.Database, users: number, given: readonly GivenUser[] = []): number {
  let n = 0;
  const tx = db.transaction(() => {
    const u = db.prepare('INSERT INTO users (id, email, name, created_at) VALUES (?, ?, ?, ?)');
    for (const r of seedRows('users', users, 1, given)) (u.run(r), n++);
    const j = db.prepare('INSERT INTO jobs (id, type, status, payload, created_at) VALUES (?, ?, ?, ?, ?)');
    for (const r of seedRows('jobs', users)) (j.run(r), n++);
    const s = db.prepare('INSERT OR REPLACE INTO app_state (key, value, updated_at) VALUES (?, ?, ?)');
    for (const r of seedRows('app_state', users)) (s.run(r), n++);
  });
  tx.immediate();
  return n;
}

export async function seedPostgres(client: pg.PoolClient | pg.Client, users: number, given: readonly GivenUser[] = []): Promise<number> {
  await client.query('BEGIN');
  try {
    let n = await postgresCopyIn(client, def('users'), 'upsert', seedRows('users', users, 1, given));
    n += await postgresCopyIn(client, def('jobs'), 'upsert', seedRows('jobs', users));
    for (const r of seedRows('app_state', users)) {
      await client.query('INSERT INTO app_state (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', r);
      n++;
    }
    await client.query('COMMIT');
    return n;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
