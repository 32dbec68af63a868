// harness/ drills any app through its profile (targets/*.ts); the reference app (app/) is one
// profile, not a contract. This grep-level guard fails when a library file of harness/ names the
// reference app's request paths, headers, tables, CLI or its own env names. The tokens come from
// targets/reference.ts and app/'s source, so a new route or table is guarded without editing this.
//
// Tests and test helpers may name the reference app (they drill it): *.test.ts, anything under a
// testing/ or fixtures/ folder, and test-*.ts helpers (test-server.ts, test-journals.ts, test-tmp.ts).
//
// The runbook was written for the app, so some of its words are the app's too (/api/health,
// /api/tools/github, /api/rate-limit/test, `FROM users`, DB_ENGINE, DATABASE_PATH, ENABLE_*,
// NODE_ENV). Those may appear only where the drill quotes the runbook: ALLOWED below, one entry per
// file and token with its reason. Only a runbook word can be allowed, and an entry that no longer
// matches fails, so the list cannot rot. The runbook's words are read from docs/runbook.md, which
// describes the runbook and quotes every command and name the drill depends on word for word (a
// repository file: a fresh clone has nothing beside it); it is no library file, so an entry cannot
// make its own token a runbook word. The runbook's topology (namespace hyperpage, its services,
// claims, role and labels) is the world every target is drilled in, not the app's contract: not scanned.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeMapping } from '../datatool/contract.ts';
import reference from '../targets/reference.ts';

const HARNESS = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.dirname(HARNESS);
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const RUNBOOK = read('docs', 'runbook.md');

type Kind = 'path' | 'header' | 'table' | 'cli' | 'env' | 'name';
interface Token {
  kind: Kind;
  value: string;
  re: RegExp;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** How a token is recognised: whole names only, and plain-word tables only where SQL or a quoted identifier names them. */
function tokenRegExp(kind: Kind, value: string): RegExp {
  const v = esc(value);
  switch (kind) {
    case 'path':
      // "/api/users" also in "/api/users/count" or "/api/users?prefix=", not in "/api/users-x".
      return new RegExp(`${v}(?![A-Za-z0-9_-])`, 'g');
    case 'header':
    case 'cli':
    case 'name':
      return new RegExp(`(?<![A-Za-z0-9_-])${v}(?![A-Za-z0-9_-])`, 'gi');
    case 'env':
      return new RegExp(`(?<![A-Za-z0-9_])${v}(?![A-Za-z0-9_])`, 'g');
    case 'table':
      // tool_configs is no English word: anywhere. users/jobs are: only after an SQL keyword
      // (FROM users, DROP TABLE "jobs") or as a whole quoted string ('users', `jobs`).
      if (value.includes('_')) return new RegExp(`(?<![A-Za-z0-9_])${v}(?![A-Za-z0-9_])`, 'g');
      return new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|EXISTS|TRUNCATE)\\s+["\`]?${v}\\b|(['"\`])${v}\\1`, 'g');
  }
}

const token = (kind: Kind, value: string): Token => ({ kind, value, re: tokenRegExp(kind, value) });
const occurs = (t: Token, text: string) => (text.match(t.re) ?? []).length;

/** The reference app's route list (app/src/server.ts routes by path segment, so it is listed here and checked against it). */
const APP_ROUTES = ['/api/health', '/api/tools/enabled', '/api/tools/github', '/api/tools/gitlab', '/api/tools/jira', '/api/rate-limit/github', '/api/rate-limit/gitlab', '/api/rate-limit/jira', '/api/users', '/api/users/count'];

/** Env names app/src/config.ts reads that are conventions, not the app's choice (reason each). */
const NOT_THE_APPS: Record<string, string> = {
  PORT: "the local platform's default port variable (harness/model/target-profile.ts portEnv), a profile sets its own",
  HOST: "the local platform's default host variable (harness/model/target-profile.ts hostEnv)",
  HOSTNAME: 'set by Kubernetes in every pod',
  DATABASE_URL: "the key of the baseline topology's app secret (cluster/manifests/10-secrets.yaml), the harness's own",
};

function pathOf(template: string): string {
  return template.split('?')[0]!.split('{{')[0]!.replace(/\/$/, '');
}

