import { REPO_ROOT } from './repo.ts';
import type { KubeObject } from '../model/platform.ts';
import { parseAllDocuments } from 'yaml';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';

export const MANIFESTS_DIR = path.join(REPO_ROOT, 'cluster', 'manifests');

export function parseManifests(text: string, source = '<inline>'): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as KubeObject | null;
    if (value == null) continue;
    if (typeof value !== 'object' || !('kind' in value) || !value.kind || !value.apiVersion) {
      throw new Error(`${source}: a document has no kind/apiVersion`);
    }
    out.push(value);
  }
  return out;
}

/** All baseline objects in file order (files sorted by name: namespace first). */
export async function loadBaselineManifests(dir = MANIFESTS_DIR): Promise<KubeObject[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const objects: KubeObject[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    objects.push(...parseManifests(await readFile(full, 'utf8'), full));
  }
  return objects;
}
