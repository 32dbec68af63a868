// The reference dual-engine app (app/): the default target. Everything the harness knows about it
// is here; nothing in harness/ names its endpoints, headers or tables.
import { defineTarget } from '../harness/targets/define.ts';

const TOOLS = ['github', 'gitlab', 'jira'] as const;

export default defineTarget({
  name: 'reference',
  description: 'the reference dual-engine app of this repository (app/), the default target',
  identity: { engineHeader: 'x-db-engine', engineBodyField: 'engine', podHeader: 'x-pod-name' },
  health: { path: '/api/health', reflectsDatabase: true },
  reads: ['/api/health', '/api/tools/enabled', '/api/tools/github', '/api/rate-limit/github', '/api/users/count', '/api/tools/gitlab', '/api/rate-limit/jira'],
  workload: {
    model: 'set',
    key: '{{prefix}}{{n}}@drill.local',
    write: { method: 'POST', path: '/api/users', body: '{"email":{{key}},"name":{{name}}}', ack: [201], idField: 'id' },
    // The app takes any name of 1 to 200 UTF-16 units (its `name.length` check) and must keep it as sent.
    fields: { name: { domain: { type: 'text', minLength: 1, maxLength: 200 }, column: { sqlite: 'name', postgres: 'name' }, api: 'name' } },
    readBack: {
      api: { path: '/api/users?prefix={{prefix}}&afterId={{cursor}}&limit=5000', firstCursor: '0', items: 'users', key: 'email', next: 'nextAfterId' },
      sqlite: { table: 'users', column: 'email' },
      postgres: { table: 'users', column: 'email' },
    },
  },
  features: [
    {
      id: 'health',
      title: 'Health reports healthy on the expected engine',
      path: '/api/health',
      status: 200,
      json: [{ path: 'status', equals: 'healthy' }],
      namesEngine: true,
      show: ['status'],
      checklist: 1,
    },
    { id: 'tools-enabled', title: 'Enabled tools are listed', path: '/api/tools/enabled', status: 200, json: [{ path: 'tools.length', equals: TOOLS.length }], show: ['tools.length'], checklist: 3 },
    ...TOOLS.map((tool) => ({
      id: `tool-${tool}`,
      title: `Tool integration ${tool} answers`,
      path: `/api/tools/${tool}`,
      status: 200,
      json: [
        { path: 'name', equals: tool },
        { path: 'enabled', type: 'boolean' as const },
      ],
      show: ['enabled'],
      checklist: 3,
    })),
    ...TOOLS.map((tool) => ({
      id: `rate-limit-${tool}`,
      title: `Rate-limit status for ${tool}`,
      path: `/api/rate-limit/${tool}`,
      status: 200,
      json: [{ path: 'remaining', type: 'number' as const }],
      show: ['remaining', 'limit'],
      checklist: 4,
    })),
    // The runbook's checklist calls /api/rate-limit/test; `test` is no platform, and the app's
    // contract is a 400. Anything else (a 200 or a 5xx) means the contract broke.
    { id: 'rate-limit-unknown-platform', title: 'Rate limit for an unknown platform ("test", as the runbook calls it) is refused with 400', path: '/api/rate-limit/test', status: 400, show: ['error'], checklist: 4 },
  ],
  countCheck: { table: { sqlite: 'users', postgres: 'users' }, api: { path: '/api/users/count', field: 'count' } },
  differential: {
    // Seeded rows through the read-back and by id: copied, they must read back the same on SQLite (order, fields, dates).
    requests: ['/api/users?prefix=user-1&afterId=0&limit=20', '/api/users/1'],
    ignore: [
      { request: '/api/users/count', path: '$.count', reason: "grows with the drill's own writes" },
      { request: '/api/health', path: '$.database.latencyMs', reason: 'the time of this one database check' },
      { request: '/api/health', path: '$.uptimeSec', reason: 'seconds since the answering pod started' },
      { request: '/api/health', path: '$.pod', reason: 'the pod that answered' },
    ],
    engineDifferences: [{ request: '/api/health', path: '$.engine', reason: 'the health answer names the engine serving it' }],
  },
  // functionality-broken drops the tools' table: health (SELECT 1) stays green, the tool integrations fail.
  faults: { functionalityBroken: { table: 'tool_configs' }, reactionPath: '/api/tools/github' },
  app: {
    image: 'hyperpage:v0.1.0',
    // On kind: built from the repository root (this file's parent), as app/Dockerfile says.
    build: { context: '..', dockerfile: 'app/Dockerfile' },
    port: 3000,
    env: { engine: 'DB_ENGINE', databaseUrl: 'DATABASE_URL', sqlitePath: 'DATABASE_PATH' },
    extraEnv: { NODE_ENV: 'production', ENABLE_RATE_LIMITING: 'true', ENABLE_GITHUB: 'true', ENABLE_GITLAB: 'true', ENABLE_JIRA: 'true' },
  },
  images: {
    // This checkout's app; its image (app/Dockerfile) has the CLI, curl, sqlite3 and the PostgreSQL 15 binaries (salvage).
    'hyperpage:*': {
      // Compiled, as app/Dockerfile builds it (tsc → dist/main.js, dist/cli.js): a start under tsx would
      // put the compiler on the restore's clock each time a SQLite pod starts.
      command: ['../app/src/main.ts'],
      compile: true,
      bins: { 'hyperpage-cli': '../app/src/cli.ts' },
      tools: ['hyperpage-cli', 'node', 'sh', 'curl', 'sqlite3', 'postgres', 'pg_ctl', 'initdb'],
      cwd: '..',
    },
  },
  baseline: [
    // {{seedValues}}: the drill's pre-migration users with generated names (JSON lines of write bodies), after the deterministic ones.
    { name: 'hyperpage-seed', command: ['hyperpage-cli', 'seed', '--users', '{{datasetSize}}', '--users-file', '{{seedValues}}', '--json'], env: { DB_ENGINE: 'sqlite' }, says: 'seeding {{datasetSize}} users into SQLite (pre-migration dataset)' },
    { name: 'hyperpage-forward-migration', command: ['hyperpage-cli', 'sync', '--from', 'sqlite', '--to', 'postgres', '--mode', 'mirror', '--json'], says: 'forward migration SQLite → PostgreSQL (hyperpage-cli sync)', result: 'sync' },
  ],
  // One logical schema on both engines: every column copied as it is (integers stay integers).
  mapping: { tables: ['users', 'tool_configs', 'rate_limits', 'app_state', 'jobs'] },
});
