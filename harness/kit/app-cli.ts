// The JSON contract of a target's own baseline jobs (its forward migration prints a sync result),
// declared on the harness side, and parseCliJson, which reads the result line of any Job. Validated
// with zod where it is parsed, so the harness depends on no app's source. The drill's data tool
// (drill-data) has its own schemas in datatool/src/result.ts (procedures/data-tool.ts reads them).
// Unknown top-level keys are kept: they are journalled as printed.
import { z } from 'zod';

/** The CLI printed a result line the harness cannot read: its contract changed. */
export class CliContractError extends Error {
  override readonly name = 'CliContractError';
}

/**
 * The result line of a CLI run: the last line of `logs` (stdout and stderr mixed) that is a JSON
 * object, validated against `schema`. undefined when there is none (the CLI failed before printing
 * it); throws CliContractError, naming the fields, when it does not match the contract.
 */
export function parseCliJson<S extends z.ZodType>(logs: string, schema: S, what: string): z.infer<S> | undefined {
  const lines = logs.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!l.startsWith('{') || !l.endsWith('}')) continue;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      continue; // not the result line
    }
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new CliContractError(`${what}: the result line does not match the harness's contract (${z.prettifyError(r.error).replace(/\n+/g, '; ')}): ${l.slice(0, 300)}`);
  }
  return undefined;
}
