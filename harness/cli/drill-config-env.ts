// DRILL_CONFIG: the CLI's resolved plan, handed to the drill suites in vitest's workers as JSON in
// an environment variable (written by run-suites.ts). Validated where it is read, so a hand-set or
// stale value fails with one line naming the field instead of a drill that runs half-configured.
import { z } from 'zod';
import { DrillConfigSchema, type DrillConfig, type Variant } from '../model/drill-config.ts';
import { issueLine } from '../journal/zod-issues.ts';

export const DRILL_CONFIG_ENV = 'DRILL_CONFIG';

export const DrillConfigEnvSchema = z.object({
  config: DrillConfigSchema,
  plan: z.object({ scenarios: z.array(z.string().min(1)), variants: z.array(z.enum(['seed', 'hardened'])).min(1) }),
  runDir: z.string().min(1),
  platform: z.enum(['local', 'kind', 'existing']).optional(),
});

export interface DrillConfigEnv {
  config: DrillConfig;
  plan: { scenarios: string[]; variants: Variant[] };
  runDir: string;
  platform?: 'local' | 'kind' | 'existing';
}

/** DRILL_CONFIG is not what the CLI writes. */
export class DrillConfigEnvError extends Error {
  override readonly name = 'DrillConfigEnvError';
  readonly exitCode = 2;
}

/** Parses DRILL_CONFIG's JSON; throws DrillConfigEnvError naming the field that does not match. */
export function parseDrillConfigEnv(raw: string): DrillConfigEnv {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new DrillConfigEnvError(`${DRILL_CONFIG_ENV} (the drill CLI's plan for its suites) is not JSON: ${(err as Error).message}`);
  }
  const r = DrillConfigEnvSchema.safeParse(value);
  if (!r.success) throw new DrillConfigEnvError(`${DRILL_CONFIG_ENV} (the drill CLI's plan for its suites) does not match: ${issueLine(r.error)}`);
  return r.data;
}
