import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendHistory, compareWithHistory, median, readHistory, type HistoryEntry } from './history.ts';
import { cleanTmp, tmpDir } from './test-tmp.ts';

afterEach(cleanTmp);

const KEY = 'database-corruption/hardened';
let n = 0;
function entry(m: { ttr?: number | null; down?: number | null; p99?: number | null }, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  n++;
  return {
    schemaVersion: 1,
    id: `run-${n}`,
    time: new Date(Date.UTC(2026, 0, n)).toISOString(),
    profile: 'monthly',
    platform: 'local',
    status: 'passed',
    resilienceScore: null,
    groups: { [KEY]: { timeToRestoreMs: m.ttr ?? null, downtimeMs: m.down ?? null, p99AfterMs: m.p99 ?? null, lostWrites: 0, score: null } },
    ...extra,
  };
}
const past = () => [
  entry({ ttr: 4_000, down: 900, p99: 20 }),
  entry({ ttr: 5_000, down: 1_000, p99: 22 }),
  entry({ ttr: 6_000, down: 1_100, p99: 25 }),
];

describe('compareWithHistory', () => {
  it('flags each metric that exceeds the median of the last runs by more than the ratio', () => {
    const r = compareWithHistory(entry({ ttr: 7_600, down: 1_400, p99: 40 }), past(), { ratio: 1.5, lastN: 5 });
    expect(r).toEqual([
      { group: KEY, metric: 'timeToRestoreMs', current: 7_600, median: 5_000, ratio: 1.52, runs: 3 },
      { group: KEY, metric: 'p99AfterMs', current: 40, median: 22, ratio: 40 / 22, runs: 3 },
    ]);
  });

  it('does not flag values at or below median × ratio', () => {
    expect(compareWithHistory(entry({ ttr: 7_500, down: 1_500, p99: 33 }), past())).toEqual([]);
  });

  it('compares only with the same profile, the last N runs, and not with aborted or errored runs', () => {
    const history = [
      entry({ ttr: 100_000 }), // old, outside lastN = 2
      entry({ ttr: 1_000 }, { profile: 'quarterly' }),
      entry({ ttr: 1_000 }, { status: 'aborted' }),
      entry({ ttr: 1_000 }, { status: 'error' }),
      entry({ ttr: 10_000 }),
      entry({ ttr: 12_000 }),
    ];
    expect(compareWithHistory(entry({ ttr: 16_000 }), history, { lastN: 2 })).toEqual([]);
    expect(compareWithHistory(entry({ ttr: 17_000 }), history, { lastN: 2 })).toEqual([
      expect.objectContaining({ metric: 'timeToRestoreMs', median: 11_000, runs: 2 }),
    ]);
    // with lastN = 3 the old slow run is in the baseline and lifts the median
    expect(compareWithHistory(entry({ ttr: 17_000 }), history, { lastN: 3 })).toEqual([]);
  });

  it('ignores noise below the absolute floor, also against a zero median', () => {
    const zero = [entry({ down: 0 }), entry({ down: 0 })];
    expect(compareWithHistory(entry({ down: 60 }), zero)).toEqual([]);
    expect(compareWithHistory(entry({ down: 400 }), zero)).toEqual([expect.objectContaining({ metric: 'downtimeMs', ratio: Infinity })]);
    expect(compareWithHistory(entry({ down: 60 }), zero, { minIncreaseMs: 10 })).toHaveLength(1);
  });

  it('has nothing to say without earlier runs of the same scenario×variant or without a measurement', () => {
    expect(compareWithHistory(entry({ ttr: 1e9 }), [])).toEqual([]);
    const other = entry({ ttr: 1 });
    other.groups = { 'security-incident/hardened': other.groups[KEY]! };
    expect(compareWithHistory(entry({ ttr: 1e9 }), [other])).toEqual([]);
    expect(compareWithHistory(entry({ ttr: null }), past())).toEqual([]);
  });
});

describe('history file', () => {
  it('appends one JSON line per run and reads them back, skipping torn or foreign lines', () => {
    const file = path.join(tmpDir(), 'reports', 'history.jsonl');
    const [a, b] = past();
    appendHistory(file, a!);
    writeFileSync(file, readFileSync(file, 'utf8') + '{"torn":\n[1,2]\n');
    appendHistory(file, b!);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(readHistory(file).map((h) => h.id)).toEqual([a!.id, b!.id]);
    expect(readHistory(path.join(tmpDir(), 'none.jsonl'))).toEqual([]);
  });

  it('validates each line: a metric of the wrong type skips the line, a metric an older line lacks reads as not measured', () => {
    const file = path.join(tmpDir(), 'history.jsonl');
    const [a, b] = past();
    const wrong = { ...a!, id: 'wrong', groups: { [KEY]: { ...a!.groups[KEY]!, p99AfterMs: '22 ms' } } };
    const { lostWrites: _dropped, score: _score, ...older } = b!.groups[KEY]!;
    writeFileSync(file, [JSON.stringify(wrong), JSON.stringify({ ...b!, groups: { [KEY]: older } })].join('\n') + '\n');
    const read = readHistory(file);
    expect(read.map((h) => h.id)).toEqual([b!.id]);
    expect(read[0]!.groups[KEY]).toEqual({ ...older, lostWrites: null, score: null });
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
