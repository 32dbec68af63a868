// Clearing a fault in the finally stage: bounded (a platform that no longer answers must not hold the
// teardown), journalled either way, never thrown (the drill's verdicts are already decided).
import type { JournalWriter } from '../model/journal-events.ts';
import type { Fault } from '../model/fault.ts';
import type { ProcedureContext } from '../model/context.ts';

const CLEAR_TIMEOUT_MS = 30_000;

export async function clearFault(fault: Fault, ctx: ProcedureContext, journal: JournalWriter, progress: (line: string) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fault.clear(ctx),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CLEAR_TIMEOUT_MS / 1000} s`)), CLEAR_TIMEOUT_MS))),
    ]);
    journal.write({ type: 'fault.clear', fault: fault.name, detail });
    progress(`  fault ${fault.name} cleared: ${detail}`);
  } catch (err) {
    journal.write({ type: 'log', level: 'warn', message: `fault ${fault.name} could not be cleared: ${(err as Error).message}` });
  } finally {
    clearTimeout(timer);
  }
}
