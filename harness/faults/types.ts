// A fault is one row of the decision matrix made real: inject it, prove it took effect (a fault
// that silently did nothing fails the drill as "fault not effective"), and clear it.
import type { Journal } from '../journal/journal.ts';
import type { Platform } from '../platform/types.ts';

export interface FaultContext {
  platform: Platform;
  journal: Journal;
  /** Host-reachable URL of the app's Service. */
  serviceUrl: string;
  image: string;
  progress(line: string): void;
  signal?: AbortSignal;
  /** How long verify() waits for the fault to show (default per fault; tests of no-op faults shorten it). */
  verifyTimeoutMs?: number;
}

export interface FaultEffect {
  effective: boolean;
  /** What was measured, with numbers: "3 consecutive health checks answered 503 within 4.2 s". */
  evidence: string;
}

export interface Fault {
  readonly name: string;
  readonly description: string;
  inject(ctx: FaultContext): Promise<string>;
  verify(ctx: FaultContext): Promise<FaultEffect>;
  clear(ctx: FaultContext): Promise<string>;
}

export class FaultNotEffectiveError extends Error {
  override readonly name = 'FaultNotEffectiveError';
}

/** Inject, then verify; journals both and throws FaultNotEffectiveError when the fault did nothing. */
export async function injectAndVerify(fault: Fault, ctx: FaultContext): Promise<FaultEffect> {
  const detail = await fault.inject(ctx);
  ctx.journal.write({ type: 'fault.inject', fault: fault.name, detail });
  ctx.progress(`  ⚡ fault ${fault.name}: ${detail}`);
  const effect = await fault.verify(ctx);
  ctx.journal.write({ type: effect.effective ? 'fault.effective' : 'fault.not-effective', fault: fault.name, detail: effect.evidence });
  ctx.progress(`  ${effect.effective ? '⚡ fault took effect' : '✘ fault NOT effective'}: ${effect.evidence}`);
  if (!effect.effective) throw new FaultNotEffectiveError(`fault not effective: ${fault.name}: ${effect.evidence}`);
  return effect;
}
