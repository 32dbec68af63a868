// Bench `local-platform`: how fast the local platform stands the baseline up, and how fast a
// Service selector switch takes effect.
//   npx tsx bench/local-platform.ts [--runs 3] [--switches 20] [--json]
// 1. baseline: apply cluster/manifests (PostgreSQL + the app on it, 3 replicas) → 3/3 ready,
//    wall clock, per run (fresh run dir, fresh PostgreSQL each time). Target < 10 s.
// 2. switch: two ready deployments behind the app Service, requests back to back; the time from
//    the selector patch to the first response served by the other deployment. Target < 100 ms.
// Uses the reference app when app/src/main.ts exists, else the fixture app (switch only).
import { withPassword } from '../harness/drill/baseline.ts';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { REPO_ROOT } from '../harness/kit/repo.ts';
import { loadBaselineManifests } from '../harness/kit/manifests.ts';
import { TOPOLOGY } from '../harness/kit/topology.ts';
import { fixtureDeployment, fixtureImages, fixtureService, FIXTURE_NS, namespace } from '../harness/platform/local/fixtures/objects.ts';
import { createLocalPlatform, type LocalPlatform } from '../harness/platform/local/platform.ts';
import { ENDPOINT_HEADER } from '../harness/platform/local/service-proxy.ts';
import { targetImages } from '../harness/platform/local/target-images.ts';
import { loadTarget } from '../harness/targets/load.ts';
import { sqliteDeployment } from '../harness/procedures/actions.ts';

export interface LocalPlatformBench {
  app: 'reference' | 'fixture';
  baselineReadyMs: number[];
  baselineTargetMs: number;
  switchMs: number[];
  switchTargetMs: number;
  /** Responses to requests started after a patch that still came from the old deployment. */
  staleAfterSwitch: number;
  failedRequests: number;
}

const APP_MAIN = path.join(REPO_ROOT, 'app', 'src', 'main.ts');


async function baselineReady(p: LocalPlatform): Promise<number> {
  const t0 = performance.now();
  await p.apply(withPassword(await loadBaselineManifests(), randomBytes(16).toString('hex')));
  await Promise.all([
    p.waitForReady(TOPOLOGY.namespace, TOPOLOGY.postgresDeployment, 1, { timeoutMs: 120_000 }),
    p.waitForReady(TOPOLOGY.namespace, TOPOLOGY.appDeployment, 3, { timeoutMs: 120_000 }),
  ]);
  return performance.now() - t0;
}

