// functionality-broken (high, emergency, < 15 min, feature test): a table the app needs is dropped
// from PostgreSQL. Health (SELECT 1) stays green; the features reading that table break. Which table
// is the profile's (faults.functionalityBroken.table). The proof it took effect is PostgreSQL's own
// catalog: the table is gone while the app's other mapped tables remain (the failing feature is the
// app's reaction).
import { normalizeMapping } from '../../datatool/contract.ts';
import type { TargetProfile } from '../model/target-profile.ts';
import { APP_TABLES_SQL } from '../kit/postgres-checks.ts';
import { psql } from '../kit/psql.ts';
import type { Fault, FaultContext } from '../model/fault.ts';

/** The PostgreSQL table the fault drops: the profile's, else the first table of its mapping. */
export function droppedTable(target: Pick<TargetProfile, 'faults' | 'mapping'>): string {
  return target.faults.functionalityBroken?.table ?? normalizeMapping(target.mapping)[0]!.postgres.table;
}

/** Identifiers reach SQL quoted (the profile's schema check already limits them to letters, digits and _). */
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export const functionalityBroken: Fault = {
  name: 'functionality-broken',
  description: 'a table the app needs (the profile\'s) dropped from PostgreSQL',
  cutsAppFromDatabase: false,
  async inject(ctx: FaultContext) {
    const table = droppedTable(ctx.target);
    await psql(ctx, `DROP TABLE ${ident(table)};`);
    return `DROP TABLE ${table} on PostgreSQL`;
  },
  async verify(ctx: FaultContext) {
    const table = droppedTable(ctx.target);
    let tables: string[];
    try {
      tables = (await psql(ctx, APP_TABLES_SQL)).split(',').filter(Boolean);
    } catch (err) {
      return { effective: false, evidence: `pg_catalog could not be read: ${(err as Error).message}` };
    }
    // An empty (or wrong) catalog would also lack the table: the app's other mapped tables must still be there.
    const others = normalizeMapping(ctx.target.mapping).map((t) => t.postgres.table).filter((t) => t !== table);
    const missing = others.filter((t) => !tables.includes(t));
    if (tables.length === 0 && others.length > 0) return { effective: false, evidence: 'pg_catalog lists no tables at all in database hyperpage' };
    if (tables.includes(table)) return { effective: false, evidence: `pg_catalog still lists ${table} among ${tables.length} tables (${tables.join(', ')})` };
    if (missing.length > 0) return { effective: false, evidence: `pg_catalog lists neither ${table} nor ${missing.join(', ')} of the mapping: not the app's catalog as it was (${tables.join(', ') || 'no tables'})` };
    return { effective: true, evidence: `pg_catalog: no table ${table} in database hyperpage; ${tables.length} others remain (${tables.join(', ')})` };
  },
  async clear(ctx: FaultContext) {
    // The rollback moves the service to SQLite, whose copy of the table is intact; PostgreSQL is left as the incident left it.
    return `nothing restored on PostgreSQL (${droppedTable(ctx.target)} stays dropped for the post-mortem)`;
  },
};
