// The drill's configuration: one zod schema for the config file and the flags, so every bad value
// is reported with its key and the accepted values.
import { z } from 'zod';

export const PROFILES = ['monthly', 'quarterly', 'pre-release', 'post-incident'] as const;
export const VARIANTS = ['seed', 'hardened', 'both'] as const;
export const CLUSTERS = ['auto', 'kind', 'local', 'existing'] as const;

export type Profile = (typeof PROFILES)[number];
/** A scenario's name: a built-in row of the decision matrix or a user's own (harness/scenarios/registry.ts). */
export type ScenarioName = string;
export type VariantChoice = (typeof VARIANTS)[number];
export type Variant = Exclude<VariantChoice, 'both'>;
export type ClusterChoice = (typeof CLUSTERS)[number];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXECUTABLE_NAME = /^[^/\s]+$/;
/** A name on PATH inside an image: no slash, no space. */
const EXECUTABLE = z.string().regex(EXECUTABLE_NAME, 'an executable name (no "/" or space)');

/** A record whose keys must match `re` (zod's own record-key error does not say what a key must be). */
function keyedRecord<V extends z.ZodType>(re: RegExp, what: string, value: V) {
  return z.record(z.string(), value).superRefine((r, ctx) => {
    for (const k of Object.keys(r)) if (!re.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `not ${what}` });
  });
}

/**
 * How the local platform runs an image: a command, executables put on PATH inside its pods, its
 * working directory and ENV, and (optionally) every tool inside it: with `tools`, an exec or a
 * container command naming anything else fails as it does in the real container. Strict: a
 * misspelt key is an error, not a silently ignored setting.
 */
export const LocalImageSchema = z
  .object({
    command: z.array(z.string().min(1)).min(1),
    /** A .ts first element of `command` runs compiled (its package transpiled once) instead of under tsx at every start. */
    compile: z.boolean().default(false),
    bins: keyedRecord(EXECUTABLE_NAME, 'an executable name (no "/" or space)', z.string().min(1)).default({}),
    /** Env var names through which the pod is told its port/host (locally every pod gets its own port). */
    portEnv: z.string().regex(ENV_NAME, 'an environment variable name').default('PORT'),
    hostEnv: z.string().regex(ENV_NAME, 'an environment variable name').default('HOST'),
    /** Working directory of the process (a container's workingDir wins). Default: the pod's own dir. */
    cwd: z.string().min(1).optional(),
    /** Image ENV: set unless the container sets the name; `$(VAR)` refers to the container's env. */
    env: keyedRecord(ENV_NAME, 'an environment variable name', z.string()).default({}),
    /** Executables inside the image (bins included); absent: anything on this host's PATH. */
    tools: z.array(EXECUTABLE).min(1).optional(),
  })
  .strict();

/** The shortest soak the default gives and the pre-release profile accepts. */
export const MIN_SOAK_SEC = 30;
/** The runbook's stability monitoring after a rollback: "< 1 hour". */
export const RUNBOOK_SOAK_SEC = 3600;