function referenceTokens(): Token[] {
  const r = reference;
  const paths = new Set<string>([r.health.path, ...r.reads, ...r.features.map((f) => f.path), ...APP_ROUTES]);
  const w = r.workload;
  if (w.model === 'set') paths.add(pathOf(w.write.path)).add(pathOf(w.readBack.api.path));
  if (r.countCheck) paths.add(r.countCheck.api.path);

  const headers = new Set([r.identity.engineHeader, r.identity.podHeader].filter((h): h is string => !!h));
  for (const m of read('app', 'src', 'server.ts').matchAll(/'(x-[a-z-]+)':/g)) headers.add(m[1]!);

  const tables = new Set<string>(normalizeMapping(r.mapping).flatMap((t) => [t.postgres.table, t.sqlite.table]));
  if (w.model === 'set') tables.add(w.readBack.sqlite.table).add(w.readBack.postgres.table);
  if (r.countCheck) tables.add(r.countCheck.table.sqlite).add(r.countCheck.table.postgres);
  for (const f of appSources()) for (const m of readFileSync(f, 'utf8').matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)) tables.add(m[1]!);

  const clis = new Set<string>([...Object.values(r.images).flatMap((i) => Object.keys(i.bins)), ...r.baseline.map((j) => j.command[0]!), ...readdirSync(path.join(ROOT, 'app', 'bin'))]);

  const env = new Set<string>([...Object.values(r.app.env), ...Object.keys(r.app.extraEnv)]);
  for (const m of read('app', 'src', 'config.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) env.add(m[1]!);
  for (const n of Object.keys(NOT_THE_APPS)) env.delete(n);

  return [
    ...[...paths].map((v) => token('path', v)),
    ...[...headers].map((v) => token('header', v)),
    ...[...tables].map((v) => token('table', v)),
    ...[...clis].map((v) => token('cli', v)),
    ...[...env].map((v) => token('env', v)),
    // Not the app's, but the runbook's alone: its wrong claim name belongs where the drill quotes it.
    token('name', 'hyperpage-pvc'),
  ];
}

function appSources(): string[] {
  return readdirSync(path.join(ROOT, 'app', 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The rule for "a test or a test helper" (may name the reference app). */
function isTestFile(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  const base = parts[parts.length - 1]!;
  return /\.test\.ts$/.test(base) || /^test-.*\.ts$/.test(base) || parts.includes('testing') || parts.includes('fixtures');
}

function libraryFiles(): string[] {
  return readdirSync(HARNESS, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(HARNESS, path.join(e.parentPath, e.name)))
    .filter((rel) => !isTestFile(rel))
    .sort();
}

interface Allowed {
  file: string;
  token: string;
  reason: string;
}

/** Runbook words, only where the drill quotes the runbook. Paths are relative to harness/. */
const SEED_CHECKLIST = "the seed checklist runs scripts/validate-rollback.sh as written: its curls of /api/health and /api/tools/github, its exec of curl /api/rate-limit/test and of sqlite3 'SELECT COUNT(*) FROM users;'";
const RUNBOOK_MANIFESTS = "the runbook's scripts word for word (their URLs and the claim they mount)";
const ALLOWED: Allowed[] = [
  { file: 'procedures/runbook-manifests.ts', token: '/api/health', reason: RUNBOOK_MANIFESTS },
  { file: 'procedures/runbook-manifests.ts', token: '/api/tools/github', reason: RUNBOOK_MANIFESTS },
  { file: 'procedures/runbook-manifests.ts', token: 'hyperpage-pvc', reason: RUNBOOK_MANIFESTS },
  { file: 'procedures/validation.ts', token: '/api/health', reason: SEED_CHECKLIST },
  { file: 'procedures/validation.ts', token: '/api/tools/github', reason: SEED_CHECKLIST },
  { file: 'procedures/validation.ts', token: '/api/rate-limit/test', reason: SEED_CHECKLIST },
  { file: 'procedures/validation.ts', token: 'users', reason: SEED_CHECKLIST },
  { file: 'procedures/planned.ts', token: '/api/health', reason: "the seed planned rollback's step 5 runs the runbook's `curl -f -s http://localhost:3000/api/health` in the pod" },
  { file: 'kit/findings.ts', token: '/api/rate-limit/test', reason: 'finding runbook-rate-limit-test quotes the checklist\'s call' },
  { file: 'kit/findings.ts', token: 'hyperpage-pvc', reason: 'finding runbook-claim-name quotes the claim the runbook mounts' },
  { file: 'kit/findings.ts', token: 'DB_ENGINE', reason: "finding app-engine-fallback names the runbook's engine variable (its manifest sets DB_ENGINE=sqlite)" },
  ...['NODE_ENV', 'DATABASE_PATH', 'ENABLE_RATE_LIMITING', 'ENABLE_GITHUB', 'ENABLE_GITLAB', 'ENABLE_JIRA'].map((token) => ({
    file: 'kit/findings.ts',
    token,
    reason: "finding runbook-planned-drops-feature-flags quotes the variables the runbook's two SQLite manifests set",
  })),
  { file: 'model/target-profile.ts', token: 'DB_ENGINE', reason: "a profile that names no engine variable gets the runbook's (its manifest sets DB_ENGINE)" },
];

describe('harness/ names nothing of the reference app', () => {
  const tokens = referenceTokens();
  const isRunbookWord = (t: Token) => occurs(t, RUNBOOK) > 0;

  it('recognises a planted reference, and no English word', () => {
    const t = (kind: Kind, v: string) => token(kind, v);
    const hit = (tk: Token, s: string) => occurs(tk, s) > 0;
    expect(hit(t('table', 'users'), 'SELECT COUNT(*) FROM users;')).toBe(true);
    expect(hit(t('table', 'users'), "readBack: { table: 'users' }")).toBe(true);
    expect(hit(t('table', 'jobs'), 'CREATE TABLE IF NOT EXISTS "jobs" (id int)')).toBe(true);
    expect(hit(t('table', 'users'), 'the on-call users read the report; users=3')).toBe(false);
    expect(hit(t('table', 'jobs'), "the target's jobs (seed, migrate) run in order; const jobs = []")).toBe(false);
    expect(hit(t('table', 'tool_configs'), '// the tool_configs table')).toBe(true);
    expect(hit(t('table', 'tool_configs'), 'my_tool_configs_x')).toBe(false);
    expect(hit(t('path', '/api/users'), "request(`${url}/api/users?prefix=${p}`)")).toBe(true);
    expect(hit(t('path', '/api/users'), "'/api/users/count'")).toBe(true);
    expect(hit(t('path', '/api/users'), "'/api/users-archive'")).toBe(false);
    expect(hit(t('header', 'x-db-engine'), "res.headers['X-DB-Engine']")).toBe(true);
    expect(hit(t('header', 'x-db-engine'), "res.headers['x-db-engine-version']")).toBe(false);
    expect(hit(t('cli', 'hyperpage-cli'), "['hyperpage-cli', 'sync']")).toBe(true);
    expect(hit(t('env', 'DATABASE_PATH'), "{ name: 'DATABASE_PATH' }")).toBe(true);
    expect(hit(t('env', 'DATABASE_PATH'), 'SQLITE_DATABASE_PATH_X')).toBe(false);
  });

  it('derives the reference contract from targets/reference.ts and app/ (and the route list still matches app/src/server.ts)', () => {
    const by = (k: Kind) => tokens.filter((t) => t.kind === k).map((t) => t.value);
    expect(by('path')).toEqual(expect.arrayContaining(['/api/health', '/api/users', '/api/users/count', '/api/tools/enabled', '/api/rate-limit/test']));
    expect(by('header')).toEqual(expect.arrayContaining(['x-db-engine', 'x-pod-name']));
    expect(by('table')).toEqual(expect.arrayContaining(['users', 'tool_configs', 'rate_limits', 'app_state', 'jobs', 'schema_migrations']));
    expect(by('cli')).toContain('hyperpage-cli');
    expect(by('env')).toEqual(expect.arrayContaining(['DB_ENGINE', 'DATABASE_PATH', 'ENABLE_GITHUB', 'SHUTDOWN_GRACE_MS', 'ADDED_LATENCY_MS']));
    const server = read('app', 'src', 'server.ts');
    const segments = new Set(APP_ROUTES.flatMap((r) => r.split('/').filter(Boolean)));
    expect([...segments].filter((s) => !server.includes(`'${s}'`) && !['github', 'gitlab', 'jira'].includes(s))).toEqual([]);
    for (const n of Object.keys(NOT_THE_APPS)) expect(read('app', 'src', 'config.ts')).toContain(`env.${n}`);
  });

  it("reads the runbook's words from docs/runbook.md: the runbook's quotes are there, and none of the app's own words", () => {
    const words = tokens.filter(isRunbookWord).map((t) => t.value);
    expect(words).toEqual(expect.arrayContaining(['/api/health', '/api/tools/github', '/api/rate-limit/test', 'users', 'DB_ENGINE', 'DATABASE_PATH', 'hyperpage-pvc']));
    // The runbook never names these: a page that did would let a library file name the app.
    const appsOwn = ['/api/users', '/api/users/count', '/api/tools/enabled', '/api/rate-limit/github', 'x-db-engine', 'x-pod-name', 'tool_configs', 'jobs', 'hyperpage-cli', 'ADDED_LATENCY_MS'];
    expect(appsOwn.filter((v) => !tokens.some((t) => t.value === v))).toEqual([]);
    expect(words.filter((w) => appsOwn.includes(w))).toEqual([]);
  });

  it('only runbook words are allowed, each where it still appears (the list cannot rot)', () => {
    const problems = ALLOWED.flatMap((a) => {
      const t = tokens.find((x) => x.value === a.token);
      if (!t) return [`${a.file}: ${a.token} is no reference token`];
      if (!isRunbookWord(t)) return [`${a.file}: ${a.token} is the app's, not the runbook's: it cannot be allowed`];
      if (!a.reason.trim()) return [`${a.file}: ${a.token} has no reason`];
      let text: string;
      try {
        text = readFileSync(path.join(HARNESS, a.file), 'utf8');
      } catch {
        return [`${a.file}: no such file (remove the entry)`];
      }
      return occurs(t, text) > 0 ? [] : [`${a.file}: ${a.token} no longer appears (remove the entry)`];
    });
    expect(problems).toEqual([]);
  });

  it('no library file of harness/ names the reference app (allowed runbook quotes aside)', () => {
    const files = libraryFiles();
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((rel) => {
      const lines = readFileSync(path.join(HARNESS, rel), 'utf8').split('\n');
      return tokens.flatMap((t) =>
        ALLOWED.some((a) => a.file === rel && a.token === t.value)
          ? []
          : lines.flatMap((line, i) => (occurs(t, line) > 0 ? [`${rel}:${i + 1} ${t.kind} ${t.value}${isRunbookWord(t) ? ' (a runbook word: allow it only where the runbook is quoted)' : ''}: ${line.trim().slice(0, 100)}`] : [])),
      );
    });
    expect(offenders).toEqual([]);
  });
});