/** Patch the selector back and forth between two ready deployments under back-to-back requests. */
async function measureSwitches(
  p: LocalPlatform,
  ns: string,
  service: string,
  sides: { deployment: string; selector: Record<string, string> }[],
  switches: number,
): Promise<Pick<LocalPlatformBench, 'switchMs' | 'staleAfterSwitch' | 'failedRequests'>> {
  const url = `${await p.serviceUrl(ns, service)}/api/health`;
  const agent = new Agent({ connections: 4 });
  let target = sides[0]!;
  let patchedAt = Number.POSITIVE_INFINITY;
  let firstHit: ((t: number) => void) | undefined;
  let stale = 0;
  let failed = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        const res = await request(url, { dispatcher: agent, headersTimeout: 5000, bodyTimeout: 5000 });
        await res.body.dump();
        const pod = String(res.headers[ENDPOINT_HEADER] ?? '');
        if (res.statusCode !== 200) failed++;
        if (started >= patchedAt) {
          if (pod.startsWith(`${target.deployment}-`)) firstHit?.(performance.now());
          else stale++;
        }
      } catch {
        failed++;
      }
    }
  };
  const workers = Array.from({ length: 2 }, worker);
  const switchMs: number[] = [];
  try {
    for (let i = 0; i < switches; i++) {
      target = sides[(i + 1) % sides.length]!;
      const hit = new Promise<number>((resolve) => (firstHit = resolve));
      const t0 = performance.now();
      patchedAt = t0;
      await p.patchServiceSelector(ns, service, target.selector);
      const t1 = await hit;
      firstHit = undefined;
      patchedAt = Number.POSITIVE_INFINITY;
      switchMs.push(t1 - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    stop = true;
    await Promise.all(workers);
    await agent.close();
  }
  return { switchMs, staleAfterSwitch: stale, failedRequests: failed };
}

export async function benchLocalPlatform(opts: { runs: number; switches: number; progress?: (line: string) => void }): Promise<LocalPlatformBench> {
  const say = opts.progress ?? (() => undefined);
  const app = existsSync(APP_MAIN) ? 'reference' : 'fixture';
  const result: LocalPlatformBench = {
    app,
    baselineReadyMs: [],
    baselineTargetMs: 10_000,
    switchMs: [],
    switchTargetMs: 100,
    staleAfterSwitch: 0,
    failedRequests: 0,
  };
  if (app === 'reference') {
    for (let i = 1; i <= opts.runs; i++) {
      await using p = await createLocalPlatform({ handleSignals: true, images: targetImages(await loadTarget('reference')) });
      const ms = await baselineReady(p);
      result.baselineReadyMs.push(ms);
      say(`baseline run ${i}/${opts.runs}: apply → 3/3 ready in ${(ms / 1000).toFixed(2)} s`);
      if (i === 1) {
        const labels = { app: 'hyperpage', component: 'app', engine: 'sqlite' };
        await p.apply(
          sqliteDeployment({ name: 'hyperpage-sqlite', image: TOPOLOGY.appImage, target: await loadTarget('reference'), replicas: 2, labels, readiness: { initialDelaySeconds: 1, periodSeconds: 1 } }),
        );
        await p.waitForReady(TOPOLOGY.namespace, 'hyperpage-sqlite', 2, { timeoutMs: 60_000 });
        Object.assign(
          result,
          await measureSwitches(
            p,
            TOPOLOGY.namespace,
            TOPOLOGY.appService,
            [
              { deployment: TOPOLOGY.appDeployment, selector: { engine: 'postgres' } },
              { deployment: 'hyperpage-sqlite', selector: { engine: 'sqlite' } },
            ],
            opts.switches,
          ),
        );
      }
    }
  } else {
    say('app/src/main.ts not found: baseline skipped, switch measured with the fixture app');
    await using p = await createLocalPlatform({ images: fixtureImages() });
    await p.apply([
      namespace(),
      fixtureDeployment({ name: 'blue', labels: { app: 'web', color: 'blue' }, replicas: 2 }),
      fixtureDeployment({ name: 'green', labels: { app: 'web', color: 'green' }, replicas: 2 }),
      fixtureService('web', { app: 'web', color: 'blue' }),
    ]);
    await p.waitForReady(FIXTURE_NS, 'blue', 2, { timeoutMs: 60_000 });
    await p.waitForReady(FIXTURE_NS, 'green', 2, { timeoutMs: 60_000 });
    Object.assign(
      result,
      await measureSwitches(
        p,
        FIXTURE_NS,
        'web',
        [
          { deployment: 'blue', selector: { color: 'blue' } },
          { deployment: 'green', selector: { color: 'green' } },
        ],
        opts.switches,
      ),
    );
  }
  return result;
}

function pct(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
}

export function formatBench(r: LocalPlatformBench): string[] {
  const lines: string[] = [];
  if (r.baselineReadyMs.length) {
    const worst = Math.max(...r.baselineReadyMs);
    lines.push(
      `baseline apply → 3/3 ready: median ${(pct(r.baselineReadyMs, 0.5) / 1000).toFixed(2)} s, worst ${(worst / 1000).toFixed(2)} s over ${r.baselineReadyMs.length} runs ` +
        `(target < ${r.baselineTargetMs / 1000} s: ${worst < r.baselineTargetMs ? 'met' : 'MISSED'})`,
    );
  } else lines.push('baseline apply → 3/3 ready: not measured (no reference app in this checkout)');
  const worstSwitch = Math.max(...r.switchMs);
  lines.push(
    `selector switch → first response from the new deployment: median ${pct(r.switchMs, 0.5).toFixed(1)} ms, p90 ${pct(r.switchMs, 0.9).toFixed(1)} ms, worst ${worstSwitch.toFixed(1)} ms over ${r.switchMs.length} switches (${r.app} app) ` +
      `(target < ${r.switchTargetMs} ms: ${worstSwitch < r.switchTargetMs ? 'met' : 'MISSED'}); stale responses after a switch: ${r.staleAfterSwitch}, failed requests: ${r.failedRequests}`,
  );
  return lines;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, switches: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } } }));
  } catch (err) {
    process.stderr.write(`bench local-platform: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const runs = Number(values.runs);
  const switches = Number(values.switches);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(switches) || switches < 1) {
    process.stderr.write('bench local-platform: --runs and --switches must be whole numbers >= 1\n');
    process.exit(2);
  }
  // Other work on the machine shows in these numbers (readiness is quantised by the manifests'
  // probe periods: a pod that misses its first probe at 5 s is ready at 10 s), so say how busy it was.
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.log(`  machine: ${os.cpus().length} cpus, load average ${load()} at start`);
  const r = await benchLocalPlatform({ runs, switches, progress: (l) => console.log(`  ${l}`) });
  console.log(`  load average ${load()} at end`);
  for (const line of formatBench(r)) console.log(line);
  if (values.json) console.log(JSON.stringify(r));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
