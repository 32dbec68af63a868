// A target profile: what the harness knows about the app it drills, as data (DESIGN.md "Target
// profiles"). Probes, feature checks and read-backs read it instead of constants, so an app with
// another health path, other headers, other tables or another write API is drilled by writing a
// profile (targets/<name>.ts), not by editing the harness. Validated with zod: a profile is input.
import { z } from 'zod';

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
    /** JSON body template: `{{key}}`, `{{n}}` and `{{label}}` are filled in (JSON-escaped). */
    body: z.string().optional(),
    /** Statuses that acknowledge the write. */
    ack: z.array(z.number().int()).min(1),
    /** A numeric id in the acknowledged answer's JSON (recorded; the seeded-table checksums use the largest). */
    idField: z.string().optional(),
  }),
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
    workload: SetWorkloadSchema,
    features: z.array(FeatureSpecSchema).min(1),
    /** A row count the app answers, compared with COUNT(*) read in the database by exec (writes may be in flight: it must lie between two answers). */
    countCheck: z
      .object({
        table: z.object({ sqlite: Identifier, postgres: Identifier }),
        api: z.object({ path: Path, field: z.string().min(1) }),
      })
      .optional(),
  })
  .strict();

export type TargetProfile = z.output<typeof TargetProfileSchema>;
export type TargetProfileInput = z.input<typeof TargetProfileSchema>;
export type FeatureSpec = z.output<typeof FeatureSpecSchema>;
export type JsonAssertion = z.output<typeof JsonAssertionSchema>;
export type SetWorkload = z.output<typeof SetWorkloadSchema>;

export class TargetProfileError extends Error {
  override readonly name = 'TargetProfileError';
}

/** `export default defineTarget({...})`: checked now, one line naming every bad field. */
export function defineTarget(input: TargetProfileInput): TargetProfile {
  const r = TargetProfileSchema.safeParse(input);
  if (!r.success) {
    const name = typeof input?.name === 'string' ? `target ${input.name}` : 'target';
    throw new TargetProfileError(`${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(profile)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
