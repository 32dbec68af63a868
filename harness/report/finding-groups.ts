// The run's findings as a person reads them: grouped as runbook defects, app premises and drill
// notes, one row per finding id however many scenarios journalled it, with the scenarios listed and
// each distinct detail kept once (a pre-release run journals cluster-dns in every scenario).
import type { FindingKind } from '../model/journal-events.ts';
import { groupLabel } from './display.ts';
import type { FindingGroupRow, FindingReport } from './model.ts';

export const FINDING_KIND_TITLES: Record<FindingKind, string> = {
  runbook: 'Runbook defects',
  premise: 'App premises',
  note: 'Drill notes',
};

/** A journal without `kind` (older, or a user's step): runbook-* is the runbook's, premise-* and app-* the app's, the rest notes. */
export function findingKindOf(id: string): FindingKind {
  if (id.startsWith('runbook-')) return 'runbook';
  if (id.startsWith('premise-') || id.startsWith('app-')) return 'premise';
  return 'note';
}

export function groupFindings(findings: readonly FindingReport[]): Record<FindingKind, FindingGroupRow[]> {
  const out: Record<FindingKind, FindingGroupRow[]> = { runbook: [], premise: [], note: [] };
  const byId = new Map<string, FindingGroupRow>();
  for (const f of findings) {
    let row = byId.get(f.id);
    if (!row) {
      row = { id: f.id, title: f.title, kind: f.kind, confirmed: false, where: [], details: [], provenance: f.provenance, causes: f.causes };
      byId.set(f.id, row);
      out[f.kind].push(row);
    }
    row.confirmed ||= f.confirmed;
    const where = groupLabel(f);
    if (!row.where.includes(where)) row.where.push(where);
    if (!row.details.includes(f.detail)) row.details.push(f.detail);
    // A measurement outranks a declaration of the same finding.
    if (f.provenance?.kind === 'measured' || (!row.provenance && f.provenance)) row.provenance = f.provenance;
    row.causes ??= f.causes;
  }
  // Confirmed first, in the order first seen.
  for (const k of Object.keys(out) as FindingKind[]) out[k].sort((a, b) => Number(b.confirmed) - Number(a.confirmed));
  return out;
}
