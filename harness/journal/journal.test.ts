import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, readJournal } from './journal.ts';
import { Redactor } from './redact.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'journal-'));
  dirs.push(d);
  return d;
}

describe('Redactor', () => {
  it('masks registered secrets, URL credentials and secret-named keys', () => {
    const r = new Redactor();
    r.add('s3cr3t-Pass');
    expect(r.text('password is s3cr3t-Pass!')).toBe('password is ***!');
    expect(r.text('postgresql://hyperpage:hunter22@127.0.0.1:5432/db')).toBe('postgresql://hyperpage:***@127.0.0.1:5432/db');
    expect(r.value({ POSTGRES_PASSWORD: 'x', nested: [{ token: 'abc', note: 'uses s3cr3t-Pass' }] })).toEqual({
      POSTGRES_PASSWORD: '***',
      nested: [{ token: '***', note: 'uses ***' }],
    });
  });
});

describe('Journal', () => {
  it('appends redacted events with context and reads them back, skipping a torn last line', async () => {
    const file = path.join(tmp(), 'run', 'journal.jsonl');
    const redactor = new Redactor();
    redactor.add('pw-123456');
    const j = new Journal(file, redactor);
    const seen: string[] = [];
    j.subscribe((e) => seen.push(e.type));
    j.setContext({ scenario: 'database-corruption', variant: 'seed' });
    j.write({ type: 'log', level: 'info', message: 'connect with pw-123456' });
    j.write({ type: 'marker', name: 'selector-switch' });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, '{"type":"log","lev');
    const events = readJournal(file);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'log', message: 'connect with ***', scenario: 'database-corruption', variant: 'seed' });
    expect(typeof events[1]!.t).toBe('number');
    expect(seen).toEqual(['log', 'marker']);
    expect(readFileSync(file, 'utf8')).not.toContain('pw-123456');
  });
});
