// Broken builds of the reference app for the drill's mutation tests: the real app (main.ts, the real
// handler on the real database) with one or more defects switched on by `--mutants a,b`. Each is a
// class of defect a rollback drill must catch from the outside, without the app's cooperation:
//   drop-writes       on SQLite, every 100th write per process is acknowledged (201) but not stored
//   duplicate-writes  on SQLite, every 100th write per process (offset 50) is stored twice
//   engine-liar       DB_ENGINE=sqlite pods keep using PostgreSQL (the URL a PostgreSQL-mode pod of
//                     the same build left in --state) while every answer says "sqlite"
//   health-blind      /api/health answers 200 healthy without touching the database (Hyperpage's defect)
//   feature-500       on SQLite, GET /api/tools/gitlab answers a fast 500
//   slow-reads-cpu    on SQLite, every tool, rate-limit and users-count read costs 40 ms of CPU (a
//                     query plan without the index PostgreSQL had): capacity falls, performance must fail
//   slow-reads-wait   on SQLite, the same reads wait 150 ms without using CPU: slower, capacity
//                     intact, performance must pass
//   truncate-text     on SQLite, a user's name is stored cut to 32 UTF-16 units (a VARCHAR(32) the
//                     PostgreSQL schema did not have); the answer still echoes the name sent
//   ascii-text        on SQLite, every non-ASCII character of a name is stored as "?" (a connection
//                     in the wrong encoding); the answer still echoes the name sent
//   reverse-order     on SQLite, GET /api/tools/enabled lists the tools in reverse order (a query
//                     without the ORDER BY PostgreSQL happened to honour): every field still right
//   stale-reads       on SQLite, the users list is read through a second connection whose read
//                     transaction, opened at the first request that is not a health check, is never
//                     closed (a pinned WAL snapshot): every user written after it is missing from it
//   crash-after-start on SQLite, the process logs a fatal error and exits 1 some seconds after it
//                     starts listening (--crash-after-ms, default 4000): it serves, passes its
//                     readiness probes and the switch, then crash-loops
// Mapped in as the app image through the drill config's `images` (as a user maps a broken build).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../src/database.ts';
import { likePrefix } from '../src/db/types.ts';
import type { Database, User } from '../src/db/types.ts';
import { main } from '../src/main.ts';

export const MUTANTS = ['drop-writes', 'duplicate-writes', 'engine-liar', 'health-blind', 'feature-500', 'slow-reads-cpu', 'slow-reads-wait', 'truncate-text', 'ascii-text', 'reverse-order', 'stale-reads', 'crash-after-start'] as const;
export type Mutant = (typeof MUTANTS)[number];

const { values } = parseArgs({ options: { mutants: { type: 'string', default: '' }, state: { type: 'string' }, 'crash-after-ms': { type: 'string', default: '4000' } }, strict: true });
const on = new Set(values.mutants!.split(',').filter(Boolean) as Mutant[]);
for (const m of on) if (!MUTANTS.includes(m)) throw new Error(`unknown mutant ${m} (known: ${MUTANTS.join(', ')})`);
const urlFile = values.state ? path.join(values.state, 'database-url') : undefined;
/** Set by stale-reads: pins its snapshot (called on the first request that is not a health check). */
let pinSnapshot: (() => void) | undefined;

