// The real Hyperpage at 151e93f (hyperpage/hyperpage, its last dual-engine commit), drilled from the
// user's checkout: `npm run drill -- --target hyperpage --app-dir PATH` (docs/hyperpage.md: fetch,
// install, offline build). None of its code is in this repository; every value below was measured
// on a running `next start` of that commit (docs/hyperpage.md "Measured at 151e93f").
import { defineTarget } from '../harness/targets/define.ts';

/** Its tool registry (tools/*): the only keys POST /api/tools/config accepts (404 for any other). */
const TOOLS = ['github', 'gitlab', 'jira', 'code-reviews', 'ci-cd', 'ticketing'] as const;

/** The register's value lives in the tool's user config: `{"drill": value}`. */
const SEED = JSON.stringify({ drill: 'seed' });

// Baseline jobs run `node -e` in the app image (node:22-alpine + the app: node, no sqlite3, no psql),
// with the image's working directory (the checkout), so `require` finds the app's own drivers.
// SQLite: at 151e93f nothing migrates on start and its migrator (lib/database/migrate.ts) fails on a
// fresh file ("table schema_migrations already exists": it creates that table, then migration 001
// creates it again). So this job applies the app's own migration SQL (the `up` text of 001 and 002,
// in its registry's order) without the migrator, then seeds the six keys.
const SQLITE_JOB = `
const fs = require('fs');
const Database = require('better-sqlite3');
const db = new Database(process.env.DATABASE_PATH);
if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tool_configs'").get()) {
  for (const m of ['001_initial_schema', '002_oauth_auth_tables']) {
    const up = /export const up = \`([\\s\\S]*?)\`;/.exec(fs.readFileSync('lib/database/migrations/' + m + '.ts', 'utf8'));
    if (!up) throw new Error(m + ': no up SQL');
    db.exec(up[1]);
  }
}
const put = db.prepare('INSERT OR IGNORE INTO tool_configs (tool_name, enabled, config, notifications, updated_at) VALUES (?, 0, ?, 1, ?)');
for (const k of ${JSON.stringify(TOOLS)}) put.run(k, ${JSON.stringify(SEED)}, Date.now());
console.log(JSON.stringify({ tool_configs: db.prepare('SELECT COUNT(*) AS n FROM tool_configs').get().n }));
db.close();
`;

