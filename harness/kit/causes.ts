// Causes beside a failed premise or verdict, read from outside the app's own verdict: the distinct
// answers of the requests that failed, and the telling lines its pods (and PostgreSQL's) logged
// while it was measured — errors with their SQLSTATEs, de-duplicated, newest logs only (a cursor
// taken before the measurement), so a person sees `42703 column "tool_name" … does not exist`
// next to the check instead of digging through artifacts/.
import type { Causes } from '../model/journal-events.ts';
import type { Platform, PodLog } from '../model/platform.ts';

/** Each container's log length when the cursor was taken: what it logged after is "new". */
export type LogCursor = ReadonlyMap<string, number>;

const keyOf = (l: Pick<PodLog, 'pod' | 'container'>) => `${l.pod}/${l.container}`;

export async function logCursor(platform: Pick<Platform, 'logs'>, namespace: string): Promise<LogCursor> {
  const logs = await platform.logs(namespace).catch(() => [] as PodLog[]);
  return new Map(logs.map((l) => [keyOf(l), l.text.length]));
}

/** What each container logged since `cursor` (a container that started since: all of it). */
export async function logsSince(platform: Pick<Platform, 'logs'>, namespace: string, cursor: LogCursor): Promise<PodLog[]> {
  const logs = await platform.logs(namespace).catch(() => [] as PodLog[]);
  return logs.map((l) => ({ ...l, text: l.text.slice(cursor.get(keyOf(l)) ?? 0) })).filter((l) => l.text.trim() !== '');
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const ERROR_WORD = /\b(ERROR|FATAL|PANIC|Error|error|failed|Failed|exception|Exception)\b/;

/** Every `code` that looks like a SQLSTATE, and the first `message`, anywhere in a parsed log record. */
function scan(v: unknown, out: { codes: Set<string>; message?: string; routine?: string }, depth = 0): void {
  if (depth > 6 || v === null || typeof v !== 'object') return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'code' && typeof x === 'string' && SQLSTATE.test(x)) out.codes.add(x);
    else if (k === 'message' && typeof x === 'string' && out.message === undefined) out.message = x;
    else if (k === 'routine' && typeof x === 'string') out.routine ??= x;
    else if (typeof x === 'object') scan(x, out, depth + 1);
  }
}

/**
 * One log line as a cause, or null when it tells nothing: a JSON record (pino, bunyan) at error
 * level or carrying an error, as its message with the SQLSTATEs in it; a plain line with an error
 * word, without its timestamp and process id.
 */
export function tellingLine(raw: string): string | null {
  const line = raw.trim();
  if (line.startsWith('{')) {
    try {
      const rec = JSON.parse(line) as Record<string, unknown>;
      const level = rec.level;
      const isError = (typeof level === 'number' && level >= 50) || level === 'error' || level === 'fatal' || rec.error !== undefined || rec.err !== undefined;
      if (!isError) return null;
      const found: { codes: Set<string>; message?: string; routine?: string } = { codes: new Set() };
      scan(rec, found);
      const msg = typeof rec.msg === 'string' ? rec.msg : typeof rec.message === 'string' ? rec.message : (found.message ?? 'error');
      const codes = [...found.codes].map((c) => `SQLSTATE ${c}`);
      return [msg, ...codes, ...(found.routine && codes.length ? [found.routine] : [])].join(' · ');
    } catch {
      // Not JSON after all: judged as a plain line.
    }
  }
  if (!ERROR_WORD.test(line)) return null;
  // "2026-12-06 03:01:35.741 UTC [5205] ERROR:  column …" → "ERROR: column …"
  return line
    .replace(/^\d{4}-\d\d-\d\d[ T][\d:.]+( ?[A-Z]{2,5}|Z)?\s*/, '')
    .replace(/^\[\d+\]\s*/, '')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

/** The same cause however often it was logged: numbers and quoted parameters do not make it new. */
const shape = (line: string) => line.replace(/\d+/g, '#');

/**
 * The telling lines of these logs, de-duplicated with their counts, most frequent first, at most
 * `max`. `file` maps a container to its full log under the run folder, where the platform keeps one.
 */
export function tellingLines(logs: readonly PodLog[], o: { max?: number; file?: (l: PodLog) => string | undefined } = {}): NonNullable<Causes['logs']> {
  const seen = new Map<string, { pod: string; line: string; count: number; file?: string }>();
  for (const l of logs)
    for (const raw of l.text.split('\n')) {
      const line = tellingLine(raw);
      if (line === null) continue;
      const k = shape(line);
      const hit = seen.get(k);
      if (hit) hit.count++;
      else {
        const file = o.file?.(l);
        seen.set(k, { pod: l.pod, line, count: 1, ...(file ? { file } : {}) });
      }
    }
  // A database's own word first (a SQLSTATE, PostgreSQL's ERROR line), then the most frequent.
  const weight = (line: string) => (/SQLSTATE [0-9A-Z]{5}/.test(line) ? 2 : 0) + (/^(ERROR|FATAL|PANIC):/.test(line) ? 1 : 0);
  return [...seen.values()].sort((a, b) => weight(b.line) - weight(a.line) || b.count - a.count).slice(0, o.max ?? 5);
}

/** The distinct answers (request, status, body trimmed to one line) with their counts, most frequent first. */
export function distinctAnswers(answers: readonly { request: string; status: number; body: string }[], max = 5): NonNullable<Causes['answers']> {
  const seen = new Map<string, { request: string; status: number; body: string; count: number }>();
  for (const a of answers) {
    const body = a.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    const k = `${a.request}\n${a.status}\n${shape(body)}`;
    const hit = seen.get(k);
    if (hit) hit.count++;
    else seen.set(k, { request: a.request, status: a.status, body, count: 1 });
  }
  return [...seen.values()].sort((a, b) => b.count - a.count).slice(0, max);
}

/** Causes with nothing in them are left out of the journal. */
export function causesOf(c: Causes): Causes | undefined {
  const out: Causes = {
    ...(c.answers?.length ? { answers: c.answers } : {}),
    ...(c.logs?.length ? { logs: c.logs } : {}),
    ...(c.fix ? { fix: c.fix } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
