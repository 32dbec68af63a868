// A target profile: what the harness knows about the app it drills, as data (docs/targets.md).
// Probes, feature checks and read-backs read it instead of constants, so an app with another health
// path, other headers, other tables or another write API is drilled by writing a profile
// (targets/<name>.ts), not by editing the harness. Validated with zod: a profile is input.
import { z } from 'zod';
import { MappingSchema, normalizeMapping } from '../../datatool/contract.ts';
import { TextDomainSchema, WriteFieldSchema } from './value-domain.ts';

const Path = z.string().regex(/^\/[^\s]*$/, 'an absolute request path ("/…")');
const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an SQL identifier (letters, digits, _)');
const HeaderName = z.string().regex(/^[a-z0-9-]+$/, 'a lowercase header name');

/** One assertion on a JSON answer: the value at `path` (dots, `length` for an array's length) equals / has a type. */
export const JsonAssertionSchema = z.object({
  path: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  type: z.enum(['string', 'number', 'boolean', 'array', 'object']).optional(),
  /** `equals` is this placeholder's value: the engine the drill expects to serve (sqlite after a rollback). */
  equalsEngine: z.boolean().optional(),
});

/** A feature check as data: one request through the service, its expected status, assertions on the body. */
export const FeatureSpecSchema = z.object({
  id: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  title: z.string().min(1),
  method: z.enum(['GET', 'HEAD']).default('GET'),
  path: Path,
  status: z.number().int().min(100).max(599),
  json: z.array(JsonAssertionSchema).default([]),
  /** The answer must name the expected engine (through `identity.engineHeader`): only for apps that name one. */
  namesEngine: z.boolean().default(false),
  /** Fields of the body quoted in the evidence ("enabled=true"). */
  show: z.array(z.string()).default([]),
  /** The runbook validation-checklist item this check makes exact (1 health, 3 tool integrations, 4 rate limiting). */
  checklist: z.number().int().min(1).max(5).optional(),
});

/** Where the run's keys are stored, per engine: read back directly from the database, never through the app. */
export const KeyColumnSchema = z.object({ table: Identifier, column: Identifier });

export const SetWorkloadSchema = z.object({
  model: z.literal('set'),
  /** Every write a new key: `{{prefix}}` and `{{n}}` are filled in (e.g. "{{prefix}}{{n}}@drill.local"). */
  key: z.string().includes('{{prefix}}').includes('{{n}}'),
  write: z.object({
    method: z.enum(['POST', 'PUT']),
    /** May contain `{{key}}` (URL-encoded). */
    path: Path,
    /** JSON body template: `{{key}}`, `{{n}}`, `{{label}}` and each field's `{{name}}` are filled in (JSON-escaped). */
    body: z.string().optional(),
    /** Statuses that acknowledge the write. */
    ack: z.array(z.number().int()).min(1),
    /** A numeric id in the acknowledged answer's JSON (recorded; the seeded-table checksums use the largest). */
    idField: z.string().optional(),
  }),
  /**
   * The values a write carries beside its key, by the name its body template gives them: each a
   * domain the generator writes realistic values in (kit/values.ts), and where each engine stores it.
   * Every acknowledged write's stored values are compared with the ones sent, byte for byte.
   */
  fields: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a field name (letters and digits)'), WriteFieldSchema).default({}),
  readBack: z.object({
    /** The app's own read-back (a second, user-visible check): a page of keys by prefix, then the next page. */
    api: z.object({
      /** `{{prefix}}` and `{{cursor}}` are filled in. */
      path: Path,
      firstCursor: z.string().default('0'),
      items: z.string().min(1),
      key: z.string().min(1),
      /** Field of the page holding the next cursor; null or absent: last page. */
      next: z.string().min(1),
    }),
    sqlite: KeyColumnSchema,
    postgres: KeyColumnSchema,
  }),
}).superRefine((w, ctx) => {
  for (const name of Object.keys(w.fields)) {
    if (['key', 'n', 'label', 'prefix', 'cursor'].includes(name)) ctx.addIssue({ code: 'custom', path: ['fields', name], message: `"${name}" is a placeholder the drill fills in itself` });
    else if (!`${w.write.path}${w.write.body ?? ''}`.includes(`{{${name}}}`)) ctx.addIssue({ code: 'custom', path: ['fields', name], message: `the write sends no {{${name}}} (its path or body template names it)` });
  }
});

