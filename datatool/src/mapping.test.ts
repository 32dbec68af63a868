import { describe, expect, it } from 'vitest';
import { MappingError, parseMapping, selectTables } from './mapping.ts';
import { redact, rememberSecretsOf } from './redact.ts';

describe('mapping', () => {
  it('a table with the same schema on both engines needs only its name (JSON or YAML)', () => {
    const expected = [{ postgres: { schema: 'public', table: 'users' }, sqlite: { table: 'users' } }];
    expect(parseMapping('{"tables": ["users"]}')).toEqual(expected);
    expect(parseMapping('tables:\n  - users\n')).toEqual(expected);
    expect(parseMapping('tables:\n  - name: users\n')).toEqual(expected);
  });

  it('spells out renames, schemas, keys and conversions', () => {
    const [t] = parseMapping(`
tables:
  - postgres: { schema: app, table: tool_configs }
    sqlite: tool_configs
    key: [key]
    columns:
      - { pg: key, sqlite: tool_name }
      - { pg: config, convert: jsonb-text }
      - enabled
`);
    expect(t).toEqual({
      postgres: { schema: 'app', table: 'tool_configs' },
      sqlite: { table: 'tool_configs' },
      key: ['key'],
      columns: [
        { pg: 'key', sqlite: 'tool_name', convert: 'none' },
        { pg: 'config', sqlite: 'config', convert: 'jsonb-text' },
        { pg: 'enabled', sqlite: 'enabled', convert: 'none' },
      ],
    });
  });

  it('rejects what cannot be right, naming where', () => {
    const bad: [string, RegExp][] = [
      ['tables: []', /tables/],
      ['tables:\n  - { postgres: a, columns: [{ pg: x, convert: float-magic }] }', /tables\.0\.columns\.0\.convert|Invalid/],
      ['tables:\n  - { sqlite: a }', /needs "name" or "postgres"/],
      ['tables:\n  - a\n  - { postgres: b, sqlite: a }', /SQLite table "a" is mapped twice/],
      ['tables:\n  - { name: a, key: [id], columns: [x] }', /key column "id" of table "a" is not among its mapped columns/],
      ['tables:\n  - { name: a, columns: [{ pg: x, sqlite: y }, { pg: z, sqlite: y }] }', /two columns to SQLite column "y"/],
      ['tables: [', /not valid JSON or YAML/],
    ];
    for (const [text, message] of bad) expect(() => parseMapping(text), text).toThrow(message);
    expect(() => parseMapping('tables: []')).toThrow(MappingError);
  });

  it('--tables keeps the named tables by either name and refuses an unknown one', () => {
    const tables = parseMapping('tables:\n  - a\n  - { postgres: pb, sqlite: b }\n  - c\n');
    expect(selectTables(tables, ['c', 'pb']).map((t) => t.sqlite.table)).toEqual(['b', 'c']);
    expect(() => selectTables(tables, ['zz'])).toThrow('--tables: "zz" is not in the mapping (it has a, b, c)');
  });
});

describe('redact', () => {
  it('masks passwords in URLs, keyword strings and wherever a remembered one appears', () => {
    expect(redact('at postgresql://app:s3cr%40t@db:5432/x failed')).toBe('at postgresql://app:***@db:5432/x failed');
    expect(redact("host=db password='a b' user=x")).toBe('host=db password=*** user=x');
    rememberSecretsOf('postgres://u:hunter22@h/d');
    expect(redact('server said: hunter22 is wrong')).toBe('server said: *** is wrong');
  });
});
