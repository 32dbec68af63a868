// A broken build for the drill's mutation tests: the real app, except that its health check never
// touches the database (the real Hyperpage's defect): ping() always succeeds. Everything else is
// the real handler on the real database. Started like main.ts; SIGTERM closes and exits.
import http from 'node:http';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/database.ts';
import type { Database } from '../src/db/types.ts';
import { createHandler } from '../src/server.ts';

const cfg = loadConfig();
const real = openDatabase(cfg);
const db = new Proxy(real, {
  get(target, key) {
    if (key === 'ping') return async () => undefined;
    const v: unknown = Reflect.get(target, key, target);
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
}) as Database;

for (let attempt = 1; ; attempt++) {
  try {
    await db.migrate();
    break;
  } catch (err) {
    if (attempt >= 30) {
      process.stderr.write(`hyperpage (blind health): could not migrate: ${(err as Error).message}\n`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const server = http.createServer(createHandler(cfg, db));
server.listen(cfg.port, cfg.host, () => process.stdout.write(`hyperpage (blind health) listening on ${cfg.host}:${cfg.port} engine=${cfg.engine}\n`));
process.on('SIGTERM', () => {
  server.close(() => void db.close().finally(() => process.exit(0)));
  server.closeAllConnections();
});
