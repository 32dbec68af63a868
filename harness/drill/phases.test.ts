// A scenario's own phase (ScenarioSpec.ownPhases) is placed right after the built-in phase it names,
// its result reaches the outcome's phaseResults, and a wrong anchor or a clashing id is one line.
import { describe, expect, it } from 'vitest';
import type { ScenarioPhase, ScenarioSpec } from '../model/scenario.ts';
import { PHASES, withOwnPhases } from './phases.ts';
import type { DrillState } from './state.ts';

const spec = (ownPhases: ScenarioPhase[]) => ({ name: 'row', ownPhases }) as unknown as ScenarioSpec;
const own = (id: string, after: string, result: unknown = id): ScenarioPhase => ({ id, after, run: async () => result });

describe('withOwnPhases', () => {
  it('puts each own phase right after its anchor, keeps the built-in order, and records its result', async () => {
    const phases = withOwnPhases(PHASES, spec([own('my-measure', 'read-back', { ready: 0 }), own('early', 'setup')]));
    const ids = phases.map((p) => p.id);
    expect(ids.filter((id) => id !== 'my-measure' && id !== 'early')).toEqual(PHASES.map((p) => p.id));
    expect(ids[ids.indexOf('read-back') + 1]).toBe('my-measure');
    expect(ids[ids.indexOf('setup') + 1]).toBe('early');
    const s = { phaseResults: {}, defer: () => undefined } as unknown as DrillState;
    await phases.find((p) => p.id === 'my-measure')!.run(s);
    expect(s.phaseResults).toEqual({ 'my-measure': { ready: 0 } });
  });

  it('a row without own phases runs the built-in list unchanged', () => {
    expect(withOwnPhases(PHASES, spec([])).map((p) => p.id)).toEqual(PHASES.map((p) => p.id));
  });

  it('an anchor that is no phase, or an id that is taken, is the scenario file\'s one-line error', () => {
    expect(() => withOwnPhases(PHASES, spec([own('x', 'after-everything')]))).toThrow(/^scenario row: phase "x" runs after "after-everything", which is not a phase \(setup, /);
    expect(() => withOwnPhases(PHASES, spec([own('read-back', 'setup')]))).toThrow('scenario row: phase "read-back" is defined twice');
  });
});
