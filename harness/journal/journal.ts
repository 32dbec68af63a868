// Append-only JSONL journal of one run. Writes are synchronous appends so that an interrupted
// drill (SIGINT, crash) still leaves every event up to the interruption on disk.
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { type JournalEvent, type KnownEvent, type NewEvent } from '../model/journal-events.ts';
import { parseEvent, unknownEvent } from './parse-event.ts';
import { Redactor } from './redact.ts';

export class Journal {
  readonly file: string;
  readonly redactor: Redactor;
  readonly #listeners = new Set<(e: JournalEvent) => void>();
  #context: { scenario?: string; variant?: string } = {};

  constructor(file: string, redactor = new Redactor()) {
    this.file = file;
    this.redactor = redactor;
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Scenario/variant stamped on every following event until changed. */
  setContext(ctx: { scenario?: string; variant?: string }): void {
    this.#context = { ...ctx };
  }

  write(event: NewEvent): KnownEvent {
    const full = this.redactor.value({ ...this.#context, t: Date.now(), ...event }) as KnownEvent;
    appendFileSync(this.file, JSON.stringify(full) + '\n');
    for (const l of this.#listeners) l(full);
    return full;
  }

  /** Live view of events (terminal progress, allure). Returns an unsubscribe function. */
  subscribe(listener: (e: JournalEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Every event of a journal file, each validated against its schema: a line that does not match is
 * kept as an `unknown` event carrying the problem (the report warns about it), never a crash.
 */
export function readJournal(file: string): JournalEvent[] {
  if (!existsSync(file)) return [];
  const out: JournalEvent[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const last = lines.findLastIndex((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      // A torn last line from a killed writer is skipped; a broken line elsewhere is kept as unknown.
      if (i !== last) out.push(unknownEvent({}, i + 1, out.at(-1)?.t ?? 0, `not JSON: ${line.slice(0, 80)}`));
      continue;
    }
    out.push(parseEvent(raw, i + 1, out.at(-1)?.t));
  }
  return out;
}
