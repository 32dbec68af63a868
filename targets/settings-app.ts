// The settings service (fixtures/settings-app): an app this project's harness was not written for.
// It names no engine and no pod anywhere, health is /healthz (text/plain, queries its table), and
// its writes only update 8 fixed keys: a register workload, judged by the register rule. Written
// from its README's contract alone; nothing here is imported from the app.
import { defineTarget } from '../harness/targets/define.ts';

const AFTER_SWITCH = ['criterion:engine-in-use', 'criterion:functionality', 'criterion:performance', 'criterion:monitoring', 'criterion:stability'];
const seedFails = (scenario: string, checks: string[]) => checks.map((check) => ({ check, variant: 'seed' as const, scenarios: [scenario] }));

/** The fixed keys, as its README lists them (the `keys` feature check holds the app to this count). */
const KEYS = ['theme', 'locale', 'timezone', 'page_size', 'beta', 'motd', 'retention_days', 'digest_hour'];

export default defineTarget({
  name: 'settings-app',
  description: 'the settings service (fixtures/settings-app): a register of 8 fixed keys, no engine or pod header, other tables per engine',
  // It names nothing: engine and pod come only from the drill's own measurements.
  identity: {},
  health: { path: '/healthz', reflectsDatabase: true },
  reads: ['/v1/settings', '/v1/keys', '/v1/stats', '/healthz', '/v1/settings/theme', '/v1/settings/locale'],
  workload: {
    model: 'register',
    keys: KEYS,
    write: { method: 'PUT', path: '/v1/settings/{{key}}', body: '{"value":{{value}}}', ack: [204] },
    // 404: unknown key or a key never set.
    read: { path: '/v1/settings/{{key}}', value: 'value', absent: [404] },
    // Any string up to 4096 UTF-16 units (its PUT body's schema); no line breaks (the direct read is a line per key).
    value: { type: 'text', maxLength: 4096, lineBreaks: false },
    direct: {
      // v is the JSON text of a string ("dark" with its quotes); inactive rows are not values.
      sqlite: "SELECT k, json_extract(v, '$') FROM kv WHERE active = 1",
      postgres: "SELECT setting_key, setting_value #>> '{}' FROM app_settings WHERE is_active",
    },
  },
  features: [
    { id: 'health', title: 'Health answers 200 (it queries its table)', path: '/healthz', status: 200, checklist: 1 },
    { id: 'keys', title: 'The fixed keys are listed', path: '/v1/keys', status: 200, json: [{ path: 'keys.length', equals: KEYS.length }], show: ['keys.length'] },
    { id: 'settings', title: 'Every set key is listed with its value', path: '/v1/settings', status: 200, json: [{ path: 'settings', type: 'array' }], show: ['settings.length'] },
    { id: 'stats', title: 'Row count read from the database', path: '/v1/stats', status: 200, json: [{ path: 'rows', type: 'number' }], show: ['rows'] },
    { id: 'unknown-key', title: 'An unknown key is refused with 404', path: '/v1/settings/no_such_key', status: 404 },
  ],
  // The drill's own writes change every key's value and time: the differential compares the rest
  // (the keys, their order, the fields, the formats), not those.
  differential: {
    ignore: [
      { request: '/v1/settings', path: '$.settings[*].value', reason: "the drill's writes change every key's value" },
      { request: '/v1/settings', path: '$.settings[*].updatedAt', reason: "the time of the drill's last write to the key" },
      ...['/v1/settings/theme', '/v1/settings/locale'].flatMap((request) => [
        { request, path: '$.value', reason: "the drill's writes change the key's value" },
        { request, path: '$.updatedAt', reason: "the time of the drill's last write to the key" },
      ]),
    ],
  },
  // /v1/stats is COUNT(*) over the whole table on either engine.
  countCheck: { table: { sqlite: 'kv', postgres: 'app_settings' }, api: { path: '/v1/stats', field: 'rows' } },
  // Its only table: dropping it breaks health too (it queries app_settings); the reaction is read on the list.
  faults: { functionalityBroken: { table: 'app_settings' }, reactionPath: '/v1/settings' },
  app: {
    image: 'settings-app:dev',
    // On kind: built from its own folder (its Dockerfile and package.json).
    build: { context: '../fixtures/settings-app' },
    port: 8080,
    // Its own names: not DATABASE_PATH, not PORT.
    env: { engine: 'DB_ENGINE', databaseUrl: 'DATABASE_URL', sqlitePath: 'SETTINGS_DB_FILE' },
  },
  images: {
    // A node image with the app and its CLI: no sqlite3, no curl, no psql.
    'settings-app:*': {
      command: ['../fixtures/settings-app/src/main.ts'],
      bins: { 'settings-cli': '../fixtures/settings-app/bin/settings-cli' },
      tools: ['settings-cli', 'node', 'sh'],
      portEnv: 'LISTEN_PORT',
      hostEnv: 'LISTEN_HOST',
    },
  },
  // The world before the incident: the SQLite schema and its seed (the pre-migration file), and the
  // same keys seeded on PostgreSQL (the app has no forward sync of its own).
  baseline: [
    { name: 'settings-migrate-sqlite', command: ['settings-cli', 'migrate', '--engine', 'sqlite'], says: 'SQLite schema (kv)' },
    { name: 'settings-seed-sqlite', command: ['settings-cli', 'seed', '--engine', 'sqlite'], says: 'seeding the 8 keys into SQLite (pre-migration file)' },
    { name: 'settings-seed-postgres', command: ['settings-cli', 'seed', '--engine', 'postgres'], says: 'seeding the 8 keys into PostgreSQL' },
  ],
  mapping: {
    tables: [
      {
        postgres: 'app_settings',
        sqlite: 'kv',
        key: ['setting_key'],
        columns: [
          { pg: 'setting_key', sqlite: 'k' },
          { pg: 'setting_value', sqlite: 'v', convert: 'jsonb-text' },
          { pg: 'updated_at', sqlite: 'updated_epoch_ms', convert: 'timestamptz-epoch-ms' },
          { pg: 'is_active', sqlite: 'active', convert: 'boolean-int' },
        ],
      },
    ],
  },
  // What the runbook as written does to this app (seed variant), measured by the quarterly drill
  // (suites/cli-drills.drill.ts): its SQLite deployments are Hyperpage's.
  findings: [
    {
      id: 'settings-app-runbook-env',
      title:
        "The runbook's SQLite deployments are written for Hyperpage (DATABASE_PATH, port 3000, /api/health): the settings app reads SETTINGS_DB_FILE, so every SQLite pod exits at start (\"SETTINGS_DB_FILE is required when DB_ENGINE=sqlite\"), never ready, and the service answers 503 after the switch",
      expectedFailures: [
        ...seedFails('database-corruption', ['criterion:emergency-rollback', 'step:emergency:step-5a-wait-ready']),
        ...seedFails('maintenance-window', ['criterion:planned-rollback', 'step:planned:step-5-sqlite-select-1']),
        // Nothing serves after the switch: no write lands, no feature answers, every request is a 503, the alerts stay on,
        // and the SQLite pods crash-loop (stability).
        ...seedFails('database-corruption', AFTER_SWITCH),
        ...seedFails('maintenance-window', AFTER_SWITCH),
      ],
    },
  ],
});
