// A mapping resolved against the live schemas: every column with its PostgreSQL type and
// conversion, the key, and the SQL each engine runs. A mapped table or column that does not exist
// on either side is a SchemaError (a user error: exit 2), never a half-done copy.
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { CONVERSION_DEFS, conversionSql, defaultConversion, type Bind } from './convert.ts';
import type { Conversion, TableMapping } from './mapping.ts';

export class SchemaError extends Error {}

export interface ResolvedColumn {
  pg: string;
  sqlite: string;
  convert: Conversion;
  /** How the worker binds the converted field. */
  bind: Bind;
  /** The converted value, as selected on the PostgreSQL side (undefined when resolved from SQLite alone). */
  pgSql?: string;
  /** Ordered as text (COLLATE "C" on PostgreSQL, BINARY on SQLite). */
  text: boolean;
}

export interface ResolvedTable {
  /** The SQLite table name: the table's id in results. */
  name: string;
  postgres: { schema: string; table: string };
  columns: ResolvedColumn[];
  /** Indexes into columns, in key order. */
  key: number[];
  /** Only rows whose single key is ≤ this integer (checksum --max-key). */
  maxKey?: string;
}

/** The table restricted to rows whose key is ≤ max: one key column, compared as an integer. */
export function withMaxKey(t: ResolvedTable, max: string): ResolvedTable {
  if (t.key.length !== 1) throw new SchemaError(`--max-key ${t.name}: its key has ${t.key.length} columns; a bound needs exactly one`);
  if (!/^-?\d+$/.test(max)) throw new SchemaError(`--max-key ${t.name}: ${JSON.stringify(max)} is not an integer`);
  return { ...t, maxKey: max };
}

export const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const pgName = (t: ResolvedTable | TableMapping) => `${q(t.postgres.schema)}.${q(t.postgres.table)}`;

interface PgAttr {
  name: string;
  type: string;
  collatable: boolean;
}

interface PgColumns {
  attrs: PgAttr[];
  pk: string[];
}

/**
 * Columns and primary keys of every table in one query: each round trip to PostgreSQL counts when
 * the database is slow (a copy under +300 ms of latency spent 15 of its 16 s on three catalogue
 * queries per table).
 */
async function pgColumnsAll(client: pg.ClientBase, tables: readonly TableMapping[]): Promise<PgColumns[]> {
  const res = await client.query<{ oid: number | null; attrs: PgAttr[] | null; pk: string[] | null }>(
    `SELECT c.oid,
            (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'collatable', ty.typcollation <> 0) ORDER BY a.attnum)
               FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS attrs,
            (SELECT json_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum))
               FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
       FROM unnest($1::text[]) WITH ORDINALITY AS w(name, n)
       CROSS JOIN LATERAL (SELECT to_regclass(w.name)::oid AS oid) c
      ORDER BY w.n`,
    [tables.map(pgName)],
  );
  return tables.map((t, i) => {
    const row = res.rows[i];
    if (!row?.oid) throw new SchemaError(`PostgreSQL table ${t.postgres.schema}.${t.postgres.table} does not exist`);
    return { attrs: row.attrs ?? [], pk: row.pk ?? [] };
  });
}

/** Resolves every table against PostgreSQL in one round trip, in order (the first bad one throws). */
export async function resolveAllOnPostgres(client: pg.ClientBase, tables: readonly TableMapping[]): Promise<ResolvedTable[]> {
  const cols = await pgColumnsAll(client, tables);
  return tables.map((t, i) => resolveColumns(t, cols[i]!));
}

/** Resolves a table against PostgreSQL: the copy's source and the PostgreSQL checksum. */
export async function resolveOnPostgres(client: pg.ClientBase, t: TableMapping): Promise<ResolvedTable> {
  return (await resolveAllOnPostgres(client, [t]))[0]!;
}

function resolveColumns(t: TableMapping, { attrs, pk }: PgColumns): ResolvedTable {
  const byName = new Map(attrs.map((a) => [a.name, a]));
  // Shorthand (no columns): every column, sorted by name so a SQLite-only checksum lists them alike.
  const wanted = t.columns ?? [...attrs].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a) => ({ pg: a.name, sqlite: a.name, convert: defaultConversion(a.type) }));
  const columns = wanted.map((c): ResolvedColumn => {
    const a = byName.get(c.pg);
    if (!a) throw new SchemaError(`PostgreSQL table ${t.postgres.schema}.${t.postgres.table} has no column "${c.pg}" (it has ${attrs.map((x) => x.name).join(', ')})`);
    const def = CONVERSION_DEFS[c.convert];
    if (!def.accepts(a.type)) throw new SchemaError(`column ${t.postgres.table}.${c.pg} is ${a.type}: conversion ${c.convert} needs ${def.expected}`);
    return { pg: c.pg, sqlite: c.sqlite, convert: c.convert, bind: def.bind(a.type), pgSql: conversionSql(c.convert, c.pg, a.type), text: def.text(a) };
  });
  const keyNames = t.key ?? pk;
  if (keyNames.length === 0) throw new SchemaError(`PostgreSQL table ${t.postgres.schema}.${t.postgres.table} has no primary key: give "key" in the mapping`);
  return { name: t.sqlite.table, postgres: t.postgres, columns, key: keyIndexes(columns, keyNames, (c) => c.pg, t.sqlite.table) };
}

