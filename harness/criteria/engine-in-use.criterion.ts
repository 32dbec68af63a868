// Engine in use: the restored service is served by SQLite, decided by where the writes acknowledged
// after the restore landed, not by what the app says (an answer that disagrees fails it too).
import type { ScenarioOutcome } from '../model/outcome.ts';
import type { Verdict } from '../model/verdict.ts';
import { defineCriterion } from './criterion.ts';
import { engineHeaderDisagrees, landedIn } from './engine-evidence.ts';

/**
 * Engine in use: decided by where the writes acknowledged after the restore landed (read from the
 * SQLite file and, where it still answers, PostgreSQL), not by what the app says. A header that
 * disagrees with the data fails the criterion too.
 */
export function engineInUseVerdict(o: ScenarioOutcome): Verdict {
  const d = o.landed;
  const landedEngine = landedIn(d);
  const said = o.enginesAfter.filter((e) => e !== '?');
  const headerDisagrees = engineHeaderDisagrees(o);
  const onlySqlite = landedEngine === 'sqlite';
  const headers = said.length ? `the app said ${said.join(', ')} (the engine it named on healthy answers)` : 'the app names no engine';
  return {
    id: 'engine-in-use',
    title: 'The restored service is served by SQLite (where the writes landed)',
    passed: d.acknowledged > 0 && onlySqlite && !headerDisagrees,
    measured: d.acknowledged === 0 ? 'no writes' : landedEngine,
    budget: 'sqlite',
    evidence:
      d.keys !== undefined ? registerLandedEvidence(d, landedEngine, headers, headerDisagrees) :
      `of ${d.acknowledged} writes acknowledged after the restore, started once the rollback was complete: ${d.inSqlite ?? '?'} in the SQLite file (${d.sqliteHow ?? 'not read'}${d.inSqlite && d.onlyInSqlite !== d.inSqlite ? `; ${(d.inSqlite ?? 0) - (d.onlyInSqlite ?? 0)} of them copied there from PostgreSQL` : ''}), ` +
      `${d.inPostgres ?? '?'} in PostgreSQL (${d.postgresState}); ${headers}` +
      (headerDisagrees ? `: DISAGREES with where the writes landed (${landedEngine})` : ''),
  };
}

/** Where a register's post-restore writes landed, in keys (each holds the last value written to it). */
function registerLandedEvidence(d: ScenarioOutcome['landed'], landedEngine: string, headers: string, headerDisagrees: boolean): string {
  const copied = d.inSqlite && d.onlyInSqlite !== d.inSqlite ? `; ${(d.inSqlite ?? 0) - (d.onlyInSqlite ?? 0)} of them hold the same value in PostgreSQL (copied there from PostgreSQL)` : '';
  return (
    `of ${d.acknowledged} writes acknowledged after the restore, over ${d.keys} keys: ${d.inSqlite ?? '?'}/${d.keys} keys hold one of them in the SQLite file (${d.sqliteHow ?? 'not read'}${copied}), ` +
    `${d.inPostgres ?? '?'}/${d.keys} in PostgreSQL (${d.postgresState}); ${headers}` +
    (headerDisagrees ? `: DISAGREES with where the writes landed (${landedEngine})` : '')
  );
}

export default defineCriterion({
  id: 'engine-in-use',
  title: 'The restored service is served by SQLite (where the writes landed)',
  weight: 10,
  judge: engineInUseVerdict,
});
