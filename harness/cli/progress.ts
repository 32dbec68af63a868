// Live progress of a drill, read from the run's journal as it grows (the suites run in vitest's
// workers and write nothing else the CLI can see). On a terminal: finished events as lines and a
// live status line for the step in flight (elapsed vs budget). Not a TTY, or CI: plain lines only.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { type Causes, type JournalEvent } from '../model/journal-events.ts';
import { parseEvent } from '../journal/parse-event.ts';

const s = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/** One line for an event worth showing, or undefined. */
export function describeEvent(e: JournalEvent): string | undefined {
  const where = e.scenario ? `${e.scenario}/${e.variant ?? '-'}` : '';
  switch (e.type) {
    case 'scenario.start':
      return `■ ${where}: ${e.method} rollback, budget ${s(e.budgetMs)}, fault ${e.fault}, validation ${e.validation}`;
    case 'phase.start':
      return `  ▶ ${e.phase}`;
    case 'step.end':
      return `    ${e.outcome === 'ok' ? '✓' : '✗'} ${e.procedure}: ${e.step} ${s(e.durationMs)} / ${s(e.budgetMs)}${e.durationMs > e.budgetMs ? ' OVER BUDGET' : ''}${e.outcome !== 'ok' && e.message ? ` — ${e.message.slice(0, 160)}` : ''}`;
    case 'fault.effective':
    case 'fault.not-effective':
      return `    ${e.type === 'fault.effective' ? '⚡' : '✗ fault NOT effective:'} ${e.fault}: ${e.detail}`;
    case 'unknown':
      return `  ⚠ journal line ${e.line} is no valid event: ${e.problem.slice(0, 200)}`;
    case 'probe.summary':
      if (e.probe === 'load') {
        const l = e.summary;
        // An open-loop phase: its corrected p99 (what performance judges) and the rate it held.
        if (l.rate && l.corrected) return `    load ${l.phase} (open loop): corrected p99 ${l.corrected.p99} ms (from the send ${l.p99} ms), ${l.rate.achieved} of ${l.rate.target} req/s answered, ${l.rate.late} late`;
        return `    load ${l.phase} (closed loop): p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.rps} req/s`;
      }
      return undefined;
    case 'check':
      // The runbook's premises, as the preflight decides them (the procedures' checks show as their steps).
      if (e.procedure !== 'preflight') return undefined;
      if (e.passed) return `    ✓ premise: ${e.title}`;
      // A broken premise with its most telling cause (a log line with its SQLSTATE, else the failing answer) under it.
      return [`    ✗ premise: ${e.title} — ${(e.says ?? e.measured).slice(0, 200)}`, ...firstCause(e.causes)].join('\n');
    case 'verdict':
      return `  ${e.passed ? '✓' : '✗'} ${e.id}: ${String(e.measured)}${e.unit ? ` ${e.unit}` : ''} (budget ${String(e.budget)})${e.expected === 'fail' ? (e.passed ? ` — UNEXPECTEDLY PASSED (expected to fail: ${e.expectedBecause})` : ` — expected failure (${e.expectedBecause})`) : ''}${e.passed ? '' : ` — ${e.evidence.slice(0, 200)}`}`;
    case 'scenario.end':
      if (e.matches === false) return `■ ${where}: a verdict does NOT match its expectation`;
      if (e.matches && !e.passed) return `■ ${where}: every verdict matches its expectation (the seed runbook's expected failures failed)`;
      return `■ ${where}: ${e.passed ? 'all criteria met' : 'a criterion FAILED'}`;
    case 'log':
      return e.level === 'info' ? undefined : `  ${e.level}: ${e.message}`;
    default:
      return undefined;
  }
}

export interface ProgressOptions {
  write(text: string): void;
  /** Live status line (terminal) or plain lines only. */
  live: boolean;
  intervalMs?: number;
}

/** Follows a JSONL journal from its start; stop() reads what is left and ends the live line. */
export class JournalProgress {
  #offset = 0;
  #partial = '';
  /** Lines consumed so far: an unknown event names its line like readJournal does. */
  #lineNo = 0;
  #timer?: NodeJS.Timeout;
  #current?: { label: string; startedAt: number; budgetMs: number };
  #liveShown = false;

  constructor(
    readonly file: string,
    readonly opts: ProgressOptions,
  ) {}

  start(): this {
    this.#timer = setInterval(() => this.poll(), this.opts.intervalMs ?? 200);
    this.#timer.unref();
    return this;
  }

  poll(): void {
    for (const e of this.#read()) {
      if (e.type === 'step.start') this.#current = { label: `${e.scenario ?? ''} ${e.procedure}: ${e.step}`, startedAt: e.t, budgetMs: e.budgetMs };
      else if (e.type === 'step.end' || e.type === 'scenario.end') this.#current = undefined;
      else if (e.type === 'phase.start' && !this.#current) this.#current = { label: `${e.scenario ?? ''} ${e.phase}`, startedAt: e.t, budgetMs: 0 };
      const line = describeEvent(e);
      if (line !== undefined) this.#line(line);
    }
    if (this.opts.live && this.#current) {
      const c = this.#current;
      const elapsed = Date.now() - c.startedAt;
      this.opts.write(`\r\x1b[2K  … ${c.label.trim()} ${s(elapsed)}${c.budgetMs ? ` / ${s(c.budgetMs)}` : ''}`);
      this.#liveShown = true;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#current = undefined;
    this.poll();
    if (this.#liveShown) this.opts.write('\r\x1b[2K');
  }

  #line(text: string): void {
    this.opts.write(`${this.#liveShown ? '\r\x1b[2K' : ''}${text}\n`);
    this.#liveShown = false;
  }

  #read(): JournalEvent[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size <= this.#offset) return [];
    const fd = openSync(this.file, 'r');
    const buf = Buffer.alloc(size - this.#offset);
    try {
      readSync(fd, buf, 0, buf.length, this.#offset);
    } finally {
      closeSync(fd);
    }
    this.#offset = size;
    const text = this.#partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    const out: JournalEvent[] = [];
    for (const l of lines) {
      this.#lineNo++;
      if (!l.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(l);
      } catch {
        raw = { type: undefined, t: Date.now() };
      }
      // Validated like readJournal: a line that breaks its schema shows as a warning, not as data.
      out.push(parseEvent(raw, this.#lineNo, Date.now()));
    }
    return out;
  }
}

function firstCause(c: Causes | undefined): string[] {
  const log = c?.logs?.[0];
  const answer = c?.answers?.[0];
  const out: string[] = [];
  if (log) out.push(`        ↳ ${log.pod}: ${log.line.slice(0, 200)}${log.count > 1 ? ` (×${log.count})` : ''}`);
  else if (answer) out.push(`        ↳ ${answer.request} → HTTP ${answer.status} ×${answer.count}: ${answer.body.slice(0, 160)}`);
  return out;
}
