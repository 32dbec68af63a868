// Security validation: a criterion a row opts into (security-incident lists it in its spec's
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';

// `criteria`; it is not a `*.criterion.ts`, which every row is judged by): no pod holds PostgreSQL
// credentials and PostgreSQL is cut off, from the security-validation phase's checks.
import { defineCriterion } from './criterion.ts';

/** Security validation (security-incident): no pod holds PostgreSQL credentials, PostgreSQL cut off. */
export function securityVerdict(o: ScenarioOutcome): Verdict {
  const s = o.security;
  if (!s) {
    return { id: 'security-validation', title: 'Security validation: nothing holds PostgreSQL credentials, PostgreSQL is cut off', passed: false, measured: null, budget: 'all checks', unit: 'checks', evidence: 'the security validation did not run' };
  }
  return {
    id: 'security-validation',
    title: 'Security validation: nothing holds PostgreSQL credentials, PostgreSQL is cut off',
    passed: s.passed,
    measured: `${s.checks.filter((c) => c.passed).length}/${s.checks.length}`,
    budget: `${s.checks.length}/${s.checks.length}`,
    unit: 'checks',
    evidence: s.evidence,
  };
}

export const securityValidation = defineCriterion({
  id: 'security-validation',
  title: 'Security validation: nothing holds PostgreSQL credentials, PostgreSQL is cut off',
  weight: 15,
  judge: securityVerdict,
});
