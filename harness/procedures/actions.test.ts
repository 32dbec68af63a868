// The drill's Jobs as Kubernetes objects: valid for the API server, and a salvage Job able to read
// PostgreSQL's data directory on a real cluster (0700, uid 70) although the data tool's image runs as node.
import { describe, expect, it } from 'vitest';
import { TOPOLOGY } from '../platform/manifests.ts';
import { assertValidManifest } from '../platform/schema.ts';
import { cliJob } from './actions.ts';

describe('cliJob', () => {
  it('a copy Job runs as the image user with the SQLite claim only, argv = command + args', () => {
    const job = cliJob({ name: 'drill-data-copy-x', image: 'drill-data:v0.1.0', command: ['drill-data', 'copy'], args: ['--to', '/data/x.db'] });
    assertValidManifest(job);
    const pod = job.spec!.template.spec!;
    expect(pod.containers[0]!.securityContext).toBeUndefined();
    expect(pod.volumes!.map((v) => v.persistentVolumeClaim?.claimName)).toEqual([TOPOLOGY.sqlitePvc]);
    expect(pod.containers[0]!.command).toEqual(['drill-data', 'copy', '--to', '/data/x.db']);
  });

  it('a salvage Job mounts the PostgreSQL claim at /pgdata and runs as root to read it', () => {
    const job = cliJob({ name: 'drill-data-salvage-x', image: 'drill-data:v0.1.0', command: ['drill-data', 'salvage', '--data-dir', '/pgdata/pgdata'], mountPostgresData: true });
    assertValidManifest(job);
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.volumeMounts).toContainEqual({ name: 'postgres-data', mountPath: '/pgdata' });
    expect(c.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
  });
});
