// What the writes of a register target came to: the register rule over every write (ledger + load)
// and every read (the app's during and after the workload, the SQLite file's final rows), coverage of
// the restored engine, and where the writes acknowledged after the restore landed (keys holding one).
import { coverage } from '../probes/landed-writes.ts';
import { checkLedger } from '../probes/ledger.ts';
import { registerWorkload } from '../kit/register-workload.ts';
import { describeDomain, valueKindOf } from '../kit/values.ts';
import { kindCounts } from '../kit/stored-values.ts';
import type { RegisterWriteRecord } from '../model/measurements.ts';
import { pinnedValues } from '../kit/register-rule.ts';
import type { DataOutcome } from '../model/outcome.ts';
import { registerLandedAfter } from './register-read-back.ts';
import type { DrillState } from './state.ts';

/**
 * The writes with no answer, why, and when against the restore: each stays a legal value of its key
 * for every later read (it may still land), so its key's later writes cannot be pinned.
 */
export function unknownWritesLine(writes: readonly RegisterWriteRecord[], restoredAt: number): string {
  const unknown = writes.filter((w) => w.outcome === 'unknown');
  if (unknown.length === 0) return 'none';
  const why = new Map<string, number>();
  for (const w of unknown) {
    const k = w.error?.split(':')[0] ?? `HTTP ${w.status}`;
    why.set(k, (why.get(k) ?? 0) + 1);
  }
  const rel = (t: number) => `${t >= restoredAt ? '+' : ''}${((t - restoredAt) / 1000).toFixed(1)} s`;
  const starts = unknown.map((w) => w.startedAt);
  const keys = new Set(unknown.map((w) => w.key));
  return `${unknown.length}: ${[...why].map(([k, n]) => `${n} × ${k}`).join(', ')}; started ${rel(Math.min(...starts))}..${rel(Math.max(...starts))} from the restore; keys ${[...keys].sort().join(', ')}`;
}

export function registerData(s: DrillState, from: number): DataOutcome {
  const { journal } = s;
  const ledger = s.registerLedger;
  const rb = s.registerReadBack!;
  // The procedures' own probe writes (verify-engine) too: a read may return their values.
  const others = [...s.loadRegisterWrites, ...(s.ctx?.state.probeWrites ?? [])];
  const check = ledger.check(others);
  const allWrites = [...ledger.writes, ...others];
  const w = registerWorkload(s.target);
  if (w.value) {
    // The seed and the kinds of value written (each write's kind follows from its number: kit/values.ts).
    const domain = w.value;
    const kinds = kindCounts([...ledger.writes, ...s.loadRegisterWrites].map((x) => valueKindOf(domain, x.seq, 'value')));
    journal.write({
      type: 'probe.summary',
      probe: 'values',
      summary: {
        seed: s.valueSeed,
        domains: `value: a token unique in the run, then ${describeDomain(w.value)}`,
        written: `value: ${kinds}`,
        compared: 'every value read (the SQLite file, the app) against the values written, exactly, by the register rule',
      },
    });
  }
  const postRestore = allWrites.filter((w) => w.outcome === 'ok' && w.startedAt >= from);
  const pinned = pinnedValues(check);
  const pinnedAfter = postRestore.filter((w) => pinned.has(w.value));
  const afterRestore = { acknowledged: postRestore.length, pinned: pinnedAfter.length };
  const ledgerValues = new Set(ledger.writes.map((w) => w.value));
  const ledgerAfter = postRestore.filter((w) => ledgerValues.has(w.value));
  // Coverage counts the writes a read checked (pinned), not every acknowledged one: under a load most
  // writes of a key are overwritten before any read could see them (measured: 12 to 99 pinned of
  // 800 to 6,000 acknowledged in 2 s). The app names no pod: they are split over the ready replicas.
  const cov = coverage(pinnedAfter.map((w) => w.pod), s.sqliteReady, s.config.minWritesPerPod);
  const source = rb.sqlite instanceof Error ? 'app-api' : 'sqlite-file';
  const directReadError = rb.sqlite instanceof Error ? rb.sqlite.message : undefined;
  const t = check.totals;
  journal.write({
    type: 'probe.summary',
    probe: 'register',
    summary: {
      headline: check.headline,
      keys: t.keys,
      reads: t.reads,
      ok: t.ok,
      stale: t.stale,
      unknownValue: t.unknownValue,
      missing: t.missing,
      acknowledged: t.acknowledged,
      writesAttempted: check.writes.attempted,
      writesFail: check.writes.fail,
      writesUnknown: check.writes.unknown,
      apiReads: check.bySource.api.reads,
      apiAnomalies: check.bySource.api.anomalies,
      directReads: check.bySource.direct.reads,
      directAnomalies: check.bySource.direct.anomalies,
      apiReadErrors: check.reads.apiErrors,
      initialFrom: check.initialFrom,
      source,
      acknowledgedAfterRestore: afterRestore.acknowledged,
      pinnedAfterRestore: afterRestore.pinned,
      minPerPod: cov.minPerPod,
      detectableLoss: cov.detectableLossRate,
      ledgerAfterRestore: `${ledgerAfter.length} acknowledged, ${ledgerAfter.filter((w) => pinned.has(w.value)).length} pinned by their read-back (keys ${ledger.ownKeys.join(', ')})`,
      unknownWrites: unknownWritesLine(allWrites, from),
      firstAnomalies: check.results.filter((r) => r.verdict !== 'ok').slice(0, 3).map((r) => r.detail).join(' | ') || 'none',
    },
  });
  const landed = registerLandedAfter(postRestore, rb, ledger.keys.length);
  s.progress(`  register: ${check.headline}`);
  return {
    // No set here: an empty set check keeps the outcome's shape; data integrity judges `register`.
    ledger: checkLedger([], []),
    ledgerSource: source,
    directReadError,
    coverage: cov,
    landed,
    // Before the rollback started only the PostgreSQL deployment served (the app names no engine).
    okWritesOnPostgres: allWrites.filter((w) => w.outcome === 'ok' && w.endedAt <= s.triggerAt).length,
    register: { check, source, ...(directReadError === undefined ? {} : { directReadError }), sqliteHow: landed.sqliteHow, afterRestore },
  };
}
