import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emergencyDeployment, plannedDeployment, quoteLabels, recoveryPod, withClaim } from '../procedures/runbook-manifests.ts';
import { REPO_ROOT } from '../kit/repo.ts';
import { loadBaselineManifests } from '../kit/manifests.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { assertValidManifest, SCHEMA_KUBERNETES_VERSION, validateManifest } from './schema.ts';

describe('manifest schema (Kubernetes 1.33, kubernetes-models)', () => {
  it('matches the Kubernetes version of the pinned kind node image', async () => {
    const kindYaml = parse(await readFile(path.join(REPO_ROOT, 'cluster', 'kind.yaml'), 'utf8'));
    const image: string = kindYaml.nodes[0].image;
    expect(image).toContain(`kindest/node:v${SCHEMA_KUBERNETES_VERSION}.`);
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules', 'kubernetes-models', 'package.json'), 'utf8'));
    expect(pkg.version).toMatch(/^4\.5\./); // 4.5.x ships the 1.33 schemas
  });

  it('every baseline manifest in cluster/manifests is valid', async () => {
    const objects = await loadBaselineManifests();
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'Namespace/hyperpage',
      'Secret/hyperpage-postgres-credentials',
      'Secret/hyperpage-app-secrets',
      'PersistentVolumeClaim/hyperpage-postgres-pvc',
      'PersistentVolumeClaim/hyperpage-data-pvc',
      'Deployment/hyperpage-postgres',
      'Service/hyperpage-postgres',
      'Deployment/hyperpage',
      'Service/hyperpage-service',
    ]);
    for (const o of objects) expect({ object: `${o.kind}/${o.metadata?.name}`, ...validateManifest(o) }).toEqual({ object: `${o.kind}/${o.metadata?.name}`, valid: true, errors: [] });
  });

  it('catches the runbook\'s unquoted `emergency: true` label, as the API server would', () => {
    const seed = emergencyDeployment(TOPOLOGY.appImage);
    expect(validateManifest(seed)).toEqual({
      valid: false,
      errors: [
        'metadata.labels.emergency: must be string',
        'spec.selector.matchLabels.emergency: must be string',
        'spec.template.metadata.labels.emergency: must be string',
      ],
    });
    expect(() => assertValidManifest(seed)).toThrow(/^Deployment hyperpage-sqlite-backup is not valid Kubernetes 1\.33: metadata\.labels\.emergency: must be string;/);
    expect(validateManifest(withClaim(quoteLabels(seed), TOPOLOGY.sqlitePvc)).valid).toBe(true);
  });

  it('validates the other objects the procedures generate', () => {
    expect(validateManifest(plannedDeployment(TOPOLOGY.appImage))).toEqual({ valid: true, errors: [] });
    expect(validateManifest(recoveryPod())).toEqual({ valid: true, errors: [] });
    expect(
      validateManifest({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'pg-to-sqlite', namespace: 'hyperpage' },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'sync', image: TOPOLOGY.appImage, args: ['sync'] }] } } },
      }),
    ).toEqual({ valid: true, errors: [] });
  });

  it('reports wrong types, bad quantities, unknown fields and missing names with their paths', () => {
    const r = validateManifest({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'hyperpage' },
      spec: {
        replicas: '3',
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { memory: 'lots' } }, ports: [{ containerPort: 3000, protcol: 'TCP' }] }] },
        },
        strategy: { type: 'Recreate' },
        paused: false,
        revisionHistoryLimt: 2,
      },
    });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'spec.replicas: must be integer',
        expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: .*quantity/),
        'metadata.name: required',
        'spec.revisionHistoryLimt: unknown field',
        'spec.template.spec.containers[0].ports[0].protcol: unknown field',
      ]),
    );
  });

  it('an unknown kind or apiVersion has no schema', () => {
    expect(validateManifest({ apiVersion: 'v1', kind: 'Deplyment', metadata: { name: 'x' } }).errors).toEqual(['(object): no Kubernetes 1.33 schema for v1 Deplyment']);
    expect(validateManifest({ apiVersion: '../../x', kind: 'Pod' }).valid).toBe(false);
    expect(validateManifest(null).valid).toBe(false);
  });
});
