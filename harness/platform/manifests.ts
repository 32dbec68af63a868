// Loads the baseline topology (cluster/manifests/*.yaml) as typed Kubernetes objects, the
// same files a person applies with kubectl, so every platform drills the same topology.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './types.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MANIFESTS_DIR = path.join(REPO_ROOT, 'cluster', 'manifests');

/** Names in the baseline topology that procedures and probes refer to. */
export const TOPOLOGY = {
  namespace: 'hyperpage',
  appDeployment: 'hyperpage',
  appService: 'hyperpage-service',
  postgresDeployment: 'hyperpage-postgres',
  postgresService: 'hyperpage-postgres',
  postgresSecret: 'hyperpage-postgres-credentials',
  appSecret: 'hyperpage-app-secrets',
  sqlitePvc: 'hyperpage-data-pvc',
  postgresPvc: 'hyperpage-postgres-pvc',
  appImage: 'hyperpage:v0.1.0',
  sqlitePath: '/data/hyperpage.db',
} as const;

/** The drill's own data tool image (datatool/Dockerfile; locally `drill-data:*`): ENTRYPOINT drill-data, a Job passes args. */
export const DATA_TOOL_IMAGE = 'drill-data:v0.1.0';

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
