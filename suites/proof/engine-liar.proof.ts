// A broken build whose "SQLite" pods keep writing to PostgreSQL while every answer says sqlite:
// engine in use fails on where the writes landed, a finding says the header lies; the app's own
// read-back sees nothing wrong, the SQLite file does. Its verdicts rest on where rows are, not on a
// latency: it runs beside the unit tests (suites/beside-unit/proofs.drill.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAfter } from '../../harness/kit/step-ids.ts';
import { thawWrites } from '../../harness/kit/write-freeze.ts';
import { hardenedPlanned } from '../../harness/procedures/planned.ts';
import { drillEnv } from '../drill-env.ts';
import { drillMutant, findings, say, type Drilled } from './mutant-drill.ts';

const env = drillEnv();

describe.skipIf(env.fromCli)('mutation: the "SQLite" pods keep writing to PostgreSQL while every answer says sqlite', () => {
  let d: Drilled;
  beforeAll(async () => {
    // maintenance-window: PostgreSQL keeps running. Its write freeze would refuse the lie's writes,
    // so the freeze is lifted once the switch is verified (as an operator might): the lie can go on.
    const thawed = insertAfter(hardenedPlanned(), 'verify-engine', {
      id: 'lift-write-freeze',
      name: 'Lift the write freeze on PostgreSQL after the switch',
      budgetMs: 15_000,
      run: async (ctx, signal) => void (await thawWrites({ platform: ctx.platform, signal })),
    });
    d = await drillMutant('maintenance-window', ['engine-liar'], thawed);
  });

  it('engine in use fails on where the writes landed, although every header said sqlite', () => {
    const v = d.verdicts.get('engine-in-use')!;
    expect(v.passed, say(v)).toBe(false);
    expect(v.measured, say(v)).toBe('postgres');
    expect(d.outcome.enginesAfter).toEqual(['sqlite']);
    expect(d.outcome.landed.inPostgres, say(v)).toBe(d.outcome.landed.acknowledged);
    expect(v.evidence).toContain('DISAGREES');
  });

  it('a confirmed finding says the engine header cannot be trusted', () => {
    const f = findings(d.events).find((x) => x.id === 'app-engine-header-disagrees');
    expect(f?.confirmed, JSON.stringify(findings(d.events).map((x) => x.id))).toBe(true);
  });

  it('data integrity fails from the SQLite file, while the app reading back its own writes sees none lost', () => {
    const v = d.verdicts.get('data-integrity')!;
    expect(v.passed, say(v)).toBe(false);
    expect(d.outcome.ledger.lost, say(v)).toBeGreaterThan(0);
    expect(d.outcome.apiLedger?.lost, say(v)).toBe(0);
  });

  it('the drill exits 1', () => expect(d.exitCode).toBe(1));
});

