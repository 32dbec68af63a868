import { describe, expect, it } from 'vitest';
import { ImageMap, LocalImageSpecSchema } from './config.ts';
import { ContainerConfigError, containerEnv, type EnvSources } from './env.ts';
import { expandVars, translateLocalPorts, translatePaths, translateServiceDns, type ServiceAddress } from './translate.ts';

const mounts = [
  { containerPath: '/data', hostPath: '/run/x/pvc/data' },
  { containerPath: '/var/lib/postgresql/data', hostPath: '/run/x/pvc/pg' },
];

describe('translatePaths', () => {
  it('rewrites paths under a mount on path boundaries only', () => {
    expect(translatePaths('/data/hyperpage.db', mounts)).toBe('/run/x/pvc/data/hyperpage.db');
    expect(translatePaths('/data', mounts)).toBe('/run/x/pvc/data');
    expect(translatePaths('sqlite3 /data/hyperpage.db "SELECT 1;"', mounts)).toBe('sqlite3 /run/x/pvc/data/hyperpage.db "SELECT 1;"');
    expect(translatePaths('--file=/data/x', mounts)).toBe('--file=/run/x/pvc/data/x');
    expect(translatePaths('/database/x', mounts)).toBe('/database/x');
    expect(translatePaths('/srv/data/x', mounts)).toBe('/srv/data/x');
    expect(translatePaths('./data/x', mounts)).toBe('./data/x');
  });

  it('prefers the longest mount', () => {
    expect(translatePaths('/var/lib/postgresql/data/pgdata', mounts)).toBe('/run/x/pvc/pg/pgdata');
  });

  it('rewrites every occurrence in a shell script', () => {
    const script = 'if [ -f /var/lib/postgresql/data/pgdata/PG_VERSION ]; then cp /data/a /data/b; fi';
    expect(translatePaths(script, mounts)).toBe('if [ -f /run/x/pvc/pg/pgdata/PG_VERSION ]; then cp /run/x/pvc/data/a /run/x/pvc/data/b; fi');
  });
});

describe('translateServiceDns', () => {
  const services: ServiceAddress[] = [
    { namespace: 'hyperpage', name: 'hyperpage-postgres', ports: new Map([[5432, 41000]]) },
    { namespace: 'hyperpage', name: 'hyperpage-service', ports: new Map([[80, 42000]]) },
  ];

  it('rewrites name:port in URLs and host:port values', () => {
    expect(translateServiceDns('postgresql://hyperpage:pw@hyperpage-postgres:5432/hyperpage', services, 'hyperpage')).toBe(
      'postgresql://hyperpage:pw@127.0.0.1:41000/hyperpage',
    );
    expect(translateServiceDns('hyperpage-postgres.hyperpage.svc.cluster.local:5432', services, 'other')).toBe('127.0.0.1:41000');
  });

  it('gives URLs without a port the scheme port', () => {
    expect(translateServiceDns('http://hyperpage-service.hyperpage.svc.cluster.local/api/health', services, 'hyperpage')).toBe(
      'http://127.0.0.1:42000/api/health',
    );
    expect(translateServiceDns('curl -s http://hyperpage-service/api/x', services, 'hyperpage')).toBe('curl -s http://127.0.0.1:42000/api/x');
  });

  it('leaves other words, other namespaces and unknown ports alone', () => {
    expect(translateServiceDns('hyperpage-postgres-credentials', services, 'hyperpage')).toBe('hyperpage-postgres-credentials');
    expect(translateServiceDns('hyperpage-postgres:5432', services, 'elsewhere')).toBe('hyperpage-postgres:5432');
    expect(translateServiceDns('hyperpage-postgres:6543', services, 'hyperpage')).toBe('hyperpage-postgres:6543');
  });

  it('turns a bare service name into 127.0.0.1', () => {
    expect(translateServiceDns('hyperpage-postgres', services, 'hyperpage')).toBe('127.0.0.1');
  });
});

describe('translateLocalPorts', () => {
  it("rewrites the pod's own container ports on localhost to its local port", () => {
    const ports = new Map([[3000, 45123]]);
    expect(translateLocalPorts('http://localhost:3000/api/health', ports)).toBe('http://127.0.0.1:45123/api/health');
    expect(translateLocalPorts('127.0.0.1:3000', ports)).toBe('127.0.0.1:45123');
    expect(translateLocalPorts('--listen 0.0.0.0:3000', ports)).toBe('--listen 127.0.0.1:45123');
    expect(translateLocalPorts('http://localhost:30001/x', ports)).toBe('http://localhost:30001/x');
    expect(translateLocalPorts('http://example.localhost:3000/', ports)).toBe('http://example.localhost:3000/');
  });
});

describe('expandVars', () => {
  it('expands defined $(VAR), keeps undefined ones, unescapes $$(VAR)', () => {
    expect(expandVars('$(A)/x/$(B)/$$(A)', { A: 'a' })).toBe('a/x/$(B)/$(A)');
  });
});

describe('containerEnv', () => {
  const sources: EnvSources = {
    secret: (_ns, name) => (name === 'creds' ? { USER: 'u', PASSWORD: 'p' } : undefined),
    configMap: (_ns, name) => (name === 'cfg' ? { MODE: 'm' } : undefined),
  };
  const meta = { name: 'pod-1', namespace: 'ns', labels: { app: 'a' } };

  it('resolves envFrom, valueFrom and $(VAR) with env winning over envFrom', () => {
    const env = containerEnv(
      {
        name: 'c',
        envFrom: [{ secretRef: { name: 'creds' } }, { configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
        env: [
          { name: 'USER', value: 'override' },
          { name: 'URL', value: 'postgres://$(USER):$(PASSWORD)@db' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        ],
      },
      meta,
      sources,
    );
    expect(env).toMatchObject({ USER: 'override', PASSWORD: 'p', CFG_MODE: 'm', URL: 'postgres://override:p@db', POD: 'pod-1', APP: 'a', PW: 'p' });
  });

  it('fails like the kubelet on a missing Secret or key (CreateContainerConfigError)', () => {
    expect(() => containerEnv({ name: 'c', envFrom: [{ secretRef: { name: 'nope' } }] }, meta, sources)).toThrow(ContainerConfigError);
    expect(() => containerEnv({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'NOPE' } } }] }, meta, sources)).toThrow(
      "couldn't find key NOPE in Secret ns/creds",
    );
    expect(containerEnv({ name: 'c', envFrom: [{ secretRef: { name: 'nope', optional: true } }] }, meta, sources)).toEqual({});
  });
});

describe('ImageMap', () => {
  const spec = (cmd: string) => LocalImageSpecSchema.parse({ command: [cmd] });
  it('resolves exact names, then the most specific pattern, later entries winning ties', () => {
    const map = new ImageMap({ 'hyperpage:*': spec('default'), 'hyperpage:v2': spec('exact'), '*': spec('any'), 'hyper*': spec('later') });
    expect(map.resolve('hyperpage:v2')?.command).toEqual(['exact']);
    expect(map.resolve('hyperpage:v1')?.command).toEqual(['default']);
    expect(map.resolve('busybox')?.command).toEqual(['any']);
    expect(new ImageMap({ 'postgres:*': spec('pg') }).resolve('redis:7')).toBeUndefined();
  });
});
