// Where a register's post-restore writes landed, counted in keys: a key holding one of those values
// in the SQLite file, in PostgreSQL, or in both (a data recovery's copy is not "only in SQLite").
import { describe, expect, it } from 'vitest';
import type { RegisterWriteRecord } from '../model/measurements.ts';
import { registerLandedAfter, type RegisterReadBack } from './register-read-back.ts';

const ack = (key: string, value: string): RegisterWriteRecord => ({ key, value, seq: 0, startedAt: 100, endedAt: 110, outcome: 'ok', status: 204, latencyMs: 10 });
const post = [ack('theme', 'reg-9'), ack('locale', 'reg-10'), ack('beta', 'load-3')];
const rows = (r: Record<string, string>) => ({ rows: Object.entries(r).map(([key, value]) => ({ key, value })), otherKeys: 0, how: 'q' });

describe('registerLandedAfter', () => {
  it('counts the keys whose SQLite value is a post-restore write; PostgreSQL not running', () => {
    const rb: RegisterReadBack = { sqlite: rows({ theme: 'reg-9', locale: 'reg-10', beta: 'reg-1', motd: 'welcome' }), postgres: 'not running', apiErrors: 0 };
    expect(registerLandedAfter(post, rb, 8)).toEqual({
      acknowledged: 3, keys: 8, inSqlite: 2, onlyInSqlite: 2, inPostgres: null, sqliteHow: 'q', postgresState: 'not running (0 ready)', engineHeaders: { none: 3 },
    });
  });

  it('writes that went to PostgreSQL count there; a key with the same value in both was copied, not only in SQLite', () => {
    const rb: RegisterReadBack = { sqlite: rows({ theme: 'reg-9', locale: 'reg-10' }), postgres: rows({ theme: 'reg-9', beta: 'load-3' }), apiErrors: 0 };
    const d = registerLandedAfter(post, rb, 8);
    expect([d.inSqlite, d.onlyInSqlite, d.inPostgres]).toEqual([2, 1, 2]);
  });

  it('an unreadable file is null with the reason, never 0', () => {
    const d = registerLandedAfter(post, { sqlite: new Error('sqlite3 exit 127'), postgres: new Error('psql exit 2'), apiErrors: 0 }, 8);
    expect([d.inSqlite, d.onlyInSqlite, d.inPostgres]).toEqual([null, null, null]);
    expect(d.sqliteHow).toBe('not readable: sqlite3 exit 127');
    expect(d.postgresState).toBe('not readable: psql exit 2');
  });
});
