// The engine probe of an app that names no engine: the request is the target's own write, and the
// probe is found only in rows that hold exactly its value (sqlite3 list mode / psql -tA text).
import { describe, expect, it } from 'vitest';
import { loadTarget } from '../targets/load.ts';
import { engineProbe, namesEngine } from './verify-engine.ts';

const reference = await loadTarget('reference');
const settings = await loadTarget('settings-app');

describe('engineProbe', () => {
  it('a register target: a unique value on its first key, looked for in the direct query rows', () => {
    const p = engineProbe(settings, 'r1');
    expect(p.request).toEqual({ method: 'PUT', path: '/v1/settings/theme', body: '{"value":"verify-engine-r1"}' });
    expect(p.sqliteSql).toBe(settings.workload.model === 'register' ? settings.workload.direct.sqlite : '');
    expect(p.found('locale|en\ntheme|verify-engine-r1\n')).toBe(true);
    expect(p.found('theme|dark\n')).toBe(false);
    // Another key holding the value is not the write.
    expect(p.found('locale|verify-engine-r1\n')).toBe(false);
  });

  it('a set target: a new key, counted by the key column on each engine', () => {
    const p = engineProbe(reference, 'r2');
    if (reference.workload.model !== 'set') throw new Error('reference is a set workload');
    const { sqlite, postgres } = reference.workload.readBack;
    expect(p.key).toContain('verify-engine-r2-');
    expect(p.sqliteSql).toBe(`SELECT COUNT(*) FROM ${sqlite.table} WHERE ${sqlite.column} = '${p.key}'`);
    expect(p.postgresSql).toBe(`SELECT COUNT(*) FROM ${postgres.table} WHERE ${postgres.column} = '${p.key}';\n`);
    expect(p.found('1\n')).toBe(true);
    expect(p.found('0\n')).toBe(false);
    expect(p.found('')).toBe(false);
  });

  it('a quote in a key is doubled in the SQL, not ending the string', () => {
    const p = engineProbe(reference, "o'k");
    expect(p.sqliteSql).toContain(`'${p.key.replaceAll("'", "''")}'`);
  });
});

describe('namesEngine', () => {
  it('the reference names its engine (header path kept); the settings app names none', () => {
    expect(namesEngine(reference)).toBe(true);
    expect(namesEngine(settings)).toBe(false);
  });
});