// PostgreSQL: no migration exists at 151e93f and its drizzle-kit 0.18.1 refuses drizzle-orm 0.44
// ("This version of drizzle-kit is outdated", exit 1). tool_configs is created as
// lib/database/pg-schema.ts declares it, and the six keys seeded as its repository would write them
// (owner system/global, the whole user config in one jsonb).
const POSTGRES_JOB = `
const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(\`CREATE TABLE IF NOT EXISTS tool_configs (
    id bigserial PRIMARY KEY, key varchar(255) NOT NULL, owner_type varchar(50) NOT NULL, owner_id varchar(255) NOT NULL,
    config jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
    CREATE UNIQUE INDEX IF NOT EXISTS tool_configs_key_owner_unique ON tool_configs (key, owner_type, owner_id);\`);
  for (const k of ${JSON.stringify(TOOLS)})
    await c.query("INSERT INTO tool_configs (key, owner_type, owner_id, config) VALUES ($1, 'system', 'global', $2) ON CONFLICT DO NOTHING", [k, { enabled: false, config: ${SEED}, notifications: true }]);
  console.log(JSON.stringify({ tool_configs: (await c.query('SELECT COUNT(*)::int AS n FROM tool_configs')).rows[0].n }));
  await c.end();
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

const TOOL_TITLES = { github: 'GitHub', gitlab: 'GitLab', jira: 'Jira' } as const;

export default defineTarget({
  name: 'hyperpage',
  description: 'Hyperpage at 151e93f (Next.js 15.5, drizzle 0.44), run from a checkout given with --app-dir',
  // No engine header, no engine in /api/health, no pod header: engine and pod come only from the drill.
  identity: {},
  // /api/health never touches a database: 200 with PostgreSQL refusing connections (measured).
  health: { path: '/api/health', reflectsDatabase: false },
  reads: ['/api/health', '/api/tools/enabled', '/api/tools/github', '/api/tools/discovery', '/api/rate-limit/github', '/api/tools/config'],
  workload: {
    // Its only unauthenticated database write: a fixed set of tool names, updated in place, no id returned.
    model: 'register',
    keys: [...TOOLS],
    // POST takes the tool from the body; the query names the key for the ledger's path template only.
    write: { method: 'POST', path: '/api/tools/config?tool={{key}}', body: '{"toolName":{{key}},"config":{"drill":{{value}}}}', ack: [200] },
    // GET /api/tools/config?tool=K answers from a per-process cache once read (finding
    // hyperpage-per-process-config-cache): over 3 replicas a drill read 810 stale values in 946 API
    // reads while the SQLite file held every acknowledged write (0 anomalies in 6 direct reads).
    // Without `tool` the route reads every tool from the database (getAllToolConfigurations), in the
    // same shape `{"<tool>": {enabled, notifications, config}}`; `drill-key` is ignored by the app and
    // only names the key, as the profile's read path must. The value path names the key ({{key}} filled in).
    read: { path: '/api/tools/config?drill-key={{key}}', value: '{{key}}.config.drill', absent: [404] },
    direct: {
      // SQLite keeps the user config alone as JSON text in `config`.
      sqlite: "SELECT tool_name, json_extract(config, '$.drill') FROM tool_configs WHERE json_extract(config, '$.drill') IS NOT NULL",
      // PostgreSQL keeps the whole user config (enabled, config, notifications) in one jsonb.
      postgres:
        "SELECT key, config #>> '{config,drill}' FROM tool_configs WHERE owner_type = 'system' AND owner_id = 'global' AND config #>> '{config,drill}' IS NOT NULL",
    },
  },
  // The drill's own writes change each tool's `drill` value: the differential compares the rest of the configuration.
  differential: {
    // Measured at 151e93f: on PostgreSQL the configurations cannot be read at all; SQLite reads them.
    engineDifferences: [
      {
        request: '/api/tools/config',
        path: 'status',
        reason: 'on PostgreSQL it answers 500 "Failed to retrieve tool configurations" (finding hyperpage-postgres-acks-no-write: SQLite-shaped SQL sent to PostgreSQL); on SQLite 200',
      },
      { request: '/api/tools/config', path: '$', reason: "on PostgreSQL the body is the 500's error; on SQLite the configurations (finding hyperpage-postgres-acks-no-write)" },
    ],
    // JSON paths as the diff writes them: `$.github`, `$["code-reviews"]`.
    ignore: TOOLS.map((tool) => ({ request: '/api/tools/config', path: `$${/^[A-Za-z_$][\w$]*$/.test(tool) ? `.${tool}` : `[${JSON.stringify(tool)}]`}.config.drill`, reason: "the drill's writes change the tool's drill value" })),
  },
  features: [
    { id: 'health', title: 'Health answers 200 healthy (it queries no database)', path: '/api/health', status: 200, json: [{ path: 'status', equals: 'healthy' }], show: ['status'], checklist: 1 },
    { id: 'tools-enabled', title: 'Enabled tools are listed', path: '/api/tools/enabled', status: 200, json: [{ path: 'enabledTools', type: 'array' }, { path: 'count', type: 'number' }], show: ['count'], checklist: 3 },
    ...(['github', 'gitlab', 'jira'] as const).map((tool) => ({
      id: `tool-${tool}`,
      title: `Tool integration ${tool} answers`,
      path: `/api/tools/${tool}`,
      status: 200,
      json: [
        { path: 'tool.name', equals: TOOL_TITLES[tool] },
        { path: 'tool.enabled', type: 'boolean' as const },
      ],
      show: ['tool.enabled'],
      checklist: 3,
    })),
    { id: 'tools-discovery', title: 'Tool discovery lists the 6 registered tools', path: '/api/tools/discovery', status: 200, json: [{ path: 'tools.length', equals: TOOLS.length }], show: ['tools.length'], checklist: 3 },
    // Reads tool_configs on the serving engine: 500 on an unmigrated SQLite file and in PostgreSQL mode.
    { id: 'tool-config-read', title: 'Tool configurations are read from the database', path: '/api/tools/config', status: 200, checklist: 3 },
    { id: 'rate-limit-github', title: 'Rate-limit status for github', path: '/api/rate-limit/github', status: 200, json: [{ path: 'platform', equals: 'github' }], show: ['status'], checklist: 4 },
    // The runbook's checklist calls /api/rate-limit/test: no platform, 400 at this commit.
    { id: 'rate-limit-unknown-platform', title: 'Rate limit for "test" (as the runbook calls it) is refused with 400', path: '/api/rate-limit/test', status: 400, show: ['error'], checklist: 4 },
  ],
  // Its only mapped table; the reaction is read on GET /api/tools/config, which reads the database.
  faults: { functionalityBroken: { table: 'tool_configs' }, reactionPath: '/api/tools/config' },
  app: {
    image: 'hyperpage:151e93f',
    // On kind: built from the user's checkout with its own Dockerfile (node:22-alpine, CMD `npm start`).
    build: { context: '{{appDir}}' },
    port: 3000,
    env: { engine: 'DB_ENGINE', databaseUrl: 'DATABASE_URL', sqlitePath: 'DATABASE_PATH' },
    // Tools stay disabled (its default): enabled, they would call GitHub/GitLab/Jira, and the drill talks to 127.0.0.1 only.
    extraEnv: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  },
  images: {
    // Its Dockerfile's runtime: node:22-alpine + the built checkout, CMD `npm start` (= `next start`).
    // In it: node, npm, sh and busybox's wget; no curl, no sqlite3, no psql. Locally `next start`
    // runs directly (one process, as the container's after dumb-init and npm), on 127.0.0.1 and the
    // PORT the platform gives it (`next start` reads PORT, and its host only from -H).
    'hyperpage:*': {
      command: ['node', '{{appDir}}/node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1'],
      cwd: '{{appDir}}',
      tools: ['node', 'npm', 'sh', 'wget'],
    },
  },
  baseline: [
    { name: 'hyperpage-sqlite-schema', command: ['node', '-e', SQLITE_JOB], says: 'SQLite schema from the app\'s own migration SQL (its migrator fails on a fresh file) and the 6 tool keys' },
    { name: 'hyperpage-postgres-schema', command: ['node', '-e', POSTGRES_JOB], says: 'PostgreSQL tool_configs as lib/database/pg-schema.ts declares it (no PostgreSQL migration at 151e93f) and the 6 tool keys' },
  ],
  // The two tool_configs differ: PostgreSQL (id bigserial, key, owner_type, owner_id, config jsonb
  // holding {enabled, config, refreshInterval, notifications}, timestamptz) vs SQLite (tool_name PK,
  // enabled, config JSON text of the user config alone, refresh_interval, notifications, updated_at
  // epoch ms). The conversions can rename, turn jsonb into text and timestamps into epoch ms, not
  // take a field out of a jsonb: so the copied `config` is the whole PostgreSQL payload and
  // enabled/notifications take SQLite's defaults (finding hyperpage-tool-configs-shapes-differ).
  mapping: {
    tables: [
      {
        postgres: 'tool_configs',
        sqlite: 'tool_configs',
        key: ['key'],
        columns: [
          { pg: 'key', sqlite: 'tool_name' },
          { pg: 'config', sqlite: 'config', convert: 'jsonb-text' },
          { pg: 'updated_at', sqlite: 'updated_at', convert: 'timestamptz-epoch-ms' },
        ],
      },
    ],
  },
  // Measured at 151e93f (docs/hyperpage.md). Expected failures are strict: one is declared once a
  // drill of this target has shown which check its finding fails, and in which rows.
  findings: [
    { id: 'hyperpage-engine-fallback', title: 'DB_ENGINE=postgresql (not exactly "postgres") is served by SQLite silently: POST /api/tools/config 200, the value landed in the SQLite file, PostgreSQL unchanged' },
    {
      id: 'hyperpage-postgres-acks-no-write',
      title: 'PostgreSQL mode acknowledges no write: POST/PUT /api/tools/config 500, the repositories send SQLite-shaped SQL to PostgreSQL (42P01 without the table, 42703 with pg-schema.ts\'s table)',
      masks: [
        {
          finding: 'runbook-no-data-flow',
          check: 'criterion:data-integrity',
          variant: 'seed',
          because: 'PostgreSQL mode acknowledges no write, so the seed runbook has nothing on PostgreSQL to lose: its missing data flow cannot show on this app',
        },
      ],
      fix: 'choose the PostgreSQL schema and queries by the engine actually in use (drizzle 0.44 has no db.$schema), and migrate PostgreSQL on start',
    },
    { id: 'hyperpage-health-blind', title: '/api/health answers 200 healthy in PostgreSQL mode while PostgreSQL refuses connections (it queries no database)' },
    { id: 'hyperpage-production-health-needs-postgres', title: '/api/health/production answers 503 in SQLite mode when PostgreSQL is down, while SQLite serves and acknowledges writes (200)' },
    { id: 'hyperpage-unmigrated-sqlite', title: 'Nothing migrates on start and the SQLite migrator fails on a fresh file ("table schema_migrations already exists"): a SQLite deployment on a new file answers 500 "no such table: tool_configs"' },
    { id: 'hyperpage-no-postgres-migration', title: 'No PostgreSQL migration exists at 151e93f and drizzle-kit 0.18.1 refuses drizzle-orm 0.44 ("outdated", exit 1): the PostgreSQL schema is the drill\'s' },
    { id: 'hyperpage-image-tools', title: 'The image (node:22-alpine) has no curl and no sqlite3: the runbook\'s exec of curl and sqlite3 in the app pod fails' },
    { id: 'hyperpage-tool-configs-shapes-differ', title: 'tool_configs differs between the engines beyond renames (PostgreSQL nests enabled/config/notifications in one jsonb): a copy through the mapping puts the whole payload in SQLite\'s config' },
    { id: 'hyperpage-k8s-selector', title: 'Its own k8s manifests: the app pods have no `component: app` label (the runbook\'s selector patch assumes it) and hyperpage-service selects app=hyperpage, which the PostgreSQL pods also carry' },
    { id: 'hyperpage-per-process-config-cache', title: 'GET /api/tools/config?tool=K answers from a per-process cache: after a write through one replica (200, in the file), another replica that had read K still answers the old value (GET /api/tools/config, all tools, reads the database)' },
    {
      id: 'hyperpage-runbook-enables-tools',
      title:
        "The runbook's SQLite deployment sets ENABLE_GITHUB, ENABLE_GITLAB and ENABLE_JIRA to true, which this app's deployment does not: after the seed rollback the service lists 3 enabled tools (0 on PostgreSQL) and /api/health reports their rate limits (the differential replay sees some 40 fields change)",
      expectedFailures: [{ check: 'criterion:functionality', variant: 'seed', scenarios: ['database-corruption'] }],
      fix: "give the runbook's SQLite deployment the app deployment's environment (the hardened variant copies it)",
    },
    { id: 'hyperpage-standalone-hostname', title: 'The standalone server.js binds to $HOSTNAME: a pod name that does not resolve ends it at start (getaddrinfo ENOTFOUND); the image runs `next start`, which ignores HOSTNAME' },
  ],
});
