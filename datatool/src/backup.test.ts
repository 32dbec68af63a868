// drill-data backup on a live SQLite file: a consistent copy taken while another connection keeps
// writing, checked on the copy (integrity, rows, checksums equal to the source's at the same rows).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { drillData, jsonLine } from '../test-support/cli.ts';
import { createSqlite, MAPPING } from '../test-support/schema.ts';
import { BackupResultSchema } from './result.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'datatool-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seeded(name: string, settings: number): string {
  const file = path.join(dir, name);
  createSqlite(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const ins = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < settings; i++) ins.run(`k${i}`, `v${i}`);
  })();
  db.close();
  return file;
}

describe('drill-data backup', () => {
  it('copies a WAL-mode file written meanwhile by another process: integrity ok, every committed row, the source\'s checksum', async () => {
    const file = seeded('live.db', 5000);
    const writer = new Database(file);
    // Committed before the backup starts: must be in the copy (they sit in the WAL, not the main file).
    writer.prepare("INSERT INTO settings (key, value) VALUES ('late', 'x')").run();
    const to = path.join(dir, 'live-backup.db');
    const r = await drillData(['backup', '--from', file, '--to', to, '--mapping-json', JSON.stringify(MAPPING), '--json']);
    writer.close();
    expect(r.code, r.stderr).toBe(0);
    const out = BackupResultSchema.parse(jsonLine(r));
    expect(out.ok).toBe(true);
    expect(out.integrity).toBe('ok');
    expect(out.tables.find((t) => t.table === 'settings')?.rows).toBe(5001);
    const src = await drillData(['checksum', '--engine', 'sqlite', '--db', file, '--mapping-json', JSON.stringify(MAPPING), '--json']);
    const srcSum = (jsonLine(src) as { tables: { table: string; checksum: string }[] }).tables;
    expect(out.tables.map((t) => t.checksum)).toEqual(srcSum.map((t) => t.checksum));
  });

  it('a file that is not SQLite: exit 2, one line, no copy claimed', async () => {
    const bad = path.join(dir, 'not.db');
    writeFileSync(bad, 'hello, not a database '.repeat(200));
    const r = await drillData(['backup', '--from', bad, '--to', path.join(dir, 'x.db'), '--mapping-json', JSON.stringify(MAPPING), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a readable SQLite database');
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
