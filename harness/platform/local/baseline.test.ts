// The baseline topology (cluster/manifests, applied as they are) on the local platform with the
// reference app (its images from targets/reference.ts): PostgreSQL 1/1 and the app 3/3 ready, the app serving from PostgreSQL through the
// Service, its CLI on the pod's PATH. Runs once the reference app (app/src/main.ts) is in the checkout.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { withPassword } from '../../drill/baseline.ts';
import { REPO_ROOT } from '../../kit/repo.ts';
import { loadBaselineManifests } from '../../kit/manifests.ts';
import { TOPOLOGY } from '../../kit/topology.ts';
import { loadTarget } from '../../targets/load.ts';
import { createLocalPlatform } from './platform.ts';
import { ENDPOINT_HEADER } from './service-proxy.ts';
import { targetImages } from './target-images.ts';

const NS = TOPOLOGY.namespace;
const hasApp = existsSync(path.join(REPO_ROOT, 'app', 'src', 'main.ts'));


describe.skipIf(!hasApp)('local platform: the baseline manifests with the reference app', () => {
  it('applies cluster/manifests: PostgreSQL 1/1 and the app 3/3 ready, serving from PostgreSQL', async () => {
    await using p = await createLocalPlatform({ handleSignals: false, images: targetImages(await loadTarget('reference')) });
    const password = randomBytes(16).toString('hex');
    await p.apply(withPassword(await loadBaselineManifests(), password));
    await p.waitForReady(NS, TOPOLOGY.postgresDeployment, 1, { timeoutMs: 60_000 });
    const status = await p.waitForReady(NS, TOPOLOGY.appDeployment, 3, { timeoutMs: 90_000 });
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3 });

    const url = await p.serviceUrl(NS, TOPOLOGY.appService);
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await request(`${url}/api/health`);
      const body = (await res.body.json()) as { status?: string; engine?: string };
      expect(res.statusCode).toBe(200);
      expect(body.status).toBe('healthy');
      expect(res.headers['x-db-engine'] ?? body.engine).toBe('postgres');
      served.add(String(res.headers[ENDPOINT_HEADER]));
    }
    expect(served.size).toBe(3);

    // The pod sees its cluster: the CLI shim on PATH, the claim at /data, PostgreSQL by its Service name.
    const env = await p.exec(NS, TOPOLOGY.appDeployment, ['sh', '-c', 'command -v hyperpage-cli; echo "$DATABASE_PATH"; echo "$DATABASE_URL"']);
    const [cli, dbPath, dbUrl] = env.stdout.trim().split('\n');
    expect(cli).toMatch(/\/bin\/\d+\/hyperpage-cli$/);
    expect(dbPath).toBe(path.join(p.claimPath(NS, TOPOLOGY.sqlitePvc), 'hyperpage.db'));
    expect(dbUrl).toMatch(/^postgresql:\/\/hyperpage:[0-9a-f]+@127\.0\.0\.1:\d+\/hyperpage$/);
    const logs = await p.logs(NS);
    expect(logs.filter((l) => l.owner === TOPOLOGY.appDeployment)).toHaveLength(3);
    expect(logs.map((l) => l.text).join('\n')).not.toContain(password);
  });
});
