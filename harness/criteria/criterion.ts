// A success criterion is one file: its id, its share of the resilience score and how it judges an
// outcome. The runbook's own are `<id>.criterion.ts` beside this file (registry.ts finds them by
// listing the folder); a scenario's own are listed in its spec's `criteria`. The weight is part of
// the definition: a criterion the score cannot weigh is an error, never silently left out.
import { z } from 'zod';
import type { Criterion } from '../model/criterion.ts';

export type { Criterion, CriterionScope } from '../model/criterion.ts';

export class CriterionError extends Error {
  override readonly name = 'CriterionError';
}

const fn = z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', 'a function');
const CriterionSchema = z.object({
  id: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-"'),
  title: z.string().min(1),
  weight: z.number().positive().finite(),
  appliesTo: fn.optional(),
  judge: fn,
});

/** Why `c` is not a criterion, in one line naming it (undefined: it is one). */
export function criterionProblem(c: unknown): string | undefined {
  const id = typeof (c as { id?: unknown } | null)?.id === 'string' ? (c as { id: string }).id : undefined;
  const name = id === undefined ? 'criterion' : `criterion ${id}`;
  if (id !== undefined && (c as { weight?: unknown }).weight === undefined) return `${name} has no score weight: give it \`weight\` (its share of the resilience score)`;
  const r = CriterionSchema.safeParse(c);
  return r.success ? undefined : `${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(criterion)'}: ${i.message}`).join('; ')}`;
}

/** Checks a criterion's shape (one line naming it) and returns it: `export default defineCriterion({...})`. */
export function defineCriterion(c: Criterion): Criterion {
  const problem = criterionProblem(c);
  if (problem) throw new CriterionError(problem);
  return c;
}
