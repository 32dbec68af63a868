// A fault is one row of the decision matrix made real: inject it, prove it took effect on the
// component it breaks (a fault that silently did nothing fails the drill as "fault not
// effective"), and clear it. The app's reaction is observed afterwards and separately.
import type { Fault, FaultContext, FaultEffect } from '../model/fault.ts';
import { recordFinding } from '../kit/findings.ts';
import { observeAppReaction } from './app-reaction.ts';

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
