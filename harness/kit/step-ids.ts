// Steps are addressed by their stable id, never by their prose: a renamed sentence cannot move a
// mutation or an expectation. Edits return a new procedure (the input is left as it was) and throw
// on an id the procedure does not have, naming the ids it does have.
import type { Procedure, Step } from '../model/procedure.ts';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class UnknownStepError extends Error {
  override readonly name = 'UnknownStepError';
}

/** Throws unless every step id is kebab-case and unique within the procedure. */
export function assertStepIds<C>(proc: Procedure<C>): void {
  const seen = new Set<string>();
  for (const s of proc.steps) {
    if (!KEBAB.test(s.id)) throw new Error(`procedure ${proc.name} (${proc.variant}): step id ${JSON.stringify(s.id)} is not kebab-case ("${s.name}")`);
    if (seen.has(s.id)) throw new Error(`procedure ${proc.name} (${proc.variant}): step id "${s.id}" is used twice`);
    seen.add(s.id);
  }
}

/** The position of step `id`; throws `unknown step id "x" (known: a, b, c)`. */
export function stepIndex<C>(proc: Procedure<C>, id: string): number {
  const i = proc.steps.findIndex((s) => s.id === id);
  if (i < 0) throw new UnknownStepError(`unknown step id "${id}" (known: ${proc.steps.map((s) => s.id).join(', ')})`);
  return i;
}

/** The step with id `id`; throws on an unknown id. */
export function findStep<C>(proc: Procedure<C>, id: string): Step<C> {
  return proc.steps[stepIndex(proc, id)]!;
}

/** A copy of `proc` with step `id` replaced by `step` (which may carry a new id). */
export function replaceStep<C>(proc: Procedure<C>, id: string, step: Step<C>): Procedure<C> {
  return splice(proc, stepIndex(proc, id), 1, [step]);
}

/** A copy of `proc` with `steps` inserted right before step `id`. */
export function insertBefore<C>(proc: Procedure<C>, id: string, ...steps: Step<C>[]): Procedure<C> {
  return splice(proc, stepIndex(proc, id), 0, steps);
}

/** A copy of `proc` with `steps` inserted right after step `id`. */
export function insertAfter<C>(proc: Procedure<C>, id: string, ...steps: Step<C>[]): Procedure<C> {
  return splice(proc, stepIndex(proc, id) + 1, 0, steps);
}

/** A copy of `proc` without step `id`. */
export function removeStep<C>(proc: Procedure<C>, id: string): Procedure<C> {
  return splice(proc, stepIndex(proc, id), 1, []);
}

function splice<C>(proc: Procedure<C>, at: number, remove: number, add: Step<C>[]): Procedure<C> {
  const steps = [...proc.steps];
  steps.splice(at, remove, ...add);
  const next = { ...proc, steps };
  assertStepIds(next);
  return next;
}
