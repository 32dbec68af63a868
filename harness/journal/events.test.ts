import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type JournalEvent } from '../model/journal-events.ts';
import { parseEvent } from './parse-event.ts';
import { Journal, readJournal } from './journal.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function journal(): Journal {
  const d = mkdtempSync(path.join(tmpdir(), 'events-'));
  dirs.push(d);
  return new Journal(path.join(d, 'journal.jsonl'));
}

const LOAD = {
  phase: 'after',
  requests: 4_225,
  durationMs: 5_000,
  rps: 845,
  p50: 2.9,
  p90: 5.8,
  p95: 7.7,
  p99: 18.7,
  max: 55,
  errors: 0,
  timeouts: 0,
  non2xx: 3,
  engines: { sqlite: 4_225 },
  connections: 10,
  paths: ['/api/health'],
  writeRatio: 0.25,
  writes: { attempted: 1_000, ok: 998, fail: 2, unknown: 0, okByPod: { 'hyperpage-sqlite-0': 998 } },
};

function unknownOf(e: JournalEvent) {
  if (e.type !== 'unknown') throw new Error(`expected an unknown event, got ${e.type}`);
  return e;
}

describe('typed journal events', () => {
  it('reads back a typed probe summary with its fields, keeping a key the schema does not declare', () => {
    const j = journal();
    j.write({ type: 'probe.summary', probe: 'load', summary: { ...LOAD, extra: 'kept' } });
    const [e] = readJournal(j.file);
    if (e?.type !== 'probe.summary' || e.probe !== 'load') throw new Error(`not a load summary: ${JSON.stringify(e)}`);
    expect(e.summary.p99).toBe(18.7);
    expect(e.summary.writes?.okByPod).toEqual({ 'hyperpage-sqlite-0': 998 });
    expect(e.summary['extra']).toBe('kept');
  });

  it('keeps a summary that breaks its schema as an unknown event naming the probe, the field and the line', () => {
    const j = journal();
    j.write({ type: 'marker', name: 'first' });
    appendFileSync(j.file, JSON.stringify({ t: 5, type: 'probe.summary', probe: 'load', summary: { ...LOAD, p99: '18.7 ms' } }) + '\n');
    const events = readJournal(j.file);
    expect(events).toHaveLength(2);
    const u = unknownOf(events[1]!);
    expect(u).toMatchObject({ t: 5, line: 2 });
    expect(u.problem).toMatch(/^probe\.summary \(load\): summary\.p99: .*expected number/i);
    expect(u.raw['probe']).toBe('load');
  });

  it('an undeclared probe kind, a step record without its stepId and an unknown type are unknown events too', () => {
    expect(unknownOf(parseEvent({ t: 1, type: 'probe.summary', probe: 'lodd', summary: {} }, 1)).problem).toContain('probe "lodd" is not a declared probe kind');
    const step = { t: 2, type: 'step.end', procedure: 'emergency', step: 'Step 1', index: 0, budgetMs: 1, startedAt: 1, durationMs: 1, outcome: 'ok', message: '' };
    expect(unknownOf(parseEvent(step, 7)).problem).toMatch(/^step\.end: stepId: /);
    expect(parseEvent({ ...step, stepId: 'step-1' }, 7)).toMatchObject({ type: 'step.end', stepId: 'step-1' });
    expect(unknownOf(parseEvent({ t: 3, type: 'step.ended' }, 9)).problem).toBe('"step.ended" is not an event type');
    expect(unknownOf(parseEvent([1, 2], 10, 42))).toMatchObject({ t: 42, problem: 'not an event: no "type"' });
  });

  it('a broken line in the middle is kept as unknown; a torn last line (killed writer) is skipped', () => {
    const j = journal();
    j.write({ type: 'marker', name: 'a' });
    appendFileSync(j.file, '{"type":"marker",\n');
    j.write({ type: 'marker', name: 'b' });
    appendFileSync(j.file, '{"type":"log","lev');
    const events = readJournal(j.file);
    expect(events.map((e) => e.type)).toEqual(['marker', 'unknown', 'marker']);
    expect(unknownOf(events[1]!).problem).toMatch(/^not JSON/);
  });
});