export const DrillConfigSchema = z
  .object({
    profile: z.enum(PROFILES).default('monthly'),
    /** Checked against the scenarios found (built-in + scenarioFiles) when the plan is made. */
    scenario: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a scenario name: lowercase letters, digits and "-"')
      .optional(),
    /** The app under drill: a profile in targets/ by name, or the path of a profile file of your own. */
    target: z.string().min(1).default('reference'),
    /** The user's checkout of the app, for a profile whose images run it (`{{appDir}}`). */
    appDir: z.string().min(1).optional(),
    /** The user's own scenario files (`export default defineScenario({...})`), beside the built-in rows. */
    scenarioFiles: z.array(z.string().min(1)).default([]),
    /** Absent: the profile decides (pre-release: both, else hardened; see planDrill). */
    variant: z.enum(VARIANTS).optional(),
    cluster: z.enum(CLUSTERS).default('auto'),
    context: z.string().min(1).optional(),
    allowContext: z.boolean().default(false),
    clusterName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and "-"')
      .default('rollback-drill'),
    hostPort: z.number().int().min(1024).max(65535).default(30080),
    keepCluster: z.boolean().default(false),
    reuseCluster: z.boolean().default(false),
    /** Users in the pre-migration SQLite dataset. */
    datasetSize: z.number().int().min(0).max(10_000_000).default(10_000),
    /** Writes made on PostgreSQL after the forward migration, before the drill's probes start. */
    postMigrationWrites: z.number().int().min(0).max(1_000_000).default(500),
    loadDurationSec: z.number().positive().max(3600).default(10),
    loadConnections: z.number().int().min(1).max(1000).default(10),
    /** The load after the fault runs at a fixed rate: this share of the baseline's measured throughput (closed loop)… */
    loadRateShare: z.number().positive().max(2).default(0.5),
    /** …or exactly this many requests per second (before the profile's expectedPeakRate and the share). */
    loadRate: z.number().positive().max(100_000).optional(),
    /** Share of the load that is unique-key writes (checked later in the database itself). */
    writeRatio: z.number().min(0).max(0.9).default(0.25),
    /**
     * Ledger writes per second once the service is restored (through the monitoring window). 200: with the
     * default 10 s window, 3 SQLite pods each take ~600, twice the 300 that make a 1 % loss rate visible
     * (100/s left Hyperpage's register 296/pod, short of it).
     */
    postRestoreWriteRate: z.number().min(1).max(1000).default(200),
    /** Acknowledged writes each serving pod must take after the restore for data integrity to count (300: a 1 % loss rate is caught at 95 %). */
    minWritesPerPod: z.number().int().min(1).max(10_000_000).default(300),
    /** Largest share of errors + non-2xx answers the load after the rollback may have (performance). */
    errorBudget: z.number().min(0).max(1).default(0.01),
    /** Divides the runbook's trigger windows (60: five minutes become five seconds). */
    timeScale: z.number().min(1).max(3600).default(60),
    /** Seed of the generated write values (kit/values.ts); absent: a random one, printed in the report so the run can be replayed. */
    valueSeed: z.number().int().min(1).max(0x7fffffff).optional(),
    /**
     * Seconds the restored service is watched after the restore (stability: restarts, readiness flaps).
     * Absent: the runbook's hour of stability monitoring scaled by timeScale, never under 30 s.
     */
    soakSec: z.number().positive().max(86_400).optional(),
    reportDir: z.string().min(1).default('reports'),
    allure: z.boolean().default(false),
    images: z.record(z.string(), LocalImageSchema).default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.profile === 'post-incident' && !c.scenario) {
      ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'profile post-incident needs --scenario NAME' });
    }
    if (c.profile === 'pre-release' && c.soakSec !== undefined && c.soakSec < MIN_SOAK_SEC) {
      ctx.addIssue({ code: 'custom', path: ['soakSec'], message: `the pre-release profile refuses a soak under ${MIN_SOAK_SEC} s (got ${c.soakSec} s)` });
    }
    if (c.context && c.cluster !== 'existing') {
      ctx.addIssue({ code: 'custom', path: ['context'], message: '--context goes with --cluster existing' });
    }
    if (c.cluster === 'existing' && (!c.context || !c.allowContext)) {
      ctx.addIssue({
        code: 'custom',
        path: ['context'],
        message: '--cluster existing needs --context NAME and --allow-context',
      });
    }
  });

export type DrillConfigInput = z.input<typeof DrillConfigSchema>;
export type DrillConfig = z.output<typeof DrillConfigSchema>;

/** The soak of a run: the one asked for, else the runbook's hour scaled by timeScale and never under 30 s. */
export function soakOf(c: Pick<DrillConfig, 'soakSec' | 'timeScale'>): { sec: number; explicit: boolean } {
  return c.soakSec !== undefined ? { sec: c.soakSec, explicit: true } : { sec: Math.max(MIN_SOAK_SEC, RUNBOOK_SOAK_SEC / c.timeScale), explicit: false };
}
