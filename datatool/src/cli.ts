// drill-data: the drill's own data tool, independent of every app it drills.
// Exit codes: 0 ok, 1 verification failed (which table, which counts/checksums), 2 bad input (one
// line: usage, mapping, a missing table or column, a database that does not answer), 3 anything
// else. Progress goes to stderr, the --json result line to stdout (schemas in result.ts).
// Passwords are masked in every message.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { backupSqlite } from './backup.ts';
import { postgresChecksum, sqliteChecksum } from './checksum.ts';
import { copyTables, openExistingSqlite } from './copy.ts';
import { loadMapping, MappingError, parseMapping, selectTables, type TableMapping } from './mapping.ts';
import { parseHostPort, startLatencyProxy } from './proxy.ts';
import { redact, rememberSecretsOf } from './redact.ts';
import { PG_SNAPSHOT_SQL, resolveAllOnPostgres, resolveOnSqlite, SchemaError, withMaxKey, type ResolvedTable } from './resolve.ts';
import type { BackupResult, ChecksumResult, CopyResult, ProxyReady, SalvageResult } from './result.ts';
import { SalvageInputError, startSalvageServer } from './salvage.ts';

export const USAGE = `usage: drill-data <command> [options]
  copy --from postgres://… --to FILE.db --mapping FILE [--tables a,b] [--batch N] [--mode mirror|upsert] [--json]
        PostgreSQL → existing SQLite schema through the mapping, then verify counts and checksums
        (upsert: only keys SQLite lacks inserted, SQLite's row kept on a conflict; verified by
        every PostgreSQL key found in SQLite, not by contents)
  checksum --engine postgres|sqlite --db URL|FILE --mapping FILE [--tables a,b] [--max-key TABLE=N]… [--json]
        --max-key: only rows whose (single, integer) key is ≤ N
  everywhere: --from-env VAR / --db-env VAR instead of a URL (a password stays off argv),
        --mapping-json TEXT instead of --mapping FILE (no file to write first)
  salvage --data-dir DIR --to FILE.db --mapping FILE [--user U] [--database D] [--work-dir DIR] [--tables a,b] [--batch N] [--mode mirror|upsert] [--json]
        read a PostgreSQL data directory whose server cannot start (works on a copy, in --work-dir: default the temp dir)
  backup --from FILE.db --to FILE.db --mapping FILE [--tables a,b] [--json]
        online backup of a live SQLite file, checked on the copy (integrity_check, each table's rows and checksum)
  proxy --listen [HOST:]PORT --to HOST:PORT --latency-ms N [--json]
        TCP proxy adding N ms each way, until SIGTERM/SIGINT`;

class UsageError extends Error {}

const log = (line: string) => process.stderr.write(redact(line) + '\n');

function need(values: Record<string, unknown>, flag: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${flag} is required`);
  return v;
}

function intFlag(values: Record<string, unknown>, flag: string, dflt: number, min: number): number {
  const v = values[flag];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
  return n;
}

function modeFlag(values: Record<string, unknown>): 'mirror' | 'upsert' {
  const v = values.mode ?? 'mirror';
  if (v !== 'mirror' && v !== 'upsert') throw new UsageError(`--mode must be mirror or upsert (got ${JSON.stringify(v)})`);
  return v;
}

function tablesFlag(values: Record<string, unknown>): string[] | undefined {
  const v = values.tables as string | undefined;
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function postgresUrl(v: string, flag: string): string {
  if (!/^postgres(ql)?:\/\//.test(v)) throw new UsageError(`${flag} must be a postgres:// URL`);
  rememberSecretsOf(v);
  return v;
}

/** --FLAG URL, or --FLAG-env VAR naming the variable that holds it (a password stays off argv). */
function urlFlag(values: Record<string, unknown>, flag: string): string {
  const env = values[`${flag}-env`];
  if (typeof env !== 'string' || env === '') return postgresUrl(need(values, flag), `--${flag}`);
  if (values[flag] !== undefined) throw new UsageError(`give --${flag} or --${flag}-env, not both`);
  const v = process.env[env];
  if (!v) throw new UsageError(`--${flag}-env: the variable ${env} is not set`);
  return postgresUrl(v, `$${env}`);
}

