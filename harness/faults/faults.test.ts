// Every fault must prove it took effect. On a real baseline (local platform, the app on
// PostgreSQL) each fault whose inject is made a no-op must fail as "fault not effective": its
// verify() measures the component it breaks, it does not trust the injection. Then faults really
// injected are proven on PostgreSQL, and a health check that does fail yields no health-blind finding.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployBaseline } from '../drill/baseline.ts';
import { Journal } from '../journal/journal.ts';
import { createLocalPlatform, targetImages, type LocalPlatform } from '../platform/local/index.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { readJournal } from '../journal/journal.ts';
import { databaseCorruption } from './database-corruption.ts';
import { functionalityBroken } from './functionality-broken.ts';
import { loadScenarios } from '../scenarios/registry.ts';
import { POSTGRES_PODS, scaleToZero } from '../kit/pods.ts';
import { FaultNotEffectiveError, injectAndVerify } from './types.ts';
import { type Fault, type FaultContext } from '../model/fault.ts';
import { loadTarget } from '../targets/load.ts';

// Every fault a scenario of the decision matrix injects.
const registry = await loadScenarios();
const faults = registry.builtin.map((n) => registry.get(n).fault).filter((f): f is Fault => f !== null);

describe('faults made no-ops are caught as not effective (real baseline)', () => {
  let platform: LocalPlatform;
  let ctx: FaultContext;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faults-'));
    const journal = new Journal(path.join(dir, 'journal.jsonl'));
    platform = await createLocalPlatform({ handleSignals: false, images: targetImages(await loadTarget('reference')) });
    const target = await loadTarget('reference');
    await deployBaseline({ platform, journal, target, image: TOPOLOGY.appImage, datasetSize: 100, progress: () => undefined });
    const serviceUrl = await platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
    ctx = { platform, journal, serviceUrl, image: TOPOLOGY.appImage, target, progress: () => undefined, verifyTimeoutMs: 3_000 };
  }, 120_000);

  afterAll(async () => {
    await platform?.[Symbol.asyncDispose]();
  });

  it('covers every fault of the decision matrix', () => {
    expect(faults.map((f) => f.name).sort()).toEqual(['database-corruption', 'functionality-broken', 'performance-issues', 'security-incident']);
  });

  for (const fault of faults) {
    it(`${fault.name}: with a no-op inject, the drill stops with "fault not effective" and the measured evidence`, { timeout: 60_000 }, async () => {
      const noop: Fault = { ...fault, inject: async () => 'no-op (mutation: the fault does nothing)' };
      const err = await injectAndVerify(noop, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FaultNotEffectiveError);
      expect((err as Error).message).toMatch(new RegExp(`^fault not effective: ${fault.name}: `));
      // The evidence is a measurement, with numbers.
      expect((err as Error).message).toMatch(/\d/);
    });
  }

  it('database-corruption whose inject only restarts PostgreSQL is caught: a restart is not a server that cannot start', { timeout: 90_000 }, async () => {
    const restartOnly: Fault = {
      ...databaseCorruption,
      inject: async (c) => {
        await scaleToZero(c.platform, TOPOLOGY.postgresDeployment, POSTGRES_PODS, 30_000);
        await c.platform.scale(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, 1);
        return 'restart only (mutation: the data directory is left intact)';
      },
    };
    const err = await injectAndVerify(restartOnly, { ...ctx, verifyTimeoutMs: 8_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FaultNotEffectiveError);
    expect((err as Error).message).toMatch(/PostgreSQL did not fail to start: .*no container exited with an error/);
    await platform.waitForReady(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, 1, { timeoutMs: 60_000 });
  });

  // These two really break the baseline, so they come last (vitest runs a file's tests in order).
  it('functionality-broken really injected: proven on the catalog; the app reaction shows the feature failing, health untouched', { timeout: 60_000 }, async () => {
    const effect = await injectAndVerify(functionalityBroken, ctx);
    expect(effect.evidence).toMatch(/^pg_catalog: no table tool_configs in database hyperpage; \d+ others remain/);
    expect(effect.appReaction).toMatch(/GET \/api\/health (.*, )?\d+× HTTP 200 healthy.*; GET \/api\/tools\/github (.*, )?\d+× HTTP 5\d\d/);
  });

  it('database-corruption really injected: proven on PostgreSQL; a health check that queries the database fails, so no health-blind finding', { timeout: 90_000 }, async () => {
    const effect = await injectAndVerify(databaseCorruption, { ...ctx, verifyTimeoutMs: 45_000 });
    expect(effect.evidence).toMatch(/^PostgreSQL cannot start: container postgres of pod hyperpage-postgres-\S+ exited [1-9]\d*.*; down for 3 consecutive checks within [\d.]+ s \(deployment\/hyperpage-postgres 0\/1 ready, pg_isready/);
    expect(effect.evidence).toMatch(/login refused \(exit [1-9]/);
    expect(effect.appReaction).toMatch(/GET \/api\/health \d+× (HTTP 503|no answer)/);
    expect(effect.appReaction).not.toMatch(/200 healthy/);
    const events = readJournal(ctx.journal.file);
    expect(events.filter((e) => e.type === 'finding' && e.id === 'app-health-blind')).toEqual([]);
    expect(events.some((e) => e.type === 'probe.summary' && e.probe === 'fault-reaction' && e.summary['fault'] === 'database-corruption')).toBe(true);
  });
});
