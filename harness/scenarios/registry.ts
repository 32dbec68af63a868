// Where scenarios come from: every `*.scenario.ts` beside this file (the decision matrix's rows),
// plus the files a user names (`scenarioFiles` / `--scenario-file`). Found by listing the folder,
// so a new row is one new file and no edit here.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { cachedLoader, importDefinition } from '../kit/definition-files.ts';
import { defineScenario, ScenarioSpecError } from './spec.ts';
import { type ScenarioSpec } from '../model/scenario.ts';

const BUILTIN_DIR = import.meta.dirname;
const SUFFIX = '.scenario.ts';

/** The decision matrix's rows in the runbook's order; other built-ins (if any) follow by name. */
const MATRIX_ORDER = ['database-corruption', 'security-incident', 'performance-issues', 'functionality-broken', 'maintenance-window'];

export class ScenarioRegistry {
  private readonly specs = new Map<string, ScenarioSpec>();
  /** The built-in rows (what pre-release drills and `npm test` runs); user files come after. */
  readonly builtin: string[] = [];

  add(spec: ScenarioSpec, from: string, builtin: boolean): void {
    const clash = this.specs.get(spec.name);
    if (clash) throw new ScenarioSpecError(`scenario ${spec.name} is defined twice (${from})`);
    this.specs.set(spec.name, spec);
    if (builtin) this.builtin.push(spec.name);
  }

  get names(): string[] {
    return [...this.specs.keys()];
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  get(name: string): ScenarioSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new ScenarioSpecError(`unknown scenario "${name}" (known: ${this.names.join(', ')})`);
    return spec;
  }
}

/** A scenario file's default export, checked. */
async function importSpec(file: string): Promise<ScenarioSpec> {
  const spec = await importDefinition(file, 'scenario file', 'defineScenario', (m) => new ScenarioSpecError(m));
  try {
    return defineScenario(spec as ScenarioSpec);
  } catch (err) {
    throw new ScenarioSpecError(`scenario file ${file}: ${(err as Error).message}`);
  }
}

const load = cachedLoader((key) => build(key ? key.split('\n') : []));

/** The built-in scenarios and the user's files (paths relative to `cwd`); loaded once per set of files. */
export function loadScenarios(files: readonly string[] = [], cwd = process.cwd()): Promise<ScenarioRegistry> {
  return load(files.map((f) => path.resolve(cwd, f)).join('\n'));
}

async function build(userFiles: readonly string[]): Promise<ScenarioRegistry> {
  const rank = (f: string) => {
    const i = MATRIX_ORDER.indexOf(f.slice(0, -SUFFIX.length));
    return i === -1 ? MATRIX_ORDER.length : i;
  };
  const builtins = readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const registry = new ScenarioRegistry();
  for (const f of builtins) registry.add(await importSpec(path.join(BUILTIN_DIR, f)), f, true);
  for (const f of userFiles) registry.add(await importSpec(f), f, false);
  return registry;
}