/** --mapping FILE, or --mapping-json TEXT (the mapping inline, JSON or YAML). */
function mappingFlag(values: Record<string, unknown>): TableMapping[] {
  const text = values['mapping-json'];
  if (typeof text !== 'string' || text === '') return loadMapping(need(values, 'mapping'));
  if (values.mapping !== undefined) throw new UsageError('give --mapping or --mapping-json, not both');
  return parseMapping(text, '--mapping-json');
}

/** --max-key TABLE=N (repeatable): table (by either name) → the largest key counted. */
function maxKeys(values: Record<string, unknown>, tables: TableMapping[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of (values['max-key'] as string[] | undefined) ?? []) {
    const m = /^([^=]+)=(-?\d+)$/.exec(spec);
    const t = m && tables.find((x) => x.sqlite.table === m[1] || x.postgres.table === m[1]);
    if (!m || !t) throw new UsageError(`--max-key must be TABLE=N with a mapped table (got ${JSON.stringify(spec)})`);
    out.set(t.sqlite.table, m[2]!);
  }
  return out;
}

async function connect(config: pg.ClientConfig, what: string): Promise<pg.Client> {
  const c = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (err) {
    throw new UsageError(`cannot connect to PostgreSQL at ${what}: ${(err as Error).message}`);
  }
  return c;
}

function emit(json: boolean, result: CopyResult | SalvageResult | ChecksumResult | ProxyReady | BackupResult): void {
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
}

function copyExit(r: CopyResult | SalvageResult): number {
  log(`${r.ok ? 'verified' : 'VERIFICATION FAILED'}: ${r.rows} rows in ${r.copyMs} ms (${r.rowsPerSec} rows/s), verify ${r.verifyMs} ms`);
  for (const t of r.tables.filter((x) => !x.ok))
    log(`mismatch in ${t.table}: rows postgres ${t.rows.postgres} vs sqlite ${t.rows.sqlite}, checksum ${t.checksum.postgres} vs ${t.checksum.sqlite}`);
  return r.ok ? 0 : 1;
}

