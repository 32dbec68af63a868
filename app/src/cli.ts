// hyperpage-cli: migrate, sync, checksum, seed, salvage, fault-proxy. One JSON result line on
// stdout with --json, progress on stderr; exit 0 ok, 1 verification mismatch, 2 usage/config error
// or a database that does not answer (one line, password masked), 3 anything else.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, assertWritableSqlitePath, parseEngine, redactUrl, type Engine } from './config.ts';
import { migratePostgres } from './db/postgres.ts';
import { keepSqliteOwner, openSqlite, migrateSqlite } from './db/sqlite.ts';
import { TABLES } from './db/schema.ts';
import { parseHostPort, startFaultProxy } from './fault-proxy.ts';
import { startSalvageServer } from './salvage.ts';
import { seedPostgres, seedSqlite, type GivenUser } from './seed.ts';
import { postgresChecksum, sqliteChecksum } from './sync/checksum.ts';
import { syncDatabases, type SyncMode, type SyncResult } from './sync/sync.ts';

class UsageError extends Error {}
/** The database named by the caller does not answer or refuses the login: bad input, not a crash. */
class UnreachableDatabase extends Error {}
const USAGE = `usage: hyperpage-cli <command> [options]
  migrate                                   migrate the database of DB_ENGINE
  sync --from E --to E [--mode mirror|upsert] [--verify-only] [--skip-missing]
                                            copy every table between sqlite and postgres, then verify
                                            (--skip-missing: a table missing on the source is left as is)
  checksum [--engine E] [--max-id table=N]  per-table row counts and checksums
  seed --users N [--users-file F]           deterministic dataset into DB_ENGINE, then the users of
                                            F (JSON lines {"email", "name"}) after them
  salvage --pgdata DIR --to sqlite [--mode mirror|upsert]
                                            read a PostgreSQL data dir whose server cannot start into SQLite
  fault-proxy --listen H:P --target H:P --latency-ms N
common: --database-url URL (or DATABASE_URL), --database-path FILE (or DATABASE_PATH), --json`;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** JSON lines `{"email": …, "name": …}`; a line of another shape is a usage error naming it. */
export function readUsersFile(file: string): GivenUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--users-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const u = (() => {
        try {
          return JSON.parse(l) as Partial<GivenUser>;
        } catch {
          return undefined;
        }
      })();
      if (typeof u?.email !== 'string' || typeof u.name !== 'string') throw new UsageError(`--users-file ${file}: line ${i + 1} is not {"email": string, "name": string}`);
      return { email: u.email, name: u.name };
    });
}


function engineArg(v: unknown, flag: string): Engine {
  try {
    return parseEngine(v as string | undefined);
  } catch {
    throw new UsageError(`${flag} must be sqlite or postgres (got ${JSON.stringify(v ?? null)})`);
  }
}

function modeArg(v: unknown): SyncMode {
  if (v === undefined) return 'upsert';
  if (v === 'mirror' || v === 'upsert') return v;
  throw new UsageError(`--mode must be mirror or upsert (got ${JSON.stringify(v)})`);
}

function needUrl(values: Record<string, unknown>): string {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('DATABASE_URL (or --database-url) is required for postgres');
  return url;
}

