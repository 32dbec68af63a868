// A read-only SELECT on the SQLite file from the drill's own data-tool image (a Job mounting the
// SQLite claim at /data), for apps whose image has no sqlite3 to exec (the settings app: node only).
// The image has node and better-sqlite3 (its WORKDIR holds the data tool's node_modules); the query
// runs through them and prints one marked JSON line, turned back into sqlite3's list-mode text
// (`a|b` per row, NULL empty) so callers parse one format. A `drill-data query` command would
// replace the inline script.
import { z } from 'zod';
import { DATA_TOOL_IMAGE } from './topology.ts';
import type { Platform } from '../model/platform.ts';
import { cliJob } from './jobs.ts';

const MARK = 'DRILL-SQLITE-ROWS ';

/** argv[1] the file, argv[2] the SQL (never through a shell); readonly, waits up to 10 s on a lock. */
const SCRIPT = [
  "const D = require('better-sqlite3');",
  'const db = new D(process.argv[1], { readonly: true, fileMustExist: true, timeout: 10000 });',
  'const rows = db.prepare(process.argv[2]).raw().all();',
  `process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify(rows) + '\\n');`,
].join(' ');

const Rows = z.array(z.array(z.union([z.string(), z.number(), z.null()])));

/** argv of the Job's container. */
export function sqliteQueryCommand(file: string, sql: string): string[] {
  return ['node', '-e', SCRIPT, file, sql];
}

/** The marked line of the Job's logs as sqlite3 list-mode text; an error naming what is wrong otherwise. */
export function parseQueryLogs(logs: string): string {
  const line = logs.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`no result line (${logs.trim().split('\n').pop()?.slice(0, 200) ?? 'no output'})`);
  const rows = Rows.safeParse(JSON.parse(line.slice(MARK.length)));
  if (!rows.success) throw new Error(`result line: ${rows.error.issues[0]!.path.join('.')} ${rows.error.issues[0]!.message}`);
  return rows.data.map((r) => r.map((v) => (v === null ? '' : String(v))).join('|')).join('\n') + (rows.data.length ? '\n' : '');
}

export async function sqliteQueryJob(platform: Platform, file: string, sql: string, signal?: AbortSignal): Promise<{ stdout: string; how: string }> {
  const name = `drill-sqlite-read-${Date.now().toString(36)}`;
  const res = await platform.runJob(cliJob({ name, image: DATA_TOOL_IMAGE, args: [], command: sqliteQueryCommand(file, sql) }), { timeoutMs: 60_000, signal });
  if (!res.succeeded) throw new Error(`Job ${name} (${DATA_TOOL_IMAGE}) exit ${res.exitCode}: ${res.logs.trim().split('\n').pop()?.slice(0, 200) ?? ''}`);
  return { stdout: parseQueryLogs(res.logs), how: `better-sqlite3 (readonly) on ${file} in Job ${name} (${DATA_TOOL_IMAGE})` };
}
