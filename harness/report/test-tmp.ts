// Unique temp folders for the report tests, removed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dirs: string[] = [];

export function tmpDir(prefix = 'report-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function cleanTmp(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
