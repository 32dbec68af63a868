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

async function pgColumns(client: pg.ClientBase, t: TableMapping): Promise<{ attrs: PgAttr[]; pk: string[] }> {
  const rel = await client.query<{ oid: number | null }>('SELECT to_regclass($1)::oid AS oid', [pgName(t)]);
  const oid = rel.rows[0]?.oid;
  if (!oid) throw new SchemaError(`PostgreSQL table ${t.postgres.schema}.${t.postgres.table} does not exist`);
  const attrs = await client.query<PgAttr>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, ty.typcollation <> 0 AS collatable
       FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [oid],
  );
  const pk = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [oid],
  );
  return { attrs: attrs.rows, pk: pk.rows.map((r) => r.name) };
}

/** Resolves a table against PostgreSQL: the copy's source and the PostgreSQL checksum. */
export async function resolveOnPostgres(client: pg.ClientBase, t: TableMapping): Promise<ResolvedTable> {
  const { attrs, pk } = await pgColumns(client, t);
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
