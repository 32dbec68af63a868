// The closing lines name every file a run wrote: the reports one by one, and what else is in the run
// folder (the probes' sample files, the pods' artifacts, backups) as one line per kind, so a person
// knows where to look without a listing of hundreds of paths.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Files below `dir`, recursively, as paths relative to it. */
function filesBelow(dir: string, rel = ''): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesBelow(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

/** "availability-database-corruption-seed.jsonl" → "availability-*.jsonl"; a name without "-" stays as it is. */
function kindOf(name: string): string {
  const dash = name.indexOf('-');
  if (dash < 1) return name;
  const ext = path.extname(name);
  return `${name.slice(0, dash)}-*${ext}`;
}

/**
 * One line per kind of file in `runDir` that `listed` does not name: a folder with its file count,
 * loose files by name pattern with theirs. Empty when the reports are all there is.
 */
export function otherRunFiles(runDir: string, listed: readonly string[]): string[] {
  const named = new Set(listed.map((p) => path.resolve(p)));
  const rest = filesBelow(runDir).filter((f) => !named.has(path.resolve(runDir, f)));
  const groups = new Map<string, number>();
  for (const f of rest) {
    const [top, ...below] = f.split(path.sep);
    const key = below.length ? `${top}${path.sep}` : kindOf(top!);
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${path.join(runDir, key)} (${n} file${n === 1 ? '' : 's'})`);
}
