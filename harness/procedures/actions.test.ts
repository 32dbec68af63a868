// The drill's Jobs as Kubernetes objects: valid for the API server, and a salvage Job able to read
// PostgreSQL's data directory on a real cluster (0700, uid 70) although the data tool's image runs as node.
import { describe, expect, it } from 'vitest';
import { TOPOLOGY } from '../kit/topology.ts';
import { assertValidManifest } from '../platform/schema.ts';
import { loadTarget } from '../targets/load.ts';
import { sqliteDeployment } from './actions.ts';
import { cliJob } from '../kit/jobs.ts';

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

const reference = await loadTarget('reference');
const settings = await loadTarget('settings-app');

describe('sqliteDeployment', () => {
  const make = (target: typeof reference) => sqliteDeployment({ name: 'x-sqlite', image: target.app.image, target, replicas: 1, labels: { app: 'hyperpage', engine: 'sqlite' } });

  it("runs the target's app: its env names, engine value, port and health path", () => {
    const dep = make(settings);
    assertValidManifest(dep);
    const c = dep.spec!.template.spec!.containers[0]!;
    expect(c.env).toEqual([
      { name: 'DB_ENGINE', value: 'sqlite' },
      { name: 'SETTINGS_DB_FILE', value: TOPOLOGY.sqlitePath },
    ]);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(c.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 8080 });
  });

  it('the reference app keeps what it had: its flags, DATABASE_PATH, port 3000, /api/health, no database URL', () => {
    const c = make(reference).spec!.template.spec!.containers[0]!;
    expect(Object.fromEntries(c.env!.map((e) => [e.name, e.value]))).toEqual({
      NODE_ENV: 'production',
      DB_ENGINE: 'sqlite',
      DATABASE_PATH: TOPOLOGY.sqlitePath,
      ENABLE_RATE_LIMITING: 'true',
      ENABLE_GITHUB: 'true',
      ENABLE_GITLAB: 'true',
      ENABLE_JIRA: 'true',
    });
    expect(c.ports).toEqual([{ containerPort: 3000, name: 'http' }]);
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/api/health', port: 3000 });
  });
});
