// openDrillPlatform on the local platform: the target's images (with their tools) and the data
// tool's image run, the config's `images` entry wins over the target's. Real processes (Jobs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDrillConfig } from '../config/parse.ts';
import { DATA_TOOL_IMAGE } from '../kit/topology.ts';
import type { Platform } from '../model/platform.ts';
import { loadTarget } from '../targets/load.ts';
import { openDrillPlatform } from './open-platform.ts';

const NS = 'open-platform-test';
const runDir = mkdtempSync(path.join(tmpdir(), 'open-platform-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

const target = await loadTarget('reference');

async function job(p: Platform, name: string, image: string, command: string[]) {
  return p.runJob(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: NS },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image, command }] } } },
    },
    { timeoutMs: 30_000 },
  );
}

describe('openDrillPlatform (local)', () => {
  it("runs the target's app image with its tools, the data tool's image, and the config's entry over the target's", async () => {
    {
      await using drill = await openDrillPlatform({ config: parseDrillConfig({ cluster: 'local' }), target, runDir, progress: () => undefined });
      expect(drill.image).toBe(target.app.image);
      expect(drill.dataToolImage).toBe(DATA_TOOL_IMAGE);
      await drill.platform.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      // The reference image has sqlite3 and its CLI, not psql (that is the postgres image's).
      expect(await job(drill.platform, 'sqlite', drill.image, ['sqlite3', '-version'])).toMatchObject({ succeeded: true, exitCode: 0 });
      expect(await job(drill.platform, 'psql', drill.image, ['psql', '--version'])).toMatchObject({ succeeded: false, exitCode: 127 });
      // The data tool: drill-data with no command is a usage error (exit 2), so it ran.
      const usage = await job(drill.platform, 'dt', drill.dataToolImage, ['drill-data']);
      expect(usage.exitCode).toBe(2);
      expect(usage.logs).toContain('usage: drill-data');
      expect(await job(drill.platform, 'dt-sqlite', drill.dataToolImage, ['sqlite3', '-version'])).toMatchObject({ exitCode: 127 });
    }
    {
      const config = parseDrillConfig({ cluster: 'local', images: { 'hyperpage:*': { command: ['sh', '-c', 'sleep 60'], tools: ['sh'] } } });
      await using drill = await openDrillPlatform({ config, target, runDir, progress: () => undefined });
      await drill.platform.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      expect(await job(drill.platform, 'sqlite', drill.image, ['sqlite3', '-version'])).toMatchObject({ succeeded: false, exitCode: 127 });
      expect(await job(drill.platform, 'sh', drill.image, ['sh', '-c', 'echo from-config'])).toMatchObject({ succeeded: true, logs: 'from-config\n' });
    }
  }, 90_000);
});
