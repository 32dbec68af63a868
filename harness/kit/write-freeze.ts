// A write freeze at the database, for a planned rollback that fails no read: PostgreSQL itself refuses
// every write from one instant on, while the app keeps serving reads from it.
//
// How: one transaction puts a statement-level BEFORE INSERT/UPDATE/DELETE/TRUNCATE trigger on every
// table of the app's database (partitions too: a statement trigger fires only for the table the
// statement names, and a write may name a partition), raising SQLSTATE 25006
// (read_only_sql_transaction, what a read-only transaction answers). Why it is safe, i.e. no write
// can be acknowledged on PostgreSQL after the copy's snapshot:
//  - CREATE TRIGGER takes SHARE ROW EXCLUSIVE on each table, which waits for every transaction that
//    has written it (they hold ROW EXCLUSIVE until they end): each is committed or rolled back before
//    the freeze commits, so the copy's snapshot, taken after, sees them.
//  - A write that comes later takes its lock after the freeze committed and sees the trigger (the
//    lock makes it read the new catalog), in every session, existing ones and superusers included.
//  - Reads take ACCESS SHARE, which the freeze's lock does not block: they go on being served.
// Not chosen: ALTER ROLE … SET default_transaction_read_only reaches only new sessions, so every open
// one must be ended, and ending them fails the reads in flight on them (and stops an app whose pool
// has no error handler); REVOKE does nothing to a superuser or, for itself, to the tables' owner.
// Left out: a session with session_replication_role = replica skips triggers (no app does that).
// The undo drops the schema that holds the trigger function, and every trigger with it (CASCADE).
import type { Platform } from '../model/platform.ts';
import { psql } from './psql.ts';

/** The schema that holds the freeze: its own, so one DROP … CASCADE undoes all of it. */
export const FREEZE_SCHEMA = 'rollback_drill_freeze';
/** What a refused write's error says (and the SQLSTATE: read_only_sql_transaction). */
export const FREEZE_MESSAGE = 'writes are frozen for a planned rollback (rollback-drill)';
export const FREEZE_SQLSTATE = '25006';

/** Every table of the app's database, partitioned ones and their partitions. */
const APP_TABLES = `SELECT c.oid::regclass AS rel FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', '${FREEZE_SCHEMA}') AND n.nspname NOT LIKE 'pg_toast%'`;

/** The frozen tables, schema.table, comma-separated (what the copy after the freeze may read from). */
const FROZEN_LIST_SQL = `SELECT coalesce(string_agg(n.nspname || '.' || c.relname, ',' ORDER BY n.nspname, c.relname), '') FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname = 'rollback_drill_freeze';`;

/** One transaction: the function, then a trigger per table; prints the tables it froze. */
export const FREEZE_SQL = `SET lock_timeout = '5s';
BEGIN;
CREATE SCHEMA IF NOT EXISTS ${FREEZE_SCHEMA};
CREATE OR REPLACE FUNCTION ${FREEZE_SCHEMA}.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN RAISE EXCEPTION '${FREEZE_MESSAGE}' USING ERRCODE = '${FREEZE_SQLSTATE}'; END $fn$;
DO $do$ DECLARE r record; BEGIN
  FOR r IN ${APP_TABLES} LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS rollback_drill_freeze ON %s', r.rel);
    EXECUTE format('CREATE TRIGGER rollback_drill_freeze BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION ${FREEZE_SCHEMA}.refuse_write()', r.rel);
  END LOOP;
END $do$;
COMMIT;
${FROZEN_LIST_SQL}`;

/** How many tables carry the freeze trigger now (read from the catalog: the freeze's own evidence). */
export const FROZEN_TABLES_SQL = `SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgname = 'rollback_drill_freeze';`;

export const THAW_SQL = `DROP SCHEMA IF EXISTS ${FREEZE_SCHEMA} CASCADE;
${FROZEN_TABLES_SQL}`;

type Ctx = { platform: Platform; signal?: AbortSignal };

/** Freezes writes (as the database owner, in the PostgreSQL pod); returns the tables frozen (schema.table). */
export async function freezeWrites(ctx: Ctx): Promise<string[]> {
  // Locking table after table, the freeze can deadlock with an app transaction that writes two of
  // them in the other order, or wait out lock_timeout behind a long one: it rolled back whole, so try again.
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await psql(ctx, FREEZE_SQL, { timeoutMs: 15_000 });
      return (out.split('\n').at(-1) ?? '').split(',').filter(Boolean);
    } catch (err) {
      if (attempt >= 3 || !/deadlock detected|lock timeout/i.test((err as Error).message)) throw err;
    }
  }
}

/** Undoes the freeze (idempotent); throws unless no freeze trigger is left. */
export async function thawWrites(ctx: Ctx): Promise<void> {
  const left = Number((await psql(ctx, THAW_SQL, { timeoutMs: 15_000 })).split('\n').at(-1));
  if (left !== 0) throw new Error(`${left} freeze trigger(s) still in place after the thaw`);
}

export async function frozenTables(ctx: Ctx): Promise<number> {
  return Number(await psql(ctx, FROZEN_TABLES_SQL));
}
