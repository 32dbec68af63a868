import type { ScenarioOutcome } from '../model/outcome.ts';

// Which engine served, as several criteria (and the outcome's finding) need to say it: where the
// post-restore writes landed, whether the app's own answers disagree, and where the availability
// answers' engine came from when the app names none.

/** Where the engine of the availability answers came from, when not (only) from the app; undefined for an app that names its engine. */
export function engineSource(o: Pick<ScenarioOutcome, 'availability'>): string | undefined {
  const from = o.availability?.engineFrom;
  return from === 'route' ? "from the Service's routed pods (the app names none)" : from === 'mixed' ? "from the app's answers where it named one, else from the Service's routed pods" : undefined;
}

/** The app named an engine after the restore other than the one its acknowledged writes landed in. */
export function engineHeaderDisagrees(o: Pick<ScenarioOutcome, 'landed' | 'enginesAfter'>): boolean {
  const landed = landedIn(o.landed);
  if (landed === 'neither') return false; // nothing to compare with: the verdict fails on that already
  return o.enginesAfter.filter((e) => e !== '?').some((e) => e !== landed);
}

/**
 * The engine the post-restore writes went to: a write in PostgreSQL was written there by the app
 * (nothing copies SQLite → PostgreSQL); one only in the SQLite file was written to SQLite.
 */
export function landedIn(d: ScenarioOutcome['landed']): 'sqlite' | 'postgres' | 'both' | 'neither' {
  const pg = (d.inPostgres ?? 0) > 0;
  const sqlite = (d.onlyInSqlite ?? d.inSqlite ?? 0) > 0;
  return pg && sqlite ? 'both' : pg ? 'postgres' : sqlite ? 'sqlite' : 'neither';
}
