// The folder convention: reports/<timestamp>-<profile>/ holds one run's journal, samples and reports.
// UTC timestamps in the runbook's own `date +%Y%m%d-%H%M%S` shape, so folders sort by time.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function runFolderName(startedAt: Date | number, profile: string): string {
  const d = new Date(startedAt);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const safe = profile.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `${stamp}-${safe}`;
}

/** A directory that could not be made: which path, and the errno code. */
export class MakeDirError extends Error {
  override readonly name = 'MakeDirError';
  constructor(
    readonly dir: string,
    readonly code: string,
    detail: string,
  ) {
    super(`cannot create ${dir} (${code}${detail ? `: ${detail}` : ''})`);
  }
}

/**
 * mkdir -p without recursive mkdirSync: Node 20's recursive mkdir spins at 100 % CPU forever on
 * filesystems that answer ENOENT for a directory whose parent exists (procfs). Here the first
 * existing ancestor is found with stat, must be a directory, and each missing segment is made on its
 * own, so every filesystem answers with an error at once.
 */
export function makeDirs(dir: string): string {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let p = abs; ; p = path.dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      // ENOTDIR: a file further up; walking on finds it and names it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) throw new MakeDirError(p, code, '');
      missing.push(p);
      continue;
    }
    if (!isDir) throw new MakeDirError(abs, 'ENOTDIR', `${p} is not a directory`);
    break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      // EEXIST: made meanwhile by someone else, fine if it is a directory.
      if (code === 'EEXIST' && statSync(p, { throwIfNoEntry: false })?.isDirectory()) continue;
      // ENOENT although the parent exists: a filesystem that cannot hold new directories (procfs).
      throw new MakeDirError(p, code, code === 'ENOENT' ? `${path.dirname(p)} does not allow new directories` : '');
    }
  }
  return abs;
}

/** Creates reports/<timestamp>-<profile>/ under root; a second run in the same second gets a "-2" suffix. */
export function createRunDir(root: string, startedAt: Date | number, profile: string): string {
  makeDirs(root);
  const base = runFolderName(startedAt, profile);
  for (let i = 1; i <= 10_000; i++) {
    const dir = path.join(root, i === 1 ? base : `${base}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      // Only a taken name is retried (bounded by the folders there); anything else is the caller's to report.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new MakeDirError(path.join(root, base), 'EEXIST', 'every run folder name is taken');
}