/** A Database whose methods are the real one's, with some replaced. */
function override(real: Database, parts: Partial<Database> & { engine?: Database['engine'] }): Database {
  return new Proxy(real, {
    get(target, key) {
      if (key in parts) return (parts as Record<string | symbol, unknown>)[key];
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

await main({
  database(cfg) {
    if (on.has('engine-liar') && urlFile) {
      if (cfg.engine === 'postgres' && cfg.databaseUrl) {
        mkdirSync(path.dirname(urlFile), { recursive: true });
        writeFileSync(urlFile, cfg.databaseUrl, { mode: 0o600 });
        chmodSync(urlFile, 0o600);
      } else if (cfg.engine === 'sqlite' && existsSync(urlFile)) {
        const pg = openDatabase({ engine: 'postgres', databaseUrl: readFileSync(urlFile, 'utf8') });
        return override(pg, { engine: 'sqlite' });
      }
    }
    let db = openDatabase(cfg);
    if (on.has('health-blind')) db = override(db, { ping: async () => undefined });
    if (cfg.engine === 'sqlite' && (on.has('drop-writes') || on.has('duplicate-writes'))) {
      const real = db;
      let n = 0;
      let fakeId = 1_000_000_000;
      db = override(real, {
        async createUser(email: string, name: string): Promise<User> {
          n++;
          if (on.has('drop-writes') && n % 100 === 0) return { id: fakeId++, email, name, createdAt: new Date().toISOString() };
          const u = await real.createUser(email, name);
          if (on.has('duplicate-writes') && n % 100 === 50) await real.createUser(email, name);
          return u;
        },
      });
    }
    if (cfg.engine === 'sqlite' && (on.has('truncate-text') || on.has('ascii-text'))) {
      const real = db;
      // What a wrong column type or connection encoding does to a text, unseen by the writer: it is told its own value back.
      const alter = (name: string) => {
        let v = name;
        if (on.has('truncate-text')) v = v.slice(0, 32);
        if (on.has('ascii-text')) v = v.replace(/[^\x00-\x7f]/gu, '?');
        return v;
      };
      db = override(real, {
        async createUser(email: string, name: string): Promise<User> {
          return { ...(await real.createUser(email, alter(name))), name };
        },
      });
    }
    if (cfg.engine === 'sqlite' && on.has('stale-reads') && cfg.databasePath) {
      const real = db;
      const file = cfg.databasePath;
      let snapshot: BetterSqlite3.Database | undefined;
      db = override(real, {
        async listUsers(prefix: string, afterId: number, limit: number) {
          if (!snapshot) return real.listUsers(prefix, afterId, limit);
          return snapshot.prepare("SELECT id, email, name FROM users WHERE email LIKE ? ESCAPE '\\' AND id > ? ORDER BY id LIMIT ?").all(likePrefix(prefix), afterId, limit) as User[];
        },
      });
      pinSnapshot = () => {
        if (snapshot) return;
        snapshot = new BetterSqlite3(file, { readonly: true });
        snapshot.exec('BEGIN');
        snapshot.prepare('SELECT COUNT(*) FROM users').get();
      };
    }
    if (cfg.engine === 'sqlite' && (on.has('slow-reads-cpu') || on.has('slow-reads-wait'))) {
      const real = db;
      const cost = on.has('slow-reads-cpu')
        ? async () => {
            const until = performance.now() + 40;
            while (performance.now() < until);
          }
        : () => new Promise<void>((r) => setTimeout(r, 150));
      const slow = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
        await cost();
        return f(...a);
      };
      db = override(real, { getTool: slow(real.getTool.bind(real)), getRateLimit: slow(real.getRateLimit.bind(real)), countUsers: slow(real.countUsers.bind(real)) });
    }
    return db;
  },
  handler(handler, cfg) {
    if (pinSnapshot) {
      const inner = handler;
      handler = async (req, res) => {
        if (req.url !== '/api/health') pinSnapshot!();
        return inner(req, res);
      };
    }
    if (on.has('reverse-order') && cfg.engine === 'sqlite') {
      const inner = handler;
      handler = async (req, res) => {
        if (req.method !== 'GET' || req.url !== '/api/tools/enabled') return inner(req, res);
        // The real answer, its list reversed.
        const end = res.end.bind(res);
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          if (typeof chunk === 'string') {
            const body = JSON.parse(chunk) as { tools: unknown[] };
            const reversed = JSON.stringify({ ...body, tools: [...body.tools].reverse() });
            return end(reversed, ...(rest as []));
          }
          return end(chunk as never, ...(rest as []));
        }) as typeof res.end;
        return inner(req, res);
      };
    }
    if (on.has('crash-after-start') && cfg.engine === 'sqlite') {
      // The timer starts with the first request (the platform's readiness probe): the process is up and serving.
      let armed = false;
      const inner = handler;
      handler = async (req, res) => {
        if (!armed) {
          armed = true;
          setTimeout(() => {
            process.stderr.write('hyperpage: FATAL mutant: out of file descriptors (EMFILE), exiting\n');
            process.exit(1);
          }, Number(values['crash-after-ms'])).unref();
        }
        return inner(req, res);
      };
    }
    if (!on.has('feature-500') || cfg.engine !== 'sqlite') return handler;
    return async (req, res) => {
      if (req.method === 'GET' && req.url === '/api/tools/gitlab') {
        res.writeHead(500, { 'content-type': 'application/json', 'x-db-engine': 'sqlite', 'x-pod-name': cfg.pod });
        res.end('{"error":"mutant: gitlab integration broken"}');
        return;
      }
      return handler(req, res);
    };
  },
});
