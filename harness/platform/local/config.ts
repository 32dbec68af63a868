// Settings of the local platform: which local command stands in for which container image, where
// the run's files go, how fast crashed containers come back. One zod schema so a bad user mapping
// fails with its key named, and defaults that run this checkout's app and an embedded PostgreSQL.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { LocalImageSchema } from '../../config/schema.ts';
import { REPO_ROOT } from '../manifests.ts';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

/** How one image runs locally (the drill config's `images` entries, plus what the defaults need). */
export const LocalImageSpecSchema = LocalImageSchema.extend({
  /** Working directory of the process (a container's workingDir wins). Default: the pod's own dir. */
  cwd: z.string().min(1).optional(),
  /** Port the image listens on when the pod spec declares none (the runbook's planned deployment has no ports). */
  defaultPort: z.number().int().min(1).max(65535).optional(),
  /** The image's STOPSIGNAL (postgres: SIGINT, a fast shutdown). */
  stopSignal: z.enum(STOP_SIGNALS).default('SIGTERM'),
  /** Image ENV: set unless the container sets the name; `$(VAR)` refers to the container's env. */
  env: z.record(z.string(), z.string()).default({}),
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

/** The images a drill uses: the reference app from this checkout, PostgreSQL embedded. */
export function defaultImages(repoRoot: string): Record<string, LocalImageSpec> {
  const node = tsxNodeCommand();
  return {
    'hyperpage:*': LocalImageSpecSchema.parse({
      command: [...node, path.join(repoRoot, 'app', 'src', 'main.ts')],
      bins: { 'hyperpage-cli': path.join(repoRoot, 'app', 'bin', 'hyperpage-cli') },
      portEnv: 'PORT',
      hostEnv: 'HOST',
      defaultPort: 3000,
      cwd: repoRoot,
    }),
    'postgres:*': LocalImageSpecSchema.parse({
      command: [...node, path.join(repoRoot, 'harness', 'platform', 'local', 'postgres', 'entrypoint.ts')],
      // libpq reads PGHOST/PGPORT: pg_isready, pg_dump and psql in the pod reach its server as in the container.
      portEnv: 'PGPORT',
      hostEnv: 'PGHOST',
      defaultPort: 5432,
      stopSignal: 'SIGINT',
      // In the official image, connections from inside the container are trusted (pg_hba: 127.0.0.1 trust).
      env: { PGDATA: '/var/lib/postgresql/data', PGPASSWORD: '$(POSTGRES_PASSWORD)' },
    }),
  };
}

export function parseLocalOptions(input: LocalPlatformInput = {}): LocalPlatformConfig {
  const { progress: _progress, ...rest } = input;
  return LocalPlatformOptionsSchema.parse(rest);
}

function globToRegExp(pattern: string): RegExp {
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
