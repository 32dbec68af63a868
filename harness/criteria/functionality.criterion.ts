// Functionality: every feature check after the rollback passes (none run is no pass). Broken
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';

// features weigh next after lost data and a failed restore.
import { defineCriterion } from './criterion.ts';
import { distinctAnswers } from '../kit/causes.ts';
import { differenceInWords } from '../kit/json-diff.ts';

/** Functionality: every feature check after the rollback passes, and the service answers as it did on PostgreSQL. */
export function functionalityVerdict(o: ScenarioOutcome): Verdict {
  const failed = o.features.filter((f) => !f.passed);
  const d = o.differential;
  const changed = d && !('error' in d) ? d.differences.filter((x) => !x.known) : [];
  const known = d && !('error' in d) ? d.differences.filter((x) => x.known) : [];
  const diffText =
    d === undefined
      ? ''
      : 'error' in d
        ? `; differential not run: ${d.error}`
        : `; differential: ${d.requests} requests and ${d.fields} fields compared with PostgreSQL's answers (noise left out: ${d.learnedNoise.length} learned, ${d.declaredNoise.length} declared), ${changed.length} difference(s)` +
          (changed.length ? ` — ${changed.slice(0, 5).map(differenceInWords).join('; ')}${changed.length > 5 ? `; … ${changed.length - 5} more` : ''}` : '') +
          (known.length ? `; known engine differences: ${known.map((x) => `${x.request} ${x.path}`).join(', ')}` : '') +
          (d.errors.length ? `; unanswered: ${d.errors.join('; ')}` : '');
  const says = [
    ...(failed.length ? [`${failed.length} of ${o.features.length} feature checks failed after the rollback: ${failed.map((f) => f.id).join(', ')}`] : []),
    ...(changed.length ? [`the restored service answers ${changed.length} field(s) differently from PostgreSQL: ${changed.slice(0, 3).map((x) => `${x.request} ${x.path} (${x.kind})`).join(', ')}`] : []),
  ];
  return {
    id: 'functionality',
    title: 'Functionality: all core features work after the rollback, answering as they did on PostgreSQL',
    passed: o.features.length > 0 && failed.length === 0 && changed.length === 0,
    measured: `${o.features.length - failed.length}/${o.features.length}${changed.length ? `, ${changed.length} behaviour difference(s)` : ''}`,
    budget: `${o.features.length}/${o.features.length}`,
    unit: 'checks',
    evidence:
      (o.features.length === 0
        ? 'no feature checks ran'
        : failed.length === 0
          ? `all ${o.features.length} feature checks passed (${o.features.map((f) => f.id).join(', ')})`
          : `failed: ${failed.map((f) => `${f.id} (${f.evidence})`).join('; ').slice(0, 500)}`) + diffText,
    ...(says.length ? { says: says.join('; ') } : {}),
    // The failing answers beside the verdict: what the restored service said to each broken feature.
    ...(failed.some((f) => f.answer) ? { causes: { answers: distinctAnswers(failed.flatMap((f) => (f.answer ? [f.answer] : []))) } } : {}),
  };
}

export default defineCriterion({
  id: 'functionality',
  title: 'Functionality: all core features work after the rollback, answering as they did on PostgreSQL',
  weight: 15,
  judge: functionalityVerdict,
});
