import { describe, expect, it } from 'vitest';
import { parseDrillConfig } from '../config/parse.ts';
import { DrillConfigEnvError, parseDrillConfigEnv } from './drill-config-env.ts';

// What run-suites.ts writes: JSON.stringify({ ...run, runDir }).
const written = () => ({
  config: parseDrillConfig({ cluster: 'local', datasetSize: 2000 }),
  plan: { scenarios: ['database-corruption'], variants: ['seed', 'hardened'] },
  platform: 'local',
  platformReason: 'docker not found',
  runDir: '/tmp/reports/run-1',
});

describe('DRILL_CONFIG', () => {
  it('reads back what the CLI writes', () => {
    const r = parseDrillConfigEnv(JSON.stringify(written()));
    expect(r.plan.variants).toEqual(['seed', 'hardened']);
    expect(r.config.datasetSize).toBe(2000);
    expect(r.platform).toBe('local');
  });

  it('a field that does not match is one error naming the variable and the field', () => {
    const bad = { ...written(), plan: { scenarios: ['database-corruption'], variants: ['improved'] } };
    expect(() => parseDrillConfigEnv(JSON.stringify(bad))).toThrow(DrillConfigEnvError);
    expect(() => parseDrillConfigEnv(JSON.stringify(bad))).toThrow(/^DRILL_CONFIG .* does not match: plan\.variants\.0: /);
    const badConfig = { ...written(), config: { ...written().config, datasetSize: 'ten' } };
    expect(() => parseDrillConfigEnv(JSON.stringify(badConfig))).toThrow(/does not match: config\.datasetSize: /);
    const { runDir: _gone, ...noRunDir } = written();
    expect(() => parseDrillConfigEnv(JSON.stringify(noRunDir))).toThrow(/does not match: runDir: /);
    expect(() => parseDrillConfigEnv('{"config":')).toThrow(/^DRILL_CONFIG .* is not JSON: /);
  });
});
