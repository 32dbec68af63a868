// Mutation proof: an app whose /api/health never touches the database (the real Hyperpage's
// defect) cannot hide a fault. Each fault is still proven on the component it breaks, the app's
// "200 healthy" is recorded as the confirmed finding app-health-blind, and nothing throws.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployBaseline } from '../drill/baseline.ts';
import { Journal, readJournal } from '../journal/journal.ts';
import { createLocalPlatform, type LocalPlatform } from '../platform/local/index.ts';
import { tsxNodeCommand } from '../platform/local/config.ts';
import { REPO_ROOT } from '../kit/repo.ts';
import { TOPOLOGY } from '../kit/topology.ts';
import { databaseCorruption } from './database-corruption.ts';
import { performanceIssues } from './performance-issues.ts';
import { securityIncident } from './security-incident.ts';
import { injectAndVerify } from './types.ts';
import { type FaultContext } from '../model/fault.ts';
import { DATA_TOOL_IMAGE } from '../kit/data-tool.ts';
import { loadTarget } from '../targets/load.ts';

const BLIND_IMAGE = 'hyperpage-blind-health:mutant';

describe('an app whose health check is blind to the database (real baseline)', () => {
  let platform: LocalPlatform;
  let ctx: FaultContext;
  const blindFindings = (fault: string) =>
    readJournal(ctx.journal.file).filter((e) => e.type === 'finding' && e.id === 'app-health-blind' && e.detail.startsWith(`${fault} in effect`));

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faults-blind-'));
    const journal = new Journal(path.join(dir, 'journal.jsonl'));
    platform = await createLocalPlatform({
      handleSignals: false,
      images: {
        [BLIND_IMAGE]: {
          command: [...tsxNodeCommand(), path.join(REPO_ROOT, 'app', 'test-support', 'mutant-main.ts'), '--mutants=health-blind'],
          bins: { 'hyperpage-cli': path.join(REPO_ROOT, 'app', 'bin', 'hyperpage-cli') },
          portEnv: 'PORT',
          hostEnv: 'HOST',
          defaultPort: 3000,
          cwd: REPO_ROOT,
        },
      },
    });
    const target = await loadTarget('reference');
    await deployBaseline({ platform, journal, target, image: BLIND_IMAGE, datasetSize: 50, progress: () => undefined });
    const serviceUrl = await platform.serviceUrl(TOPOLOGY.namespace, TOPOLOGY.appService);
    ctx = { platform, journal, serviceUrl, image: BLIND_IMAGE, target, progress: () => undefined, reactionWindowMs: 2_000 };
  }, 120_000);

  afterAll(async () => {
    await platform?.[Symbol.asyncDispose]();
  });

  // In this order: each fault leaves PostgreSQL more broken than the one before.
  it('performance-issues: the added latency is measured at the proxy, not through the app', { timeout: 90_000 }, async () => {
    const effect = await injectAndVerify(performanceIssues, ctx);
    // The proxy is the drill's own (drill-data proxy in the data tool's image), not the app's CLI.
    const proxy = (await ctx.platform.listPods(TOPOLOGY.namespace, { app: 'hyperpage', component: 'pg-latency' }))[0]?.spec?.containers[0];
    expect(proxy?.image).toBe(DATA_TOOL_IMAGE);
    expect(proxy?.command?.slice(0, 2)).toEqual(['drill-data', 'proxy']);
    const added = Number(/: \+(\d+) ms added at the proxy/.exec(effect.evidence)?.[1]);
    // One round trip through the proxy pays the injected latency both ways.
    expect(added).toBeGreaterThanOrEqual(2 * 300 * 0.9);
    expect(effect.evidence).toMatch(/SELECT 1 via hyperpage-postgres:5432 median \d+ ms of 3 \(the app's path\) vs SELECT 1 via hyperpage-postgres-direct:5432 median \d+ ms of 3/);
    expect(blindFindings('performance-issues')).toEqual([]);
    await performanceIssues.clear(ctx);
  });

  it('security-incident: the app role is refused by PostgreSQL; health still 200 is the confirmed finding', { timeout: 60_000 }, async () => {
    const effect = await injectAndVerify(securityIncident, ctx);
    expect(effect.evidence).toMatch(/login refused \(exit [1-9]\d*, Job [\d.]+ s\): .*(password|authentication)/i);
    expect(effect.appReaction).toMatch(/GET \/api\/health \d+× HTTP 200 healthy/);
    expect(blindFindings('security-incident')).toHaveLength(1);
  });

  it('database-corruption: proven on PostgreSQL although health answers 200; finding recorded, no throw', { timeout: 90_000 }, async () => {
    const effect = await injectAndVerify(databaseCorruption, ctx);
    expect(effect.effective).toBe(true);
    expect(effect.evidence).toMatch(/^PostgreSQL cannot start: container postgres of pod hyperpage-postgres-\S+ exited [1-9]\d*.*; down for 3 consecutive checks within [\d.]+ s \(deployment\/hyperpage-postgres 0\/1 ready, pg_isready/);
    expect(effect.appReaction).toMatch(/GET \/api\/health (\d+)× HTTP 200 healthy/);
    const [finding] = blindFindings('database-corruption');
    expect(finding).toMatchObject({ confirmed: true, title: expect.stringMatching(/^Health check does not reflect the database/) });
    expect((finding as { detail: string }).detail).toMatch(/answered 200 healthy \d+ of \d+ times over the next [\d.]+ s/);
  });
});
