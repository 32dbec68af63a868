// The shared step builders on a real local platform (fixture app pods behind the service proxy):
// what they do to the service and deployments, what they journal, and what they report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../journal/journal.ts';
import { fixtureDeployment, fixtureImages, fixtureService, namespace } from '../platform/local/fixtures/objects.ts';
import { createLocalPlatform } from '../platform/local/platform.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import type { ProcedureContext } from '../model/context.ts';
import { emergencyDeployment, plannedDeployment, recoveryPod, RUNBOOK } from './runbook-manifests.ts';
import { ENGINE_SELECTOR, pinServiceToPostgresStep, scaleStep, switchToSqliteStep } from './steps.ts';

const NS = TOPOLOGY.namespace;
const dir = mkdtempSync(path.join(tmpdir(), 'steps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function servedBy(url: string): Promise<string | undefined> {
  const res = await request(`${url}/api/health`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  return ((await res.body.json()) as { name?: string }).name;
}

describe('shared step builders (real local platform)', () => {
  it('pin and switch patch the real service; only the switch is journalled as the selector-switch marker; scale reports what it set', async () => {
    await using platform = await createLocalPlatform({ images: fixtureImages(), restartBackoffMs: { initial: 200, max: 2000 }, resyncMs: 100, handleSignals: false });
    await platform.apply([
      namespace(NS),
      fixtureDeployment({ name: 'pg', labels: { ...ENGINE_SELECTOR.postgres }, ns: NS }),
      fixtureDeployment({ name: 'lite', labels: { ...ENGINE_SELECTOR.sqlite }, ns: NS }),
      fixtureService(TOPOLOGY.appService, { app: 'hyperpage', component: 'app' }, NS),
    ]);
    await platform.waitForReady(NS, 'pg', 1, { timeoutMs: 30_000 });
    await platform.waitForReady(NS, 'lite', 1, { timeoutMs: 30_000 });
    const url = await platform.serviceUrl(NS, TOPOLOGY.appService);
    const file = path.join(dir, 'selector.jsonl');
    const journal = new Journal(file);
    const ctx = { platform, journal, state: {}, progress: () => {} } as unknown as ProcedureContext;
    const signal = new AbortController().signal;
    const markers = () => readJournal(file).filter((e) => e.type === 'marker');

    expect(await pinServiceToPostgresStep().run(ctx, signal)).toBe(`selector → ${JSON.stringify(ENGINE_SELECTOR.postgres)}`);
    for (let i = 0; i < 5; i++) expect(await servedBy(url)).toBe('pg');
    expect(markers()).toEqual([]);

    await switchToSqliteStep().run(ctx, signal);
    for (let i = 0; i < 5; i++) expect(await servedBy(url)).toBe('lite');
    expect(markers()).toMatchObject([{ name: 'selector-switch', detail: JSON.stringify(ENGINE_SELECTOR.sqlite) }]);

    const scale = scaleStep({ id: 'x', name: 'x', budgetMs: 1_000 }, 'pg', 0);
    expect(await scale.run(ctx, signal)).toBe('deployment/pg scaled to 0');
    expect((await platform.getDeploymentStatus(NS, 'pg')).replicas).toBe(0);
  }, 60_000);
});

describe('runbook manifests (the heredocs in runbook/*.yaml)', () => {
  it('expand the script variables and take the drill image and namespace, as kubectl apply -n would', () => {
    const e = emergencyDeployment('app:drill', 'ns1');
    expect(e.metadata).toMatchObject({ name: RUNBOOK.emergencyDeployment, namespace: 'ns1' });
    expect(e.spec?.template.spec?.containers.map((c) => c.image)).toEqual(['app:drill']);
    // As written: the unquoted boolean label and the wrong claim name stay for the drill to find.
    expect(e.metadata?.labels?.['emergency']).toBe(true);
    expect(e.spec?.template.spec?.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe(RUNBOOK.claim);
    expect(plannedDeployment('app:drill').metadata).toMatchObject({ name: RUNBOOK.plannedDeployment, namespace: RUNBOOK.namespace });
    const pod = recoveryPod('ns2');
    expect(pod.metadata?.namespace).toBe('ns2');
    expect(pod.spec?.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe(RUNBOOK.postgresClaim);
  });
});
