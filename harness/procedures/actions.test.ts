// The drill's CLI Jobs as Kubernetes objects: valid for the API server, and the salvage Job able to
// read PostgreSQL's data directory on a real cluster (0700, uid 70) although the app image runs as node.
import { describe, expect, it } from 'vitest';
import { TOPOLOGY } from '../platform/manifests.ts';
import { assertValidManifest } from '../platform/schema.ts';
import { cliJob } from './actions.ts';

describe('cliJob', () => {
  it('a sync Job runs as the image user with the SQLite claim only', () => {
    const job = cliJob({ name: 'hyperpage-sync-x', image: TOPOLOGY.appImage, args: ['sync', '--from', 'postgres', '--to', 'sqlite'] });
    assertValidManifest(job);
    const pod = job.spec!.template.spec!;
    expect(pod.containers[0]!.securityContext).toBeUndefined();
    expect(pod.volumes!.map((v) => v.persistentVolumeClaim?.claimName)).toEqual([TOPOLOGY.sqlitePvc]);
  });

  it('a salvage Job mounts the PostgreSQL claim at /pgdata and runs as root to read it', () => {
    const job = cliJob({ name: 'hyperpage-salvage-x', image: TOPOLOGY.appImage, args: ['salvage', '--pgdata', '/pgdata/pgdata'], mountPostgresData: true });
    assertValidManifest(job);
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.volumeMounts).toContainEqual({ name: 'postgres-data', mountPath: '/pgdata' });
    expect(c.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
  });
});