function keyIndexes(columns: ResolvedColumn[], names: string[], nameOf: (c: ResolvedColumn) => string, table: string): number[] {
  return names.map((k) => {
    const i = columns.findIndex((c) => nameOf(c) === k);
    if (i < 0) throw new SchemaError(`key column "${k}" of table "${table}" is not among its copied columns`);
    return i;
  });
}

interface SqliteCol {
  name: string;
  type: string;
  pk: number;
}

function sqliteColumns(db: BetterSqlite3.Database, table: string): SqliteCol[] {
  const cols = db.prepare(`SELECT name, type, pk FROM pragma_table_info(?)`).all(table) as SqliteCol[];
  if (cols.length === 0) throw new SchemaError(`SQLite table "${table}" does not exist in ${db.name} (the copy fills an existing schema; migrate the app's SQLite database first)`);
  return cols;
}

/** Checks that the SQLite side has the table and every mapped column (the copy does not create them). */
export function checkOnSqlite(db: BetterSqlite3.Database, t: ResolvedTable): void {
  const cols = sqliteColumns(db, t.name);
  const names = new Set(cols.map((c) => c.name));
  const missing = t.columns.filter((c) => !names.has(c.sqlite)).map((c) => c.sqlite);
  if (missing.length) throw new SchemaError(`SQLite table "${t.name}" has no column ${missing.map((m) => `"${m}"`).join(', ')} (it has ${[...names].join(', ')})`);
}

/** Resolves a table from SQLite alone (checksum --engine sqlite): stored values need no conversion. */
export function resolveOnSqlite(db: BetterSqlite3.Database, t: TableMapping): ResolvedTable {
  const cols = sqliteColumns(db, t.sqlite.table);
  const wanted = t.columns ?? [...cols].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => ({ pg: c.name, sqlite: c.name, convert: 'none' as Conversion }));
  const columns = wanted.map((c): ResolvedColumn => ({ pg: c.pg, sqlite: c.sqlite, convert: c.convert, bind: 'text', text: true }));
  const resolved: ResolvedTable = { name: t.sqlite.table, postgres: t.postgres, columns, key: [] };
  checkOnSqlite(db, resolved);
  const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const keyNames = t.key ?? pk;
  if (keyNames.length === 0) throw new SchemaError(`SQLite table "${t.sqlite.table}" has no primary key: give "key" in the mapping`);
  // Mapping keys name PostgreSQL columns; a SQLite primary key names SQLite ones.
  resolved.key = t.key ? keyIndexes(columns, keyNames, (c) => c.pg, t.sqlite.table) : keyIndexes(columns, keyNames, (c) => c.sqlite, t.sqlite.table);
  return resolved;
}

/** The converted rows of a table in key order, as PostgreSQL COPY text. */
export function pgCopySql(t: ResolvedTable): string {
  const order = t.key.map((i) => {
    const c = t.columns[i]!;
    return c.text ? `(${c.pgSql}) COLLATE "C"` : `(${c.pgSql})`;
  });
  const where = t.maxKey === undefined ? '' : ` WHERE ${q(t.columns[t.key[0]!]!.pg)} <= ${t.maxKey}`;
  return `COPY (SELECT ${t.columns.map((c) => c.pgSql).join(', ')} FROM ${pgName(t)}${where} ORDER BY ${order.join(', ')}) TO STDOUT`;
}

/** The stored rows of a table in key order (BINARY: whatever collation the app declared). */
export function sqliteSelectSql(t: ResolvedTable): string {
  const where = t.maxKey === undefined ? '' : ` WHERE ${q(t.columns[t.key[0]!]!.sqlite)} <= ${t.maxKey}`;
  return `SELECT ${t.columns.map((c) => q(c.sqlite)).join(', ')} FROM ${q(t.name)}${where} ORDER BY ${t.key.map((i) => `${q(t.columns[i]!.sqlite)} COLLATE BINARY`).join(', ')}`;
}

/** Session settings that make every 'none' value's text form independent of the server's defaults. */
export const PG_SESSION_SQL = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'; SET client_encoding = 'UTF8'";
/** The session settings, then a read-only snapshot: one round trip (a simple query may hold several statements). */
export const PG_SNAPSHOT_SQL = `${PG_SESSION_SQL}; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`;
