import { DrillConfigSchema, type DrillConfig } from '../model/drill-config.ts';
import { z } from 'zod';

/** One line for all problems: "key: message; key: message" (zod names the accepted values). */
export function formatConfigError(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const key = i.path.length ? i.path.join('.') : '(config)';
      return `${key}: ${i.message}`;
    })
    .join('; ');
}

export function parseDrillConfig(input: unknown): DrillConfig {
  return DrillConfigSchema.parse(input);
}
