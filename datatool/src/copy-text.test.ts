import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../test-support/postgres.ts';
import { formatRow, parseLine, renderFloat } from './copy-text.ts';

describe('COPY text form', () => {
  it('parses what it formats, escapes included', () => {
    const row = ['a\tb\nc\\d\re\bf\fg\vh', null, 'plain', '\\N'];
    expect(parseLine(formatRow(row).slice(0, -1))).toEqual(row);
  });

  describe('doubles are rendered as PostgreSQL prints float8', () => {
    let server: TestPostgres;
    beforeAll(async () => void (server = await startPostgres()), 120_000);
    afterAll(async () => server?.[Symbol.asyncDispose]());

    it('for every exponent range, sign, zero and special value', async () => {
      const values = [0.1, -1e-7, 1e-4, 1.5e-5, 1e15, 999999999999999, 1e20, 1.2345678901234568e17, 123.456, -0, 0, 5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity, 1 / 3];
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      await c.query('SET extra_float_digits = 1');
      const { rows } = await c.query<{ v: string }>('SELECT unnest($1::float8[])::text AS v', [values.map((v) => (Object.is(v, -0) ? '-0' : String(v)))]);
      await c.end();
      expect(values.map(renderFloat)).toEqual(rows.map((r) => r.v));
    });
  });
});
