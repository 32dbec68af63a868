// The planned rollback's write freeze is undone however the procedure ends: right after a procedure
// that failed halfway (before the drill goes on), and in the finally stage of a drill interrupted
// with writes frozen. Each time the database itself is asked (the freeze's triggers in the catalog,
// and a write as its owner), not the procedure's word for it.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHASES } from '../../harness/drill/phases.ts';
import { runScenario } from '../../harness/drill/run-scenario.ts';
import { readJournal } from '../../harness/journal/journal.ts';
import { insertAfter, replaceStep } from '../../harness/kit/step-ids.ts';
import { psql } from '../../harness/kit/psql.ts';
import { frozenTables } from '../../harness/kit/write-freeze.ts';
import type { Platform } from '../../harness/model/platform.ts';
import { hardenedPlanned } from '../../harness/procedures/planned.ts';
import { drillEnv, progress } from '../drill-env.ts';

const env = drillEnv();

/** What the database says: tables still frozen, and whether its owner can write. */
async function database(platform: Platform): Promise<{ frozen: number; write: string }> {
  const frozen = await frozenTables({ platform });
  // A write to an app table that changes nothing: the statement trigger of a freeze refuses it all the same.
  const write = await psql({ platform }, "BEGIN; UPDATE users SET email = email WHERE false; ROLLBACK; SELECT 'accepted';").then(
    (n) => n,
    (err: Error) => `refused: ${err.message}`,
  );
  return { frozen, write };
}

describe.skipIf(env.fromCli)('the write freeze is undone', () => {
  let halfway: { afterProcedure: Awaited<ReturnType<typeof database>>; undoneBeforeValidation: boolean; freezeStepOk: boolean; completed: boolean };
  let interrupted: { error: string; afterFinally?: Awaited<ReturnType<typeof database>>; frozenBefore: number };

  beforeAll(async () => {
    // 1. The copy fails after the freeze: the procedure stops there, the freeze is undone at once.
    const failing = replaceStep(hardenedPlanned(), 'copy-postgres-to-sqlite', {
      id: 'mutation-copy-fails',
      name: 'MUTATION: the copy fails with writes frozen',
      budgetMs: 5_000,
      run: async () => {
        throw new Error('the copy failed (mutation)');
      },
    });
    let afterProcedure: Awaited<ReturnType<typeof database>> | undefined;
    const phases = PHASES.flatMap((p) => (p.id === 'procedure' ? [p, { id: 'observe-database', run: async (s: { platform: Platform }) => void (afterProcedure = await database(s.platform)) }] : [p]));
    const runDir = path.join(env.runDir, 'freeze-undo-halfway');
    const o = await runScenario({ config: env.config, scenario: 'maintenance-window', variant: 'hardened', runDir, progress, procedure: failing, skipLoad: true, phases });
    const events = [...readJournal(path.join(runDir, 'journal.jsonl'))];
    const undone = events.findIndex((e) => e.type === 'log' && /the write freeze on PostgreSQL undone/.test(String(e.message)));
    const validation = events.findIndex((e) => e.type === 'phase.start' && e.phase === 'validation');
    halfway = {
      afterProcedure: afterProcedure!,
      undoneBeforeValidation: undone >= 0 && undone < validation,
      freezeStepOk: o.procedure.steps.find((s) => s.stepId === 'freeze-writes-at-database')?.outcome === 'ok',
      completed: o.procedure.completed,
    };

    // 2. Interrupted with writes frozen: the finally stage undoes it. The observation is registered
    // before the freeze, so it runs after the undo (cleanups run newest first), before the teardown.
    const stop = new AbortController();
    let frozenBefore = -1;
    let afterFinally: Awaited<ReturnType<typeof database>> | undefined;
    const interrupting = insertAfter(hardenedPlanned(), 'freeze-writes-at-database', {
      id: 'interrupt',
      name: 'INTERRUPT: the drill is stopped with writes frozen',
      budgetMs: 30_000,
      async run(ctx) {
        frozenBefore = await frozenTables({ platform: ctx.platform });
        stop.abort(new Error('interrupted by the test'));
        await new Promise(() => undefined);
      },
    });
    const error = await runScenario({
      config: env.config,
      scenario: 'maintenance-window',
      variant: 'hardened',
      runDir: path.join(env.runDir, 'freeze-undo-interrupted'),
      progress,
      procedure: interrupting,
      skipLoad: true,
      signal: stop.signal,
      afterSetup: async (ctx) => ctx.defer('observe the database after the finally stage', async () => void (afterFinally = await database(ctx.platform))),
    }).then(
      () => 'completed',
      (err: Error) => err.message,
    );
    interrupted = { error, afterFinally, frozenBefore };
  });

  it('after a procedure that failed halfway: at once, before the drill goes on', () => {
    expect(halfway.freezeStepOk).toBe(true);
    expect(halfway.completed).toBe(false);
    expect(halfway.afterProcedure, JSON.stringify(halfway.afterProcedure)).toEqual({ frozen: 0, write: 'accepted' });
    expect(halfway.undoneBeforeValidation).toBe(true);
  });

  it('after an interrupt with writes frozen: in the finally stage', () => {
    expect(interrupted.error).toMatch(/interrupted by the test|aborted/);
    expect(interrupted.frozenBefore).toBeGreaterThan(0);
    expect(interrupted.afterFinally, JSON.stringify(interrupted)).toEqual({ frozen: 0, write: 'accepted' });
  });
});