/** A register key: what the direct read prints before the first `|`, so no `|`, no line break. */
const RegisterKey = z.string().regex(/^[^|\r\n]+$/, 'a register key (no "|", no line break)');

/**
 * A direct read of the register, run by exec in the database's pod (`sqlite3 -readonly FILE SQL`,
 * `psql -qtA` with the SQL on stdin): one SELECT returning two columns, key then value as text. Both
 * tools print a row as `key|value` (their default separator); the key is split off at the first `|`,
 * so a value may hold `|` but no line break. A whole query, not identifiers: a register's value is
 * often inside JSON or behind a flag (`json_extract(v,'$') … WHERE active = 1`). It is the profile
 * author's SQL, passed as one argument (never through a shell), read-only on SQLite.
 */
const DirectQuery = z
  .string()
  .trim()
  .regex(/^select\s/i, 'one SELECT statement (key, value)')
  .refine((q) => !q.replace(/;\s*$/, '').includes(';'), 'one statement only (no ";" inside)');

export const RegisterWorkloadSchema = z.object({
  model: z.literal('register'),
  /** The fixed keys the app updates; the workload writes only these. */
  keys: z
    .array(RegisterKey)
    .min(1)
    .refine((ks) => new Set(ks).size === ks.length, 'keys must be distinct'),
  write: z.object({
    method: z.enum(['PUT', 'POST', 'PATCH']),
    /** Must contain `{{key}}` (URL-encoded). */
    path: Path.refine((p) => p.includes('{{key}}'), 'the write path names the key: {{key}}'),
    /** JSON body template: `{{value}}` (and optionally `{{key}}`) filled in JSON-escaped, quotes included. */
    body: z.string().includes('{{value}}'),
    /** Statuses that acknowledge the write. */
    ack: z.array(z.number().int()).min(1),
  }),
  /** The app's own read of one key (during the workload and after it). */
  read: z.object({
    /** `{{key}}` is filled in (URL-encoded). */
    path: Path.refine((p) => p.includes('{{key}}'), 'the read path names the key: {{key}}'),
    /** Field of the 200 answer holding the value (dots for nesting). */
    value: z.string().min(1),
    /** Statuses meaning "this key has no value". */
    absent: z.array(z.number().int()).default([404]),
  }),
  /** The value of every key, straight from each engine's database: rows `key|value`. */
  direct: z.object({ sqlite: DirectQuery, postgres: DirectQuery }),
  /**
   * The domain of a value (its length counts the unique token each write starts with): after the
   * token the drill writes generated text (kit/values.ts). Absent: the token alone. No line breaks:
   * the direct read is one line per key.
   */
  value: TextDomainSchema.refine((d) => !d.lineBreaks, 'a register value has no line breaks (lineBreaks: false): the direct read is one line per key').optional(),
});