function needPath(values: Record<string, unknown>): string {
  const file = (values['database-path'] as string | undefined) ?? process.env.DATABASE_PATH;
  if (!file) throw new UsageError('DATABASE_PATH (or --database-path) is required for sqlite');
  assertWritableSqlitePath(file);
  return file;
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (err) {
    throw new UnreachableDatabase(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  return c;
}

function report(result: SyncResult, json: boolean): number {
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  for (const t of result.tables) log(`${t.ok ? 'ok  ' : 'FAIL'} ${t.name}: ${t.sourceRows} → ${t.targetRows} rows${t.ok ? '' : ` (checksum ${t.sourceChecksum.slice(0, 12)} ≠ ${t.targetChecksum.slice(0, 12)})`}`);
  log(`${result.ok ? 'verified' : 'VERIFICATION FAILED'}: ${result.rows} rows copied in ${result.copyMs} ms (${result.rowsPerSec} rows/s), verify ${result.verifyMs} ms`);
  if (!result.ok) log(`mismatch in: ${result.tables.filter((t) => !t.ok).map((t) => t.name).join(', ')}`);
  return result.ok ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        mode: { type: 'string' },
        engine: { type: 'string' },
        'verify-only': { type: 'boolean' },
        'skip-missing': { type: 'boolean' },
        'max-id': { type: 'string', multiple: true },
        users: { type: 'string' },
        'users-file': { type: 'string' },
        pgdata: { type: 'string' },
        listen: { type: 'string' },
        target: { type: 'string' },
        'latency-ms': { type: 'string' },
        'database-url': { type: 'string' },
        'database-path': { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const json = Boolean(values.json);

  switch (command) {
    case 'migrate': {
      const engine = engineArg(values.engine ?? process.env.DB_ENGINE, 'DB_ENGINE');
      if (engine === 'sqlite') migrateSqlite(openSqlite(needPath(values)));
      else {
        const c = await connect(needUrl(values));
        try {
          await migratePostgresClient(c);
        } finally {
          await c.end();
        }
      }
      log(`migrated ${engine}`);
      if (json) process.stdout.write(JSON.stringify({ ok: true, engine }) + '\n');
      return 0;
    }
    case 'sync': {
      const from = engineArg(values.from, '--from');
      const to = engineArg(values.to, '--to');
      if (from === to) throw new UsageError('--from and --to must differ');
      const mode = modeArg(values.mode);
      const sqlitePath = needPath(values);
      const sqlite = openSqlite(sqlitePath);
      const client = await connect(needUrl(values));
      try {
        migrateSqlite(sqlite);
        // The source is read as it stands (a rollback must not "repair" the database it flees).
        if (to === 'postgres') await migratePostgresClient(client);
        log(`sync ${from} → ${to} (${mode})`);
        return report(await syncDatabases({ sqlite, sqlitePath, postgres: client }, { from, to, mode, verifyOnly: Boolean(values['verify-only']), skipMissing: Boolean(values['skip-missing']), progress: log }), json);
      } finally {
        await client.end();
        sqlite.close();
      }
    }
    case 'checksum': {
      const engine = engineArg(values.engine ?? process.env.DB_ENGINE, '--engine/DB_ENGINE');
      const maxIds = new Map<string, number>();
      for (const spec of (values['max-id'] as string[] | undefined) ?? []) {
        const m = /^([a-z_]+)=(\d+)$/.exec(spec);
        if (!m || !TABLES.some((t) => t.name === m[1])) throw new UsageError(`--max-id must be TABLE=N with a known table (got ${JSON.stringify(spec)})`);
        maxIds.set(m[1]!, Number(m[2]));
      }
      const tables = [];
      if (engine === 'sqlite') {
        const db = openSqlite(needPath(values));
        for (const t of TABLES) tables.push(sqliteChecksum(db, t, maxIds.get(t.name)));
        db.close();
      } else {
        const c = await connect(needUrl(values));
        try {
          for (const t of TABLES) tables.push(await postgresChecksum(c, t, maxIds.get(t.name)));
        } finally {
          await c.end();
        }
      }
      if (json) process.stdout.write(JSON.stringify({ ok: true, engine, tables }) + '\n');
      else for (const t of tables) process.stdout.write(`${t.name}\t${t.rows}\t${t.checksum}\n`);
      return 0;
    }
    case 'seed': {
      const users = Number(values.users);
      if (!Number.isInteger(users) || users < 0) throw new UsageError(`--users must be a whole number >= 0 (got ${JSON.stringify(values.users ?? null)})`);
      const engine = engineArg(values.engine ?? process.env.DB_ENGINE, 'DB_ENGINE');
      const extra = values['users-file'] === undefined ? [] : readUsersFile(values['users-file'] as string);
      const t0 = performance.now();
      let rows: number;
      if (engine === 'sqlite') {
        const db = openSqlite(needPath(values));
        migrateSqlite(db);
        rows = seedSqlite(db, users, extra);
        db.close();
      } else {
        const c = await connect(needUrl(values));
        try {
          await migratePostgresClient(c);
          rows = await seedPostgres(c, users, extra);
        } finally {
          await c.end();
        }
      }
      const ms = Math.round(performance.now() - t0);
      log(`seeded ${engine}: ${rows} rows (${users} users) in ${ms} ms`);
      if (json) process.stdout.write(JSON.stringify({ ok: true, engine, users, rows, durationMs: ms }) + '\n');
      return 0;
    }
    case 'salvage': {
      const dir = values.pgdata as string | undefined;
      if (!dir) throw new UsageError('--pgdata DIR is required');
      if (engineArg(values.to ?? 'sqlite', '--to') !== 'sqlite') throw new UsageError('salvage only writes to --to sqlite');
      const mode = modeArg(values.mode);
      const url = new URL(needUrl(values));
      const sqlitePath = needPath(values);
      const restoreOwner = keepSqliteOwner(sqlitePath);
      const sqlite = openSqlite(sqlitePath);
      try {
        migrateSqlite(sqlite);
        await using server = await startSalvageServer(dir, decodeURIComponent(url.username), decodeURIComponent(url.password) || undefined, url.pathname.slice(1) || 'postgres', log);
        const result = await syncDatabases({ sqlite, sqlitePath, postgres: server.client }, { from: 'postgres', to: 'sqlite', mode, progress: log });
        return report({ ...result, repairs: server.repairs } as SyncResult, json);
      } finally {
        sqlite.close();
        restoreOwner();
      }
    }
    case 'fault-proxy': {
      const listen = parseHostPort((values.listen as string | undefined) ?? process.env.LISTEN ?? '0.0.0.0:5432', '--listen');
      const target = parseHostPort((values.target as string | undefined) ?? process.env.TARGET ?? '', '--target');
      const latencyMs = Number(values['latency-ms'] ?? process.env.LATENCY_MS ?? 0);
      if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new UsageError('--latency-ms must be a number >= 0');
      const proxy = await startFaultProxy({ listenHost: listen.host, listenPort: listen.port, targetHost: target.host, targetPort: target.port, latencyMs });
      log(`fault-proxy listening on ${listen.host}:${proxy.port} → ${target.host}:${target.port} latency ${latencyMs} ms`);
      process.stdout.write(`listening on ${listen.host}:${proxy.port}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await proxy.close();
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)} (commands: migrate, sync, checksum, seed, salvage, fault-proxy)`);
  }
}

async function migratePostgresClient(c: pg.Client): Promise<void> {
  // migratePostgres takes a pool; a one-connection adapter keeps a single code path.
  await migratePostgres({ connect: async () => Object.assign(c, { release: () => undefined }) } as unknown as pg.Pool);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = (err as Error).message.replace(/:\/\/[^@\s]*@/g, '://***@');
    process.stderr.write(`hyperpage-cli: ${message}\n`);
    process.exit(err instanceof UsageError || err instanceof ConfigError || err instanceof UnreachableDatabase ? 2 : 3);
  },
);
