// What the faults break comes from the target profile: the table functionality-broken drops (it must
// be one the mapping copies, or the profile is refused), and the feature sampled for the app's
// reaction, with their defaults for a profile that names neither.
import { describe, expect, it } from 'vitest';
import { loadTarget } from '../targets/load.ts';
import { type TargetProfileInput } from '../model/target-profile.ts';
import { defineTarget } from '../targets/define.ts';
import { TargetProfileError } from '../kit/errors.ts';
import { reactionPath } from './app-reaction.ts';
import { droppedTable } from './functionality-broken.ts';

const reference = await loadTarget('reference');
const settings = await loadTarget('settings-app');

/** The settings profile as input, with its faults section replaced. */
function settingsWith(faults: TargetProfileInput['faults']): TargetProfileInput {
  const { faults: _, ...rest } = settings;
  return { ...rest, ...(faults ? { faults } : {}) } as TargetProfileInput;
}

describe('faults from the profile', () => {
  it('each shipped profile names its table and its reaction path', () => {
    expect([droppedTable(reference), reactionPath(reference)]).toEqual(['tool_configs', '/api/tools/github']);
    expect([droppedTable(settings), reactionPath(settings)]).toEqual(['app_settings', '/v1/settings']);
  });

  it('a profile that names neither: the first mapped PostgreSQL table, the first feature off the health path', () => {
    const t = defineTarget(settingsWith(undefined));
    expect(t.faults).toEqual({});
    expect(droppedTable(t)).toBe('app_settings');
    expect(reactionPath(t)).toBe('/v1/keys');
  });

  it('a dropped table the mapping does not copy is refused, naming the mapped ones', () => {
    expect(() => defineTarget(settingsWith({ functionalityBroken: { table: 'kv' } }))).toThrow(TargetProfileError);
    expect(() => defineTarget(settingsWith({ functionalityBroken: { table: 'kv' } }))).toThrow(
      /faults\.functionalityBroken\.table: "kv" is not a PostgreSQL table of the mapping \(app_settings\)/,
    );
    expect(() => defineTarget(settingsWith({ reactionPath: 'v1/settings' }))).toThrow(/faults\.reactionPath: an absolute request path/);
  });
});
