// A zod error as one line naming each field: "summary.p99: Invalid input: expected number, received string".
// Used where data from disk or another process is validated (journal lines, DRILL_CONFIG).
import type { z } from 'zod';

export function issueLine(err: z.ZodError, prefix = '', max = 3): string {
  const shown = err.issues.slice(0, max).map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(value)'}: ${i.message}`);
  const more = err.issues.length > max ? `; and ${err.issues.length - max} more` : '';
  return shown.join('; ') + more;
}
