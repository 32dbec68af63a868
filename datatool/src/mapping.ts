// The schema mapping between the two engines, as a user writes it (JSON or YAML) and as the target
// profile embeds it. A table whose schemas are the same needs only its name; otherwise it names
// its PostgreSQL and SQLite tables, its key columns and each copied column with its conversion.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';

/** How a PostgreSQL value becomes the value stored in SQLite (see convert.ts for each). */
export const CONVERSIONS = [
  'none',
  'jsonb-text',
  'timestamptz-iso',
  'timestamptz-epoch-ms',
  'timestamptz-epoch-s',
  'boolean-int',
  'bigint-integer',
  'numeric-text',
] as const;
export const ConversionSchema = z.enum(CONVERSIONS);
export type Conversion = z.infer<typeof ConversionSchema>;

// Identifiers are quoted everywhere they are used; the limit is PostgreSQL's NAMEDATALEN.
const Ident = z.string().min(1).max(63);

export const ColumnMappingSchema = z.union([
  Ident,
  z.strictObject({
    pg: Ident,
    /** Defaults to the PostgreSQL name. */
    sqlite: Ident.optional(),
    convert: ConversionSchema.default('none'),
  }),
]);

export const TableMappingSchema = z.union([
  Ident,
  z
    .strictObject({
      /** Same table name on both engines (shorthand for postgres.table and sqlite.table). */
      name: Ident.optional(),
      postgres: z.union([Ident, z.strictObject({ table: Ident, schema: Ident.default('public') })]).optional(),
      sqlite: z.union([Ident, z.strictObject({ table: Ident })]).optional(),
      /** PostgreSQL names of the key columns (default: the PostgreSQL primary key). */
      key: z.array(Ident).min(1).optional(),
      /** Copied columns (default: every PostgreSQL column, same name in SQLite, conversion by type). */
      columns: z.array(ColumnMappingSchema).min(1).optional(),
    })
    .refine((t) => t.name !== undefined || t.postgres !== undefined, { message: 'a table needs "name" or "postgres"' }),
]);

export const MappingSchema = z.strictObject({ tables: z.array(TableMappingSchema).min(1) });
export type MappingInput = z.input<typeof MappingSchema>;
export type Mapping = z.output<typeof MappingSchema>;

/** One table of a mapping with every shorthand spelled out (columns still optional: resolve.ts fills them from the catalog). */
export interface TableMapping {
  postgres: { schema: string; table: string };
  sqlite: { table: string };
  key?: string[];
  columns?: { pg: string; sqlite: string; convert: Conversion }[];
}

export class MappingError extends Error {}

export function normalizeMapping(m: Mapping): TableMapping[] {
  const tables = m.tables.map((t): TableMapping => {
    if (typeof t === 'string') return { postgres: { schema: 'public', table: t }, sqlite: { table: t } };
    const pgSide = typeof t.postgres === 'string' ? { schema: 'public', table: t.postgres } : (t.postgres ?? { schema: 'public', table: t.name! });
    const sqliteTable = typeof t.sqlite === 'string' ? t.sqlite : (t.sqlite?.table ?? t.name ?? pgSide.table);
    const columns = t.columns?.map((c) => (typeof c === 'string' ? { pg: c, sqlite: c, convert: 'none' as const } : { pg: c.pg, sqlite: c.sqlite ?? c.pg, convert: c.convert }));
    return { postgres: pgSide, sqlite: { table: sqliteTable }, ...(t.key ? { key: t.key } : {}), ...(columns ? { columns } : {}) };
  });
  const seen = new Set<string>();
  for (const t of tables) {
    if (seen.has(t.sqlite.table)) throw new MappingError(`mapping: SQLite table "${t.sqlite.table}" is mapped twice`);
    seen.add(t.sqlite.table);
    const names = new Set<string>();
    for (const c of t.columns ?? []) {
      if (names.has(c.sqlite)) throw new MappingError(`mapping: table "${t.sqlite.table}" maps two columns to SQLite column "${c.sqlite}"`);
      names.add(c.sqlite);
    }
    for (const k of t.key ?? [])
      if (t.columns && !t.columns.some((c) => c.pg === k)) throw new MappingError(`mapping: key column "${k}" of table "${t.sqlite.table}" is not among its mapped columns`);
  }
  return tables;
}

/** Parses a mapping document (YAML is a superset of JSON, so one parser reads both). */
export function parseMapping(text: string, source = 'mapping'): TableMapping[] {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new MappingError(`${source}: not valid JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const r = MappingSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new MappingError(`${source}: ${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`);
  }
  return normalizeMapping(r.data);
}

export function loadMapping(file: string): TableMapping[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MappingError(`mapping file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseMapping(text, file);
}

/** --tables a,b: keeps those tables (by SQLite or PostgreSQL name) in the mapping's order. */
export function selectTables(tables: TableMapping[], names: string[] | undefined): TableMapping[] {
  if (!names) return tables;
  for (const n of names)
    if (!tables.some((t) => t.sqlite.table === n || t.postgres.table === n)) throw new MappingError(`--tables: "${n}" is not in the mapping (it has ${tables.map((t) => t.sqlite.table).join(', ')})`);
  return tables.filter((t) => names.includes(t.sqlite.table) || names.includes(t.postgres.table));
}
