// Server entry: validate the environment, migrate, serve on PORT; SIGTERM drains in-flight
// requests and closes the database before exit.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type AppConfig } from './config.ts';
import { openDatabase } from './database.ts';
import type { Database } from './db/types.ts';
import { createHandler } from './server.ts';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** Seams for the drill's broken builds (app/test-support/mutant-main.ts); the app itself passes none. */
export interface StartHooks {
  database?: (cfg: AppConfig) => Database;
  handler?: (handler: Handler, cfg: AppConfig, db: Database) => Handler;
}

function fail(message: string): never {
  process.stderr.write(`hyperpage: ${message}\n`);
  process.exit(1);
}

export async function main(hooks: StartHooks = {}): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const db = hooks.database ? hooks.database(cfg) : openDatabase(cfg);
  // Migrate with retries: the database may still be starting next to us.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate();
      break;
    } catch (err) {
      if (attempt >= 30) fail(`could not migrate the ${cfg.engine} database: ${(err as Error).message.replace(/:\/\/[^@\s]*@/g, '://***@')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const handler = createHandler(cfg, db);
  const server = http.createServer(hooks.handler ? hooks.handler(handler, cfg, db) : handler);
  server.keepAliveTimeout = 5_000;
  server.on('error', (err) => fail(`cannot listen on ${cfg.host}:${cfg.port}: ${err.message}`));
  server.listen(cfg.port, cfg.host, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
    process.stdout.write(`hyperpage listening on ${cfg.host}:${port} engine=${cfg.engine} pod=${cfg.pod}\n`);
  });

  let stopping = false;
  // While draining, every answer closes its connection (those in flight at the signal and those
  // that still arrive on kept-alive sockets): a keep-alive client, such as a proxy's connection
  // pool, would otherwise go on sending on sockets the server no longer accepts on.
  const inFlight = new Set<http.ServerResponse>();
  server.prependListener('request', (_req, res) => {
    if (stopping) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`hyperpage: ${signal}, draining\n`);
    const force = setTimeout(() => {
      process.stderr.write('hyperpage: grace period over, exiting with requests in flight\n');
      process.exit(1);
    }, cfg.shutdownGraceMs);
    force.unref();
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
    server.close(() => {
      db.close()
        .catch(() => undefined)
        .finally(() => {
          process.stdout.write('hyperpage: drained, database closed\n');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
    // Sockets busy at the signal go idle after their answer: close those too, not at keepAliveTimeout.
    setInterval(() => server.closeIdleConnections(), 100).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) main().catch((err) => fail((err as Error).message));
