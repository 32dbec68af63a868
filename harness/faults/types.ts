// A fault is one row of the decision matrix made real: inject it, prove it took effect on the
// component it breaks (a fault that silently did nothing fails the drill as "fault not
// effective"), and clear it. The app's reaction is observed afterwards and separately.
import type { Journal } from '../journal/journal.ts';
import type { Platform } from '../platform/types.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { recordFinding } from '../procedures/context.ts';
import { observeAppReaction } from './app-reaction.ts';

export interface FaultContext {
  platform: Platform;
  journal: Journal;
  /** Host-reachable URL of the app's Service. */
  serviceUrl: string;
  image: string;
  /** The app under drill: drill-data Jobs read its mapping. */
  target: TargetProfile;
  progress(line: string): void;
  signal?: AbortSignal;
  /** How long verify() waits for the fault to show (default per fault; tests of no-op faults shorten it). */
  verifyTimeoutMs?: number;
  /** How long the app's reaction is sampled once the fault is proven (default 3 s). */
  reactionWindowMs?: number;
}

export interface FaultEffect {
  effective: boolean;
  /** What was measured on the component, with numbers: "PostgreSQL 0/1 ready, pg_isready exit 2 for 3 checks over 1.2 s". */
  evidence: string;
  /** What the app answered meanwhile (health and a feature endpoint through the service); never part of `effective`. */
  appReaction?: string;
}

export interface Fault {
  readonly name: string;
  readonly description: string;
  /**
   * While in effect the app cannot reach its data at all: a health check that queries the
   * database must fail, so "200 healthy" is recorded as the finding app-health-blind.
   */
  readonly cutsAppFromDatabase: boolean;
  inject(ctx: FaultContext): Promise<string>;
  /** Proves the fault on the component it breaks, independently of the app. */
  verify(ctx: FaultContext): Promise<FaultEffect>;
  clear(ctx: FaultContext): Promise<string>;
}

export class FaultNotEffectiveError extends Error {
  override readonly name = 'FaultNotEffectiveError';
}

/**
 * Inject, then verify on the component; journals both and throws FaultNotEffectiveError only when
 * that proof fails. Then samples the app's reaction (probe 'fault-reaction'); a health check still
 * healthy while the app is cut from its database is a confirmed finding, and the drill goes on.
 */
export async function injectAndVerify(fault: Fault, ctx: FaultContext): Promise<FaultEffect> {
  const detail = await fault.inject(ctx);
  ctx.journal.write({ type: 'fault.inject', fault: fault.name, detail });
  ctx.progress(`  ⚡ fault ${fault.name}: ${detail}`);
  const effect = await fault.verify(ctx);
  ctx.journal.write({ type: effect.effective ? 'fault.effective' : 'fault.not-effective', fault: fault.name, detail: effect.evidence });
  ctx.progress(`  ${effect.effective ? '⚡ fault took effect' : '✘ fault NOT effective'}: ${effect.evidence}`);
  if (!effect.effective) throw new FaultNotEffectiveError(`fault not effective: ${fault.name}: ${effect.evidence}`);

  const reaction = await observeAppReaction(ctx.serviceUrl, ctx.target, { windowMs: ctx.reactionWindowMs ?? 3_000, signal: ctx.signal });
  ctx.journal.write({
    type: 'probe.summary',
    probe: 'fault-reaction',
    summary: { fault: fault.name, windowMs: reaction.windowMs, samples: reaction.samples, healthy: reaction.healthy, health: reaction.health, feature: reaction.feature, text: reaction.text },
  });
  ctx.progress(`  app reaction ${reaction.text}`);
  if (fault.cutsAppFromDatabase && reaction.healthy > 0) {
    recordFinding(
      ctx,
      'appHealthBlind',
      `${fault.name} in effect (${effect.evidence}), yet ${ctx.target.health.path} answered 200 healthy ${reaction.healthy} of ${reaction.samples} times ${reaction.text.replace(/^over/, 'over the next')}`,
      true,
    );
  }
  return { ...effect, appReaction: reaction.text };
}
