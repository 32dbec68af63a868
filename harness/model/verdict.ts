import type { EventOf } from './journal-events.ts';

/** A verdict is exactly what the journal records for it. */
export type Verdict = Omit<EventOf<'verdict'>, 't' | 'type' | 'scenario' | 'variant'>;
