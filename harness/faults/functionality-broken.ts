// functionality-broken (high, emergency, < 15 min, feature test): a table the app needs is dropped
// from PostgreSQL. Health (SELECT 1) stays green; the tool integrations break. The proof it took
// effect is PostgreSQL's own catalog: the table is gone (the failing feature is the app's reaction).
import { APP_TABLES_SQL } from './postgres-checks.ts';
import { psql } from './psql.ts';
import type { Fault, FaultContext } from './types.ts';

export const DROPPED_TABLE = 'tool_configs';

export const functionalityBroken: Fault = {
  name: 'functionality-broken',
  description: `a table the app needs (${DROPPED_TABLE}) dropped from PostgreSQL`,
  cutsAppFromDatabase: false,
  async inject(ctx: FaultContext) {
    await psql(ctx, `DROP TABLE ${DROPPED_TABLE};`);
    return `DROP TABLE ${DROPPED_TABLE} on PostgreSQL`;
  },
  async verify(ctx: FaultContext) {
    let tables: string[];
    try {
      tables = (await psql(ctx, APP_TABLES_SQL)).split(',').filter(Boolean);
    } catch (err) {
      return { effective: false, evidence: `pg_catalog could not be read: ${(err as Error).message}` };
    }
    // An empty catalog would also lack the table: the other tables must still be there.
    if (tables.length === 0) return { effective: false, evidence: 'pg_catalog lists no tables at all in database hyperpage' };
    return tables.includes(DROPPED_TABLE)
      ? { effective: false, evidence: `pg_catalog still lists ${DROPPED_TABLE} among ${tables.length} tables (${tables.join(', ')})` }
      : { effective: true, evidence: `pg_catalog: no table ${DROPPED_TABLE} in database hyperpage; ${tables.length} others remain (${tables.join(', ')})` };
  },
  async clear() {
    // The rollback moves the service to SQLite, whose tool_configs is intact; PostgreSQL is left as the incident left it.
    return `nothing restored on PostgreSQL (${DROPPED_TABLE} stays dropped for the post-mortem)`;
  },
};
