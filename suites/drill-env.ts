// What a drill suite runs with: the CLI's resolved plan (DRILL_CONFIG), or, under `npm test`, a
// small local drill in a temp folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDrillConfigEnv } from '../harness/cli/drill-config-env.ts';
import { type DrillConfig, type Variant } from '../harness/model/drill-config.ts';
import { parseDrillConfig } from '../harness/config/parse.ts';

export interface DrillEnv {
  config: DrillConfig;
  variants: Variant[];
  /** The CLI's planned scenarios; undefined under `npm test` (every built-in row). */
  scenarios?: string[];
  runDir: string;
  /** The platform the CLI chose (`--cluster auto` resolved); undefined under `npm test` (local). */
  platform?: 'local' | 'kind' | 'existing';
  fromCli: boolean;
  /** Under the CLI: its run id (the report folder's name), the prefix of every platform run label. */
  runIdPrefix?: string;
}

export function drillEnv(): DrillEnv {
  const raw = process.env.DRILL_CONFIG;
  if (raw) {
    const r = parseDrillConfigEnv(raw);
    return { config: r.config, variants: r.plan.variants, scenarios: r.plan.scenarios, runDir: r.runDir, platform: r.platform, fromCli: true, runIdPrefix: path.basename(r.runDir) };
  }
  // Small and quick: 1 s load phases (hundreds of requests), the 10-minute "alerts cleared" window
  // compressed to 5 s, and the ledger writing fast after the restore so each SQLite pod still takes
  // the 300 writes that make a 1 % loss rate visible. The stability soak is an explicit 3 s, inside
  // that window (the default, at least 30 s, would add half a minute to every drill of `npm test`).
  const config = parseDrillConfig({ cluster: 'local', datasetSize: 2000, postMigrationWrites: 50, loadDurationSec: 1, timeScale: 120, postRestoreWriteRate: 250, soakSec: 3 });
  return { config, variants: ['hardened'], runDir: mkdtempSync(path.join(tmpdir(), 'drill-')), fromCli: false };
}

export const progress = (line: string) => {
  if (process.env.DRILL_QUIET !== '1') process.stderr.write(`${line}\n`);
};
