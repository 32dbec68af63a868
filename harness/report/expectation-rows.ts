// The run's outcomes against their expectations, in three lists: the seed runbook's declared defects
// failing as declared, the declared failures that passed, and the failures nobody declared.
import type { FindingReport, GroupReport, RunReport } from './model.ts';

function fmtRaw(v: number | string | null, unit: string | null): string {
  if (v === null) return 'not measured';
  return unit ? `${v} ${unit}` : String(v);
}

export function expectationRows(groups: readonly GroupReport[], findings: readonly FindingReport[]): RunReport['expectations'] {
  const title = (id: string | null) => (id ? (findings.find((f) => f.id === id)?.title ?? null) : null);
  const rows = groups.flatMap((g) => [
    ...g.criteria.map((c) => ({
      row: {
        group: g.key,
        kind: 'criterion' as const,
        id: c.id,
        title: c.title,
        passed: c.passed,
        expected: c.expected,
        measured: `${fmtRaw(c.measured, c.unit)}, budget ${fmtRaw(c.budget, c.unit)}`,
        evidence: c.evidence,
        finding: c.expectedBecause,
        findingTitle: title(c.expectedBecause),
        says: c.says,
        causes: c.causes,
      },
      matches: c.matches,
    })),
    ...g.checks.map((c) => ({
      row: { group: g.key, kind: 'check' as const, id: c.id, title: c.title, passed: c.passed, expected: c.expected, measured: c.measured, evidence: '', finding: c.expectedBecause, findingTitle: title(c.expectedBecause), says: c.says, causes: c.causes },
      matches: c.matches,
    })),
  ]);
  return {
    expectedFailures: rows.filter((x) => x.matches && x.row.expected === 'fail').map((x) => x.row),
    unexpectedPasses: rows.filter((x) => !x.matches && x.row.passed).map((x) => x.row),
    unexpectedFailures: rows.filter((x) => !x.matches && !x.row.passed).map((x) => x.row),
  };
}
