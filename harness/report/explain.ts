// Wording the renderers share for what explains an outcome: its causes (failing answers, log lines,
// what to fix), where a statement comes from (measured, declared, inferred), a mask's reason and the
// score's cap. md, html and junit say it the same way from these lines.
import type { Causes, Provenance } from '../model/journal-events.ts';
import type { CriterionReport, RunReport } from './model.ts';
import { formatValue } from './summaries.ts';

export interface CauseLine {
  kind: 'answer' | 'log' | 'fix';
  text: string;
  /** The full log under the run folder (a log line). */
  file?: string;
}

export function causeLines(c: Causes | null | undefined): CauseLine[] {
  if (!c) return [];
  const out: CauseLine[] = [];
  for (const a of c.answers ?? []) out.push({ kind: 'answer', text: `${a.request} → ${a.status === 0 ? 'no answer' : `HTTP ${a.status}`} ×${a.count}${a.body ? `: ${a.body}` : ''}` });
  for (const l of c.logs ?? []) out.push({ kind: 'log', text: `${l.pod}: ${l.line}${l.count > 1 ? ` (×${l.count})` : ''}`, ...(l.file ? { file: l.file } : {}) });
  if (c.fix) out.push({ kind: 'fix', text: `what to fix: ${c.fix}` });
  return out;
}

/** "measured", "declared (target profile …: images[…].tools)", "inferred (from …)". */
export function provenanceText(p: Provenance | null | undefined): string {
  if (!p) return 'measured';
  return p.kind === 'measured' ? 'measured' : `${p.kind} (${p.source})`;
}

/** The Expected cell: pass, pass because a finding masks a declared failure (with its reason), or fail because of a finding. */
export function expectedText(c: Pick<CriterionReport, 'expected' | 'expectedBecause' | 'maskReason'>, code: (id: string) => string = (id) => id): string {
  if (c.expected === 'fail') return `fail (finding ${code(c.expectedBecause ?? '?')})`;
  if (!c.expectedBecause) return 'pass';
  // A mask says the defect cannot show here: "not measured" agrees with it as well (expectations.ts matches).
  return `pass or not measured (finding ${code(c.expectedBecause)} masks the seed runbook's expected failure${c.maskReason ? `: ${c.maskReason}` : ''})`;
}

/** "0 (capped from 89.5: 4 of 4 premises failed; rule …)", or the plain score. */
export function scoreText(r: Pick<RunReport, 'resilienceScore' | 'scoreCap'>): string | null {
  if (r.resilienceScore === null) return null;
  const cap = r.scoreCap;
  if (!cap) return formatValue(r.resilienceScore);
  return `${formatValue(r.resilienceScore)} (capped from ${formatValue(cap.uncapped)}: ${cap.failedPremises.length} failed premise(s); ${cap.rule})`;
}

/** Long evidence as its parts ("a; b; c" → [a, b, c]), so it reads as a list, not a run-on line. */
export function evidenceParts(text: string): string[] {
  return text
    .split(/;\s+(?![^()]*\))/)
    .map((p) => p.trim())
    .filter(Boolean);
}
