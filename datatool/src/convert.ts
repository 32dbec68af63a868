// Each conversion is done once, in SQL on the PostgreSQL side of the COPY: the COPY text it emits is
// then both what is written into SQLite and what the PostgreSQL checksum hashes, so "converted
// values" mean the same thing on both sides. The worker only decides how a field is bound
// (integer or text) so that SQLite stores integers as integers whatever the column's affinity.
import type { Conversion } from './mapping.ts';

export type Bind = 'text' | 'integer' | 'real';

export interface PgColumnType {
  /** format_type() of the column, e.g. "timestamp with time zone", "character varying(20)". */
  type: string;
  /** The type has a collation (text-like): ordered with COLLATE "C" to match SQLite's BINARY order. */
  collatable: boolean;
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const INTEGER_TYPES = /^(smallint|integer|bigint)$/;
const REAL_TYPES = /^(real|double precision)$/;
const TIMESTAMP = /^timestamp\(?\d*\)? with(out)? time zone$/;
// to_char of a UTC timestamp as JavaScript's Date.prototype.toISOString writes it (millisecond precision).
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

interface ConversionDef {
  accepts: (type: string) => boolean;
  expected: string;
  sql: (col: string, type: string) => string;
  bind: (type: string) => Bind;
  /** The converted value is text (ordered with COLLATE "C"). */
  text: (t: PgColumnType) => boolean;
}

const utc = (col: string, type: string) => (type.includes('without') ? col : `(${col} AT TIME ZONE 'UTC')`);

export const CONVERSION_DEFS: Record<Conversion, ConversionDef> = {
  none: {
    accepts: () => true,
    expected: 'any type',
    // float4 prints its own shortest digits; as float8 it prints what SQLite's REAL will hold.
    sql: (c, type) => (type === 'real' ? `${c}::float8` : c),
    bind: (type) => (INTEGER_TYPES.test(type) ? 'integer' : REAL_TYPES.test(type) ? 'real' : 'text'),
    text: (t) => t.collatable,
  },
  'jsonb-text': { accepts: (t) => t === 'jsonb' || t === 'json', expected: 'json or jsonb', sql: (c) => `${c}::text`, bind: () => 'text', text: () => true },
  'timestamptz-iso': { accepts: (t) => TIMESTAMP.test(t), expected: 'a timestamp', sql: (c, t) => `to_char(${utc(c, t)}, ${ISO})`, bind: () => 'text', text: () => true },
  // extract() returns numeric (exact) on PostgreSQL 14+: no float rounding in the epoch.
  'timestamptz-epoch-ms': { accepts: (t) => TIMESTAMP.test(t), expected: 'a timestamp', sql: (c) => `floor(extract(epoch FROM ${c}) * 1000)::bigint`, bind: () => 'integer', text: () => false },
  'timestamptz-epoch-s': { accepts: (t) => TIMESTAMP.test(t), expected: 'a timestamp', sql: (c) => `floor(extract(epoch FROM ${c}))::bigint`, bind: () => 'integer', text: () => false },
  'boolean-int': { accepts: (t) => t === 'boolean', expected: 'boolean', sql: (c) => `${c}::int`, bind: () => 'integer', text: () => false },
  'bigint-integer': { accepts: (t) => INTEGER_TYPES.test(t), expected: 'smallint, integer or bigint', sql: (c) => `${c}::bigint`, bind: () => 'integer', text: () => false },
  'numeric-text': { accepts: (t) => /^numeric/.test(t), expected: 'numeric', sql: (c) => `${c}::text`, bind: () => 'text', text: () => true },
};

/** The conversion a column gets when the mapping lists no columns for its table. */
export function defaultConversion(type: string): Conversion {
  if (type === 'boolean') return 'boolean-int';
  if (type === 'json' || type === 'jsonb') return 'jsonb-text';
  if (TIMESTAMP.test(type)) return 'timestamptz-iso';
  if (/^numeric/.test(type)) return 'numeric-text';
  return 'none';
}

export function conversionSql(conv: Conversion, column: string, type: string): string {
  return CONVERSION_DEFS[conv].sql(q(column), type);
}
