// Data integrity: every acknowledged write is in the SQLite file the rollback targeted (the set rule)
// or, for a register target, every value read is one a correct register could hold; measured only
import type { ScenarioOutcome, RegisterOutcome } from '../model/outcome.ts';
import { registerAnomalies } from '../kit/register-rule.ts';
import { defineCriterion } from './criterion.ts';
import type { Verdict } from '../model/verdict.ts';
import type { ValueCheck } from '../model/measurements.ts';
import { alteredInWords } from '../kit/stored-values.ts';

// with the file read directly and enough writes after the restore. Losing data weighs most.

/** Every kind of anomaly the set rule, the stored values and the checksums found, named in one line ("none" when clean). */
export function dataAnomalies(o: Pick<ScenarioOutcome, 'ledger' | 'checksums' | 'apiLedger'>): string[] {
  const l = o.ledger;
  const apiAltered = o.apiLedger?.values?.altered ?? 0;
  return [
    ...(l.lost ? [`${l.lost} lost`] : []),
    ...(l.duplicated ? [`${l.duplicated} duplicated`] : []),
    ...(l.unexpected ? [`${l.unexpected} unexpected`] : []),
    ...(l.values?.altered ? [`${l.values.altered} altered`] : []),
    // In the file but not readable through the restored service (a stale read path): lost to its users.
    ...(o.apiLedger && o.apiLedger !== o.ledger && o.apiLedger.lost > l.lost ? [`${o.apiLedger.lost - l.lost} not readable through the app`] : []),
    // The restored service answering another value than the one acknowledged is an altered value users see.
    ...(apiAltered && o.apiLedger !== o.ledger ? [`${apiAltered} altered through the app`] : []),
    ...(o.checksums.equal ? [] : [`checksums differ${o.checksums.mismatched.length ? ` (${o.checksums.mismatched.join(', ')})` : ''}`]),
  ];
}

/**
 * Data integrity: every acknowledged write (ledger + load) is in the SQLite file the rollback targeted,
 * read directly through the platform, none twice, nothing unwritten; seeded tables equal. Only
 * counts when the restored engine took enough writes per pod to show a small loss rate: below the
 * minimum it is "not measured", never a pass.
 */
export function dataIntegrityVerdict(o: ScenarioOutcome): Verdict {
  if (o.register) return registerIntegrityVerdict(o, o.register);
  const l = o.ledger;
  const c = o.coverage;
  const anomalies = dataAnomalies(o);
  const coverageText = coverageEvidence(c);
  const source = o.ledgerSource === 'sqlite-file' ? 'read from the SQLite file' : `read through the app only (${o.directReadError ?? 'direct read unavailable'})`;
  const api = o.apiLedger ? `; through the app's API: ${o.apiLedger.lost} lost, ${o.apiLedger.duplicated} duplicated, ${o.apiLedger.unexpected} unexpected` : '';
  const detail = `${l.lost} of ${l.ok} acknowledged writes lost, ${l.duplicated} duplicated, ${l.unexpected} unexpected, ${l.recovered}/${l.unknown} unknown writes found (${source})${l.lost ? `; first lost: ${l.lostEmails.slice(0, 3).join(', ')}` : ''}${l.duplicated ? `; first duplicated: ${l.duplicatedEmails.slice(0, 3).join(', ')}` : ''}${valuesEvidence(o)}${api}; ${o.checksums.evidence}; ${coverageText}`;
  const whyNot =
    o.ledgerSource !== 'sqlite-file'
      ? 'the SQLite file could not be read directly'
      : !c.sufficient || l.ok === 0
        ? `too few writes after the restore (min ${c.minPerPod}/pod < ${c.minRequired})`
        : undefined;
  return integrityVerdict('Data integrity: no acknowledged write lost, duplicated, unexpected or altered in the SQLite file, seeded tables equal', anomalies, whyNot, detail);
}

/**
 * Both write models' data integrity: anomalies fail the run whatever the coverage; a clean result
 * counts only when it was measured (`whyNot` says why it was not: read through the app only, too few
 * writes after the restore).
 */
