import { TargetProfileError } from './errors.ts';
import { type RegisterWorkload, type TargetProfile } from '../model/target-profile.ts';
import { generateValue } from './values.ts';
import { fill } from './workload.ts';

/** The profile's register workload, or one line saying the profile has none. */
export function registerWorkload(t: Pick<TargetProfile, 'name' | 'workload'>): RegisterWorkload {
  if (t.workload.model !== 'register') throw new TargetProfileError(`target ${t.name} has a ${t.workload.model} workload, not a register one`);
  return t.workload;
}

/**
 * The keys a drill's ledger writes, leaving the others to the load: the last half (the first half
 * when the register has one key only, shared). A write with no answer (autocannon abandons its
 * in-flight requests when its duration ends) stays a legal value of its key for every later read,
 * so a key the load writes can leave no ledger write of it pinned: measured, 9 unanswered load
 * writes on 5 of 8 keys left 436 of 1,516 post-restore writes pinned in a settings-app drill.
 */
export function ledgerKeys(w: Pick<RegisterWorkload, 'keys'>): string[] {
  return w.keys.length < 2 ? [...w.keys] : w.keys.slice(Math.floor(w.keys.length / 2));
}

/** The request writing `value` to `key`: path URL-encoded, body JSON-escaped (quotes included). */
export function registerWriteRequest(w: RegisterWorkload, key: string, value: string): { method: RegisterWorkload['write']['method']; path: string; body: string } {
  return { method: w.write.method, path: fill(w.write.path, { key }, encodeURIComponent), body: fill(w.write.body, { key, value }, (v) => JSON.stringify(v)) };
}

export function registerReadPath(w: RegisterWorkload, key: string): string {
  return fill(w.read.path, { key }, encodeURIComponent);
}

/** argv that prints the register from a SQLite file, read-only (run by exec in a pod that mounts it). */
export function sqliteDirectCommand(w: RegisterWorkload, file: string): string[] {
  return ['sqlite3', '-readonly', '-cmd', '.timeout 10000', file, w.direct.sqlite];
}

/** SQL for `psql -qtA` on stdin (faults/psql.ts): the same `key|value` rows. */
export function postgresDirectSql(w: RegisterWorkload): string {
  return `${w.direct.postgres.replace(/;\s*$/, '')};\n`;
}

export interface DirectRows {
  /** One entry per row of a workload key (a key stored twice appears twice). */
  rows: { key: string; value: string }[];
  /** Rows of keys the workload does not write (other settings of the app), ignored. */
  otherKeys: number;
}

/**
 * Parses what `sqlite3` (list mode) and `psql -tA` print: `key|value` per line. The key is split off
 * at the first `|` (keys cannot hold one), so a value may contain `|`. Both tools print NULL as an
 * empty field: read as the empty string. A line without `|` means the query is not (key, value).
 */
export function parseDirectRows(w: RegisterWorkload, stdout: string): DirectRows {
  const keys = new Set(w.keys);
  const rows: DirectRows['rows'] = [];
  let otherKeys = 0;
  for (const line of stdout.split('\n')) {
    if (line.length === 0) continue;
    const bar = line.indexOf('|');
    if (bar < 0) throw new Error(`direct read: a row without "key|value": ${JSON.stringify(line.slice(0, 80))} (the profile's query must return two columns, key then value)`);
    const key = line.slice(0, bar);
    if (keys.has(key)) rows.push({ key, value: line.slice(bar + 1) });
    else otherKeys++;
  }
  return { rows, otherKeys };
}

/**
 * Register write `n`'s value: a token unique in the run (`<prefix><n>:`, so no token is another's
 * start) followed, where the profile gives the register's domain, by generated text (kit/values.ts)
 * fitted to the rest of it. A value read back that is not exactly one written is caught by the
 * register rule, whatever it lost.
 */
export function registerValue(w: RegisterWorkload, prefix: string, n: number, valueSeed = 0): string {
  if (!w.value) return `${prefix}${n}`;
  const token = `${prefix}${n}:`;
  return token + String(generateValue(w.value, valueSeed, prefix, n, 'value', token.length).value);
}
