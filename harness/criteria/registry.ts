// The runbook's success criteria: every `*.criterion.ts` beside this file, found by listing the
// folder, so a new criterion (with its weight) is one new file and no edit here. Each is judged for
// every row it applies to; a row's own criteria come from its spec (`criteria`).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { cachedLoader, importDefinition } from '../kit/definition-files.ts';
import { CriterionError, criterionProblem, type Criterion, type CriterionScope } from './criterion.ts';

export const BUILTIN_CRITERIA_DIR = import.meta.dirname;
const SUFFIX = '.criterion.ts';

/** The runbook's order (what reports and suites list); criteria not named here follow by name. */
const ORDER = ['emergency-rollback', 'planned-rollback', 'data-integrity', 'engine-in-use', 'functionality', 'performance', 'monitoring', 'stability', 'planned-failed-reads', 'write-freeze', 'planned-no-alert'];

/** A criterion file's default export, checked (a missing weight is an error naming the criterion). */
async function importCriterion(file: string): Promise<Criterion> {
  const def = await importDefinition(file, 'criterion file', 'defineCriterion', (m) => new CriterionError(m));
  const problem = criterionProblem(def);
  if (problem) throw new CriterionError(`criterion file ${file}: ${problem}`);
  const c = def as Criterion;
  if (`${c.id}${SUFFIX}` !== path.basename(file)) throw new CriterionError(`criterion file ${file}: defines criterion ${c.id} (name the file ${c.id}${SUFFIX})`);
  return c;
}

const load = cachedLoader((key) => build(key.split('\n')));

/** The criteria of `dirs` (default: the runbook's, beside this file), in the runbook's order; loaded once per set of folders. */
export function loadCriteria(dirs: readonly string[] = [BUILTIN_CRITERIA_DIR]): Promise<readonly Criterion[]> {
  return load(dirs.join('\n'));
}

async function build(dirs: readonly string[]): Promise<readonly Criterion[]> {
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(SUFFIX)).map((f) => path.join(d, f)));
  const list: Criterion[] = [];
  for (const f of files) {
    const c = await importCriterion(f);
    if (list.some((x) => x.id === c.id)) throw new CriterionError(`criterion ${c.id} is defined twice (${f})`);
    list.push(c);
  }
  const rank = (c: Criterion) => (ORDER.includes(c.id) ? ORDER.indexOf(c.id) : ORDER.length);
  return list.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

/** The criteria a row is judged by: the runbook's that apply to it, then its own (in its spec's order). */
export function criteriaFor(row: CriterionScope & { criteria?: readonly Criterion[] }, runbook: readonly Criterion[]): Criterion[] {
  const own = row.criteria ?? [];
  for (const c of own) if (runbook.some((r) => r.id === c.id)) throw new CriterionError(`scenario ${row.name}: its criterion ${c.id} is one of the runbook's (give it another id)`);
  return [...runbook.filter((c) => c.appliesTo?.(row) ?? true), ...own];
}
