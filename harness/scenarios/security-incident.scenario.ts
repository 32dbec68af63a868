// Decision matrix: security incident — critical, emergency rollback, < 5 min, security validation.
import { securityValidation } from '../criteria/security-validation.ts';
import { securityIncident } from '../faults/security-incident.ts';
import { hardenedSecurityEmergency, seedEmergency } from '../procedures/emergency.ts';
import { defineScenario } from './spec.ts';

export default defineScenario({
  name: 'security-incident',
  title: 'security incident',
  severity: 'critical',
  budgetMs: 5 * 60_000,
  method: 'emergency',
  validation: 'security validation',
  fault: securityIncident,
  // The hardened answer also cuts PostgreSQL off (credentials revoked, server stopped).
  procedures: { seed: seedEmergency, hardened: hardenedSecurityEmergency },
  expectedTriggers: ['health-check-failures'],
  phases: ['security-validation'],
  criteria: [securityValidation],
  assertions: [
    {
      title: "the fault took effect (PostgreSQL refuses the app's credentials)",
      check: (o) => ({ holds: /login refused \(exit [1-9].*(password|authentication)/.test(o.faultEvidence), measured: o.faultEvidence }),
    },
  ],
});