function hostPort(v: string, flag: string): { host: string; port: number } {
  try {
    return parseHostPort(v, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const COMMON = { mapping: { type: 'string' }, 'mapping-json': { type: 'string' }, mode: { type: 'string' }, tables: { type: 'string' }, json: { type: 'boolean' }, batch: { type: 'string' } } as const;

async function run(command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'copy': {
      const { values } = parseArgs({ args, options: { ...COMMON, from: { type: 'string' }, 'from-env': { type: 'string' }, to: { type: 'string' } }, strict: true });
      const url = urlFlag(values, 'from');
      const tables = selectTables(mappingFlag(values), tablesFlag(values));
      const file = need(values, 'to');
      const batch = intFlag(values, 'batch', 5000, 1);
      const client = await connect({ connectionString: url }, redact(url));
      try {
        const r = await copyTables(client, { sqliteFile: file, tables, batch, mode: modeFlag(values), log });
        emit(!!values.json, r);
        return copyExit(r);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    case 'checksum': {
      const { values } = parseArgs({ args, options: { ...COMMON, engine: { type: 'string' }, db: { type: 'string' }, 'db-env': { type: 'string' }, 'max-key': { type: 'string', multiple: true } }, strict: true });
      const engine = need(values, 'engine');
      if (engine !== 'postgres' && engine !== 'sqlite') throw new UsageError(`--engine must be postgres or sqlite (got ${JSON.stringify(engine)})`);
      const tables = selectTables(mappingFlag(values), tablesFlag(values));
      const bounds = maxKeys(values, tables);
      const bounded = (t: ResolvedTable): ResolvedTable => (bounds.has(t.name) ? withMaxKey(t, bounds.get(t.name)!) : t);
      const result: ChecksumResult = { command: 'checksum', engine, tables: [] };
      if (engine === 'postgres') {
        const url = urlFlag(values, 'db');
        const client = await connect({ connectionString: url }, redact(url));
        try {
          await client.query(PG_SNAPSHOT_SQL);
          for (const t of await resolveAllOnPostgres(client, tables)) result.tables.push(await postgresChecksum(client, bounded(t)));
        } finally {
          await client.end().catch(() => undefined);
        }
      } else {
        const db = openExistingSqlite(need(values, 'db'), true);
        try {
          for (const t of tables) result.tables.push(sqliteChecksum(db, bounded(resolveOnSqlite(db, t))));
        } finally {
          db.close();
        }
      }
      for (const t of result.tables) log(`${t.table}: ${t.rows} rows, sha256 ${t.checksum}`);
      emit(!!values.json, result);
      return 0;
    }
    case 'salvage': {
      const { values } = parseArgs({ args, options: { ...COMMON, 'data-dir': { type: 'string' }, to: { type: 'string' }, user: { type: 'string' }, database: { type: 'string' }, 'work-dir': { type: 'string' } }, strict: true });
      const dataDir = need(values, 'data-dir');
      const file = need(values, 'to');
      const tables = selectTables(mappingFlag(values), tablesFlag(values));
      const batch = intFlag(values, 'batch', 5000, 1);
      await using server = await startSalvageServer(dataDir, { user: values.user, database: values.database, workDir: values['work-dir'], log });
      const client = await connect(server.config, `the salvage server's socket`);
      try {
        const r = await copyTables(client, { sqliteFile: file, tables, batch, mode: modeFlag(values), log });
        const result: SalvageResult = { ...r, command: 'salvage', repairs: server.repairs, database: server.database };
        emit(!!values.json, result);
        return copyExit(result);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    case 'backup': {
      const { values } = parseArgs({ args, options: { ...COMMON, from: { type: 'string' }, to: { type: 'string' } }, strict: true });
      const tables = selectTables(mappingFlag(values), tablesFlag(values));
      const r = await backupSqlite(need(values, 'from'), need(values, 'to'), tables);
      log(`backup ${r.file}: ${r.bytes} bytes in ${r.backupMs} ms, integrity ${r.integrity}; ${r.tables.map((t) => `${t.table} ${t.rows} rows`).join(', ')}`);
      emit(!!values.json, r);
      return r.ok ? 0 : 1;
    }
    case 'proxy': {
      const { values } = parseArgs({ args, options: { listen: { type: 'string' }, to: { type: 'string' }, 'latency-ms': { type: 'string' }, json: { type: 'boolean' } }, strict: true });
      const listenArg = need(values, 'listen');
      const listen = /^\d+$/.test(listenArg) ? { host: '127.0.0.1', port: Number(listenArg) } : hostPort(listenArg, '--listen');
      const target = hostPort(need(values, 'to'), '--to');
      const latencyMs = intFlag(values, 'latency-ms', 0, 0);
      const proxy = await startLatencyProxy({ listenHost: listen.host, listenPort: listen.port, targetHost: target.host, targetPort: target.port, latencyMs }).catch((err: Error) => {
        throw new UsageError(`cannot listen on ${listen.host}:${listen.port}: ${err.message}`);
      });
      log(`proxy ${proxy.host}:${proxy.port} → ${target.host}:${target.port}, +${latencyMs} ms each way`);
      emit(!!values.json, { command: 'proxy', listen: { host: proxy.host, port: proxy.port }, target, latencyMs });
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await proxy.close();
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  try {
    return await run(command, args);
  } catch (err) {
    const e = err as Error & { code?: string };
    const user = err instanceof UsageError || err instanceof MappingError || err instanceof SchemaError || err instanceof SalvageInputError || (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS'));
    log(`drill-data ${command}: ${user ? '' : 'failed: '}${e.message.split('\n')[0]}`);
    if (e.message.includes('\n') && err instanceof UsageError) log(e.message.split('\n').slice(1).join('\n'));
    return user ? 2 : 3;
  }
}

process.exitCode = await main(process.argv.slice(2));
