// Functionality: every feature check after the rollback passes (none run is no pass). Broken
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';

// features weigh next after lost data and a failed restore.
import { defineCriterion } from './criterion.ts';
import { distinctAnswers } from '../kit/causes.ts';

/** Functionality: every feature check after the rollback passes. */
export function functionalityVerdict(o: ScenarioOutcome): Verdict {
  const failed = o.features.filter((f) => !f.passed);
  return {
    id: 'functionality',
    title: 'Functionality: all core features work after the rollback',
    passed: o.features.length > 0 && failed.length === 0,
    measured: `${o.features.length - failed.length}/${o.features.length}`,
    budget: `${o.features.length}/${o.features.length}`,
    unit: 'checks',
    evidence:
      o.features.length === 0
        ? 'no feature checks ran'
        : failed.length === 0
          ? `all ${o.features.length} feature checks passed (${o.features.map((f) => f.id).join(', ')})`
          : `failed: ${failed.map((f) => `${f.id} (${f.evidence})`).join('; ').slice(0, 500)}`,
    ...(failed.length ? { says: `${failed.length} of ${o.features.length} feature checks failed after the rollback: ${failed.map((f) => f.id).join(', ')}` } : {}),
    // The failing answers beside the verdict: what the restored service said to each broken feature.
    ...(failed.some((f) => f.answer) ? { causes: { answers: distinctAnswers(failed.flatMap((f) => (f.answer ? [f.answer] : []))) } } : {}),
  };
}

export default defineCriterion({
  id: 'functionality',
  title: 'Functionality: all core features work after the rollback',
  weight: 15,
  judge: functionalityVerdict,
});
