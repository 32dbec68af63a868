// Append-only JSONL journal of one run. Writes are synchronous appends so that an interrupted
// drill (SIGINT, crash) still leaves every event up to the interruption on disk.
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { JournalEvent } from './events.ts';
import { Redactor } from './redact.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewEvent = DistributiveOmit<JournalEvent, 't'> & { t?: number };

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

  write(event: NewEvent): JournalEvent {
    const full = this.redactor.value({ ...this.#context, t: Date.now(), ...event }) as JournalEvent;
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

export function readJournal(file: string): JournalEvent[] {
  if (!existsSync(file)) return [];
  const out: JournalEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEvent);
    } catch {
      // A torn last line from a killed writer is skipped, not fatal.
    }
  }
  return out;
}
