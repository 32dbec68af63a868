// The runbook's two procedures per variant, as most rows use them.
import { hardenedEmergency, seedEmergency } from '../procedures/emergency.ts';
import { hardenedPlanned, seedPlanned } from '../procedures/planned.ts';

export const EMERGENCY = { seed: seedEmergency, hardened: hardenedEmergency };
export const PLANNED = { seed: seedPlanned, hardened: hardenedPlanned };
