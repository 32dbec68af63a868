// The folder convention: reports/<timestamp>-<profile>/ holds one run's journal, samples and reports.
// UTC timestamps in the runbook's own `date +%Y%m%d-%H%M%S` shape, so folders sort by time.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export function runFolderName(startedAt: Date | number, profile: string): string {
  const d = new Date(startedAt);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const safe = profile.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `${stamp}-${safe}`;
}

/** Creates reports/<timestamp>-<profile>/ under root; a second run in the same second gets a "-2" suffix. */
export function createRunDir(root: string, startedAt: Date | number, profile: string): string {
  mkdirSync(root, { recursive: true });
  const base = runFolderName(startedAt, profile);
  for (let i = 1; ; i++) {
    const dir = path.join(root, i === 1 ? base : `${base}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