function integrityVerdict(title: string, anomalies: readonly string[], whyNot: string | undefined, detail: string): Verdict {
  const notMeasured = anomalies.length === 0 && whyNot !== undefined;
  return {
    id: 'data-integrity',
    title,
    passed: anomalies.length === 0 && !notMeasured,
    measured: notMeasured ? 'not measured' : anomalies.length ? anomalies.join(', ') : 'no anomaly',
    budget: 'no anomaly',
    evidence: notMeasured ? `NOT MEASURED: ${whyNot}; ${detail}` : detail,
    ...(notMeasured ? { notMeasured: whyNot, says: `data integrity not measured: ${whyNot}` } : anomalies.length ? { says: `acknowledged data was not kept: ${anomalies.join(', ')} (wanted: no anomaly)` } : {}),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** The stored values against the sent ones, per source, with the first altered rows in words. */
function valuesEvidence(o: ScenarioOutcome): string {
  const one = (where: string, c: ValueCheck | undefined) =>
    c ? `; values ${where}: ${c.altered} altered of ${c.rows} rows compared (${c.fields} fields)${c.examples.length ? ` — ${c.examples.map(alteredInWords).join(' | ')}` : ''}` : '';
  if (!o.ledger.values && !o.apiLedger?.values) return '; values not compared (the target profile declares no write fields)';
  return one(o.ledgerSource === 'sqlite-file' ? 'in the SQLite file' : 'through the app', o.ledger.values) + (o.apiLedger && o.apiLedger !== o.ledger ? one('through the app', o.apiLedger.values) : '') + one('in PostgreSQL', o.postgresValues);
}

/** The counted writes per pod and the loss rate they could show: "p1 400 acknowledged writes per pod, a per-pod loss rate ≥ …". */
function perPodCoverage(c: ScenarioOutcome['coverage'], counted: string): string {
  const pods = Object.entries(c.okByPod).map(([p, n]) => `${p} ${n}`).join(', ') || 'none';
  return `${pods}${counted} per pod${c.podsNamed ? '' : ' (the app names no pod: split evenly over the ready replicas)'}, a per-pod loss rate ≥ ${pct(c.detectableLossRate)} detectable at 95 % (minimum ${c.minRequired}/pod)`;
}

function coverageEvidence(c: ScenarioOutcome['coverage']): string {
  return `coverage after the restore: ${perPodCoverage(c, ' acknowledged writes')}`;
}

/** A register's coverage: the post-restore writes a read pinned (their loss would show), per ready replica when the app names no pod. */
function registerCoverageEvidence(c: ScenarioOutcome['coverage'], r: RegisterOutcome): string {
  return (
    `coverage after the restore: ${r.afterRestore.pinned} of the ${r.afterRestore.acknowledged} acknowledged writes were pinned by a read (its only legal value: their loss would show), ` +
    perPodCoverage(c, '')
  );
}

/**
 * Data integrity of a register target: every value read (the SQLite file's final rows, the app's
 * reads during and after the workload) is one a correct register could hold — the last acknowledged
 * write or a later indeterminate one. Measured only with the file read directly and enough writes
 * after the restore checked by a read (pinned; per ready replica when the app names no pod);
 * anomalies fail whatever the coverage. Seeded-table checksums are not judged: the register's writes change its table.
 */
function registerIntegrityVerdict(o: ScenarioOutcome, r: RegisterOutcome): Verdict {
  const c = o.coverage;
  const k = r.check;
  // A key never read is "missing" to the rule (not reading must not pass), but here it is a read that
  // did not happen (neither the file nor the app answered): not measured, not an anomaly.
  const anomalies = registerAnomalies({ totals: { ...k.totals, missing: k.totals.missing - k.unread.length } });
  const source = r.source === 'sqlite-file' ? `final values read from the SQLite file (${r.sqliteHow ?? 'direct read'})` : `read through the app only (${r.directReadError ?? 'direct read unavailable'})`;
  const read = k.results.length - k.unread.length;
  const first = k.results.slice(0, read).filter((x) => x.verdict !== 'ok').slice(0, 3).map((x) => x.detail);
  const detail =
    `${k.headline}; ${source}; through the app's API ${k.bySource.api.anomalies} anomalies in ${k.bySource.api.reads} reads, from the database ${k.bySource.direct.anomalies} in ${k.bySource.direct.reads}` +
    `; writes ${k.writes.ok}/${k.writes.attempted} acknowledged, ${k.writes.fail} failed, ${k.writes.unknown} unknown; initial values from ${k.initialFrom}` +
    (k.unread.length ? `; ${k.unread.length} key(s) never read, not judged: ${k.unread.join(', ')}` : '') +
    (first.length ? `; first: ${first.join(' | ')}` : '') +
    `; ${registerCoverageEvidence(c, r)}` +
    `; seeded-table checksums not judged (a register's writes change its table)`;
  const whyNot =
    r.source !== 'sqlite-file'
      ? 'the SQLite file could not be read directly'
      : o.okWritesOnPostgres === 0
        ? // A pass needs writes the rollback could have lost: with none acknowledged on PostgreSQL, "no anomaly" would say nothing.
          'no write was acknowledged while PostgreSQL served, so the rollback had nothing it could lose'
        : r.afterRestore.acknowledged === 0
        ? 'no write acknowledged after the restore'
        : !c.sufficient
          ? `too few writes after the restore checked by a read (min ${c.minPerPod}/pod < ${c.minRequired})`
          : undefined;
  return integrityVerdict('Data integrity: every value read back (the SQLite file, the app) is one a correct register could hold: the last acknowledged write or a later indeterminate one', anomalies, whyNot, detail);
}

export default defineCriterion({
  id: 'data-integrity',
  title: 'Data integrity: no acknowledged write lost, duplicated or unexpected in the SQLite file (a register: every value read one it could hold)',
  weight: 25,
  judge: dataIntegrityVerdict,
});
