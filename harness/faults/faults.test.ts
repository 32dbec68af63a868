// Every fault must prove it took effect. On a real baseline (local platform, the app on
// PostgreSQL) each fault whose inject is made a no-op must fail as "fault not effective": its
// verify() measures the symptom, it does not trust the injection.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployBaseline } from '../drill/baseline.ts';
import { Journal } from '../journal/journal.ts';
import { createLocalPlatform, type LocalPlatform } from '../platform/local/index.ts';
import { TOPOLOGY } from '../platform/manifests.ts';
import { FAULTS } from './index.ts';
import { FaultNotEffectiveError, injectAndVerify, type Fault, type FaultContext } from './types.ts';

const faults = Object.values(FAULTS).filter((f): f is Fault => f !== null);

describe('faults made no-ops are caught as not effective (real baseline)', () => {
  let platform: LocalPlatform;
  let ctx: FaultContext;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faults-'));
    const journal = new Journal(path.join(dir, 'journal.jsonl'));
    platform = await createLocalPlatform({ handleSignals: false });
    await deployBaseline({ platform, journal, image: TOPOLOGY.appImage, datasetSize: 100, progress: () => undefined });
    const serviceUrl = await platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
    ctx = { platform, journal, serviceUrl, image: TOPOLOGY.appImage, progress: () => undefined, verifyTimeoutMs: 3_000 };
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
});
