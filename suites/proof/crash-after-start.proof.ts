// A broken build whose restored pods crash (exit 1, a fatal line in their log) 4 s after they start
// serving, and crash-loop: the rollback completes and restores the service, then stability fails on
// the restarts, naming the exit code and the last lines the container logged. Its verdict rests on
// the platform's pod status, not on latency, so it runs beside the unit tests
// (suites/beside-unit/proofs.drill.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { drillEnv } from '../drill-env.ts';
import { drillMutant, say, type Drilled } from './mutant-drill.ts';

const env = drillEnv();

describe.skipIf(env.fromCli)('mutation: the restored pods crash some seconds after they start serving', () => {
  let d: Drilled;
  beforeAll(async () => {
    d = await drillMutant('database-corruption', ['crash-after-start']);
  });

  it('stability fails on the restarts, with the exit code and the last lines the crashed container logged', () => {
    const v = d.verdicts.get('stability')!;
    expect(v.passed, say(v)).toBe(false);
    const r = d.outcome.stability.report!;
    expect(r.restarts, say(v)).toBeGreaterThanOrEqual(1);
    const restart = r.pods.flatMap((p) => p.restarts)[0]!;
    expect(restart.exitCode, say(v)).toBe(1);
    expect(restart.lastLines.join('\n'), say(v)).toContain('FATAL mutant: out of file descriptors');
    expect(v.evidence).toMatch(/restarted .* after the switch: exit 1.*last lines: .*EMFILE/);
    expect(d.reportMd).toMatch(/stability/);
    expect(d.reportMd).toMatch(/\d+ restart\(s\)/);
  });

  it('the rollback itself completed and restored the service on SQLite: the crash came after', () => {
    expect(d.outcome.procedure.completed).toBe(true);
    expect(d.verdicts.get('emergency-rollback')!.passed, say(d.verdicts.get('emergency-rollback')!)).toBe(true);
  });

  it('the drill exits 1', () => expect(d.exitCode).toBe(1));
});