/** A field of one request's answer: `request` a GET path (or "*": every request), `path` a JSON path ("$.a.b", "$.items[*].at", "status"). */
export const DifferentialPathSchema = z
  .object({
    request: z.union([Path, z.literal('*')]),
    path: z.string().regex(/^(status|\$([.[].*)?)$/, 'a JSON path: "$", "$.field", "$.list[*].field" or "status"'),
    reason: z.string().min(1),
  })
  .strict();

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/**
 * How the app's image is built for kind: `docker build -f <dockerfile> -t <app.image> <context>`, then
 * `kind load docker-image`. `context` is relative to the profile file's folder (the rule of the
 * images' paths) or starts with `{{appDir}}` (the checkout given with --app-dir); `dockerfile` is
 * relative to the context, as in docker compose (default `Dockerfile`). Optional: without it
 * app.image is prebuilt, and kind loads docker's copy (pulled first when docker has none).
 */
export const AppBuildSchema = z
  .object({
    context: z.string().trim().min(1, 'the build context: a folder'),
    dockerfile: z.string().trim().min(1, 'a Dockerfile, relative to the context').default('Dockerfile'),
  })
  .strict();

/** How the app runs in the harness's baseline topology (its manifests are templated with these). */
export const AppSchema = z.object({
  /** The image the app's deployments run (mapped to a local command by `images`; on kind built from `build`, or prebuilt). */
  image: z.string().min(1),
  build: AppBuildSchema.optional(),
  /** The port it listens on in its container. */
  port: z.number().int().min(1).max(65535),
  /** The environment variables it reads its engine, database URL and SQLite file from. */
  env: z.object({ engine: EnvName.default('DB_ENGINE'), databaseUrl: EnvName.default('DATABASE_URL'), sqlitePath: EnvName }),
  /** The engine variable's values. */
  engines: z.object({ postgres: z.string().default('postgres'), sqlite: z.string().default('sqlite') }).default({ postgres: 'postgres', sqlite: 'sqlite' }),
  /** Every app container gets these too (feature flags). */
  extraEnv: z.record(EnvName, z.string()).default({}),
});

/**
 * How an image of the target runs on the local platform, and what is inside it. Relative paths are
 * relative to the profile file's folder. Exec of a tool not in `tools` fails there as it would in the
 * real container.
 */
export const TargetImageSchema = z.object({
  /** argv; a first element ending in .ts/.mts runs under this checkout's node + tsx, or compiled (`compile`). */
  command: z.array(z.string().min(1)).min(1),
  /** A .ts first element runs compiled, as an image built with tsc runs it, not under tsx at every start (platform/local/compiled-entry.ts). */
  compile: z.boolean().default(false),
  /** Executables on PATH inside the image: name → file. */
  bins: z.record(z.string(), z.string()).default({}),
  /** Every executable the image has (bins included): what an exec into its pods may run. */
  tools: z.array(z.string().min(1)).min(1),
  cwd: z.string().min(1).optional(),
  env: z.record(EnvName, z.string()).default({}),
  /** Env vars through which the local platform tells a pod its port and host. */
  portEnv: EnvName.default('PORT'),
  hostEnv: EnvName.default('HOST'),
});

/** One job of the baseline (after the app serves on PostgreSQL): seeding, migrating, the forward migration. */
export const BaselineJobSchema = z.object({
  name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  /**
   * argv in the app image: the first element is the executable (one of the image's tools);
   * `{{datasetSize}}` is replaced by the config's dataset size, and `{{seedValues}}` (a set workload
   * with a JSON body) by the path of a file of pre-migration rows with generated values, one write
   * body (the workload's template, filled) per line: checked after the rollback like every write.
   */
  command: z.array(z.string().min(1)).min(1),
  /** On top of the app's database URL and SQLite path (the engine variable among them, when a job needs one). */
  env: z.record(EnvName, z.string()).default({}),
  /** What the progress line says it does. */
  says: z.string().min(1),
  /** Its last JSON line is a sync result (tables with counts and checksums): journalled as the forward migration, and it must say ok. */
  result: z.enum(['sync']).optional(),
});

export const TargetProfileSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
    description: z.string().min(1),
    /** How the app names itself in its answers, if it does (recorded, compared, never trusted). */
    identity: z
      .object({
        engineHeader: HeaderName.optional(),
        /** A top-level field of the health answer naming the engine, when no header does. */
        engineBodyField: z.string().optional(),
        podHeader: HeaderName.optional(),
      })
      .default({}),
    health: z.object({
      path: Path,
      /** The app's health check queries its database: "fault in effect, health 200" is then a finding. */
      reflectsDatabase: z.boolean(),
    }),
    /** GET paths the load's reads spread over (what users hit after a rollback). */
    reads: z.array(Path).min(1),
    /** Requests per second the app must carry at peak: the fixed rate of the load after the fault (else a share of the baseline's throughput). */
    expectedPeakRate: z.number().positive().max(100_000).optional(),
    workload: z.discriminatedUnion('model', [SetWorkloadSchema, RegisterWorkloadSchema]),
    features: z.array(FeatureSpecSchema).min(1),
    app: AppSchema,
    /** Image pattern ("name:tag", "name:*") → how it runs locally and what it contains. */
    images: z.record(z.string().min(1), TargetImageSchema).default({}),
    /** Jobs in the app image that bring the world before the incident about, in order. */
    baseline: z.array(BaselineJobSchema).min(1),
    /** PostgreSQL → SQLite, for the drill's data tool (copy, salvage, checksums). */
    mapping: MappingSchema,
    /**
     * What is known to fail with this app, and why: findings with the checks they are expected to fail
     * (seed variant), beside the runbook's own FINDINGS (e.g. the runbook's manifest sets env names this app
     * does not read). Strict, as every expected failure: one that passes is a mismatch.
     */
    findings: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
          title: z.string().min(1),
          expectedFailures: z
            .array(z.object({ check: z.string().regex(/^(criterion:[a-z0-9-]+|checklist:[1-5]|data-recovery|step:[a-z]+:[a-z0-9-]+)$/), variant: z.literal('seed'), scenarios: z.array(z.string()).optional() }))
            .default([]),
          /** Another finding's expected failure (e.g. the runbook's runbook-no-data-flow) that this app's defect makes impossible to show: expected to pass instead. */
          masks: z
            .array(
              z.object({
                finding: z.string().min(1),
                check: z.string().regex(/^(criterion:[a-z0-9-]+|checklist:[1-5]|data-recovery|step:[a-z]+:[a-z0-9-]+)$/),
                variant: z.literal('seed'),
                scenarios: z.array(z.string()).optional(),
                /** Why the expected failure cannot show on this app: the reports print it beside the masked pass. */
                because: z.string().min(1),
              }),
            )
            .default([]),
          /** What to fix in the app, printed beside the finding. */
          fix: z.string().min(1).optional(),
        }),
      )
      .default([]),
    /**
     * What the decision matrix's faults break in this app. Optional: without it, functionality-broken
     * drops the first mapped table and the app's reaction to a fault is sampled on the first feature
     * check that is not the health path.
     */
    faults: z
      .object({
        /** functionality-broken: the PostgreSQL table dropped (a table a feature needs; one the mapping copies). */
        functionalityBroken: z.object({ table: Identifier }).optional(),
        /** The feature path sampled beside health once a fault is proven (its reaction, never its proof). */
        reactionPath: Path.optional(),
      })
      .strict()
      .default({}),
    /**
     * The differential replay (probes/differential.ts): the answers to `reads` (and `requests`) on
     * PostgreSQL, recorded twice on different pods, against the same requests after the rollback.
     */
    differential: z
      .object({
        /** More GET paths to record and replay beside `reads` (a read-back page of seeded rows, one row by id). */
        requests: z.array(Path).default([]),
        /** Fields that are noise beside the ones learned (they differ by request, not by engine), each with its reason. */
        ignore: z.array(DifferentialPathSchema).default([]),
        /** Differences the engines are known to make, each with its reason: reported, never failing functionality. */
        engineDifferences: z.array(DifferentialPathSchema).default([]),
      })
      .strict()
      .default({ requests: [], ignore: [], engineDifferences: [] }),
    /** A row count the app answers, compared with COUNT(*) read in the database by exec (writes may be in flight: it must lie between two answers). */
    countCheck: z
      .object({
        table: z.object({ sqlite: Identifier, postgres: Identifier }),
        api: z.object({ path: Path, field: z.string().min(1) }),
      })
      .optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    // The fault's proof reads the mapped tables back from pg_catalog: the dropped one must be one of them.
    const dropped = t.faults.functionalityBroken?.table;
    const mapped = normalizeMapping(t.mapping).map((m) => m.postgres.table);
    if (dropped !== undefined && !mapped.includes(dropped)) {
      ctx.addIssue({ code: 'custom', path: ['faults', 'functionalityBroken', 'table'], message: `"${dropped}" is not a PostgreSQL table of the mapping (${mapped.join(', ')})` });
    }
  });

export type TargetProfile = z.output<typeof TargetProfileSchema>;
export type TargetProfileInput = z.input<typeof TargetProfileSchema>;
export type FeatureSpec = z.output<typeof FeatureSpecSchema>;
export type JsonAssertion = z.output<typeof JsonAssertionSchema>;
export type SetWorkload = z.output<typeof SetWorkloadSchema>;
export type RegisterWorkload = z.output<typeof RegisterWorkloadSchema>;
export type TargetImage = z.output<typeof TargetImageSchema>;
export type BaselineJob = z.output<typeof BaselineJobSchema>;
export type AppBuild = z.output<typeof AppBuildSchema>;
export type DifferentialPath = z.output<typeof DifferentialPathSchema>;
