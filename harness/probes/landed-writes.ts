// Where the drill's writes actually landed, read from the databases themselves through the platform
// (exec into the pod that holds them), never through the app under drill: the SQLite file the
// rollback targeted, and PostgreSQL where it still answers. The app's own read-back is a second,
// user-visible check; verdicts on data and engine rest on this one.
import { TOPOLOGY } from '../kit/topology.ts';
import type { Coverage, LandedRead } from '../model/measurements.ts';
import { psql } from '../kit/psql.ts';
import type { Platform } from '../model/platform.ts';
import type { z } from 'zod';
import type { KeyColumnSchema } from '../model/target-profile.ts';

/** Table and key column (validated SQL identifiers: the profile's schema checks them). */
type KeyColumn = z.output<typeof KeyColumnSchema>;

/** Key prefixes are the drill's own (`ledger-<run>-`, `load-<run>-`): letters, digits and dashes only. */
function globs(prefixes: readonly string[]): readonly string[] {
  for (const p of prefixes) if (!/^[A-Za-z0-9_.-]+$/.test(p)) throw new Error(`unsafe key prefix ${JSON.stringify(p)}`);
  return prefixes;
}

/** Columns read beside the key: each field's column, by field name (the profile's `fields`). */
export type FieldColumns = Readonly<Record<string, string>>;

// Each value as the hex of its bytes, so any text (line breaks, `|`, invalid UTF-8) comes back whole;
// 'NULL' is no hex, so a NULL stays apart from an empty text.
const sqliteHex = (c: string) => `CASE WHEN ${c} IS NULL THEN 'NULL' ELSE hex(${c}) END`;
const postgresHex = (c: string) => `CASE WHEN ${c} IS NULL THEN 'NULL' ELSE encode(convert_to(${c}::text, 'UTF8'), 'hex') END`;

/** Every key with one of the prefixes (the profile's table and column), from the SQLite file as the SQLite pods see it (read-only); with `fields`, their stored bytes too. */
export async function readSqliteKeys(
  platform: Platform,
  deployment: string,
  prefixes: readonly string[],
  where_: KeyColumn,
  opts: { namespace?: string; sqlitePath?: string; signal?: AbortSignal; fields?: FieldColumns } = {},
): Promise<LandedRead> {
  const file = opts.sqlitePath ?? TOPOLOGY.sqlitePath;
  // GLOB, not LIKE: case-sensitive and `_` is not a wildcard.
  const where = globs(prefixes).map((p) => `${where_.column} GLOB '${p}*'`).join(' OR ');
  const cols = Object.values(opts.fields ?? {}).map(sqliteHex);
  const sql = `SELECT ${[where_.column, ...cols].join(', ')} FROM ${where_.table} WHERE ${where};`;
  const r = await platform.exec(opts.namespace ?? TOPOLOGY.namespace, deployment, ['sqlite3', '-readonly', '-cmd', '.timeout 10000', file, sql], {
    timeoutMs: 60_000,
    signal: opts.signal,
  });
  if (r.exitCode !== 0) throw new Error(`sqlite3 in ${deployment} exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}`);
  return { ...rowsOf(r.stdout, opts.fields), how: `sqlite3 -readonly ${file} in deployment/${deployment}` };
}

/** Every key with one of the prefixes (the profile's table and column) on PostgreSQL, as its owner through the pod's socket; with `fields`, their stored bytes too. */
export async function readPostgresKeys(platform: Platform, prefixes: readonly string[], where_: KeyColumn, opts: { signal?: AbortSignal; fields?: FieldColumns } = {}): Promise<LandedRead> {
  const where = globs(prefixes).map((p) => `starts_with(${where_.column}, '${p}')`).join(' OR ');
  const cols = Object.values(opts.fields ?? {}).map(postgresHex);
  const out = await psql({ platform, signal: opts.signal }, `SELECT ${[where_.column, ...cols].join(', ')} FROM ${where_.table} WHERE ${where};\n`, { timeoutMs: 60_000 });
  return { ...rowsOf(out, opts.fields), how: `psql in deployment/${TOPOLOGY.postgresDeployment}` };
}

/** `key|hex|hex…` lines: the key (which may hold `|`) is all but the last fields. */
export function rowsOf(out: string, fields: FieldColumns | undefined): Pick<LandedRead, 'keys' | 'values'> {
  const names = Object.keys(fields ?? {});
  const rows = out.split('\n').filter((l) => l.length > 0);
  if (names.length === 0) return { keys: rows };
  const keys: string[] = [];
  const values: Record<string, string | null>[] = [];
  for (const line of rows) {
    const parts = line.split('|');
    const hex = parts.splice(parts.length - names.length);
    keys.push(parts.join('|'));
    values.push(Object.fromEntries(names.map((n, i) => [n, hex[i] === 'NULL' || hex[i] === undefined ? null : hex[i].toLowerCase()])));
  }
  return { keys, values };
}

export function detectableLossRate(n: number, confidence = 0.95): number {
  return n <= 0 ? 1 : 1 - Math.pow(1 - confidence, 1 / n);
}

/**
 * Coverage of the restored engine: acknowledged writes per serving pod. Pods are named by the app
 * (the profile's pod header); an app that names none counts as one pod per ready replica sharing the writes evenly
 * (stated in the evidence). The per-pod minimum never exceeds an even share over the replicas the
 * platform reports ready, so an app naming fewer pods than serve cannot inflate its coverage.
 */
export function coverage(okPods: readonly (string | undefined)[], readyPods: number, minRequired: number): Coverage {
  const okByPod: Record<string, number> = {};
  let unnamed = 0;
  for (const p of okPods) {
    if (p) okByPod[p] = (okByPod[p] ?? 0) + 1;
    else unnamed++;
  }
  const podsNamed = unnamed === 0 && Object.keys(okByPod).length > 0;
  if (!podsNamed && unnamed > 0) {
    const k = Math.max(1, readyPods);
    for (let i = 0; i < k; i++) okByPod[`replica-${i + 1} (estimated)`] = Math.floor(unnamed / k);
  }
  const counts = Object.values(okByPod);
  const evenShare = Math.floor(okPods.length / Math.max(1, readyPods));
  const minPerPod = counts.length ? Math.min(evenShare, ...counts) : 0;
  return { okByPod, minPerPod, detectableLossRate: detectableLossRate(minPerPod), minRequired, sufficient: minPerPod >= minRequired, podsNamed };
}
