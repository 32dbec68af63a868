import { EVENT_SCHEMAS, BaseSchema, type ProbeSummaryEvent, type UnknownEvent, type JournalEvent, type Bodies, type BodyEvent } from '../model/journal-events.ts';
import { PROBE_SUMMARY_SCHEMAS, type ProbeKind } from '../model/probe-summaries.ts';
import { issueLine } from './zod-issues.ts';
import { z } from 'zod';

const ProbeEnvelope = z.object({ probe: z.string(), summary: z.unknown() });

/** A journal line kept as it was, with what is wrong with it. */
export function unknownEvent(obj: Record<string, unknown>, line: number, fallbackT: number, problem: string): UnknownEvent {
  return {
    t: typeof obj['t'] === 'number' ? obj['t'] : fallbackT,
    ...(typeof obj['scenario'] === 'string' ? { scenario: obj['scenario'] } : {}),
    ...(typeof obj['variant'] === 'string' ? { variant: obj['variant'] } : {}),
    type: 'unknown',
    line,
    problem,
    raw: obj,
  };
}

/**
 * Validates one parsed journal line. A line that does not match its type's schema comes back as an
 * `unknown` event naming the type, the field and the problem; `line` is its 1-based line number.
 */
export function parseEvent(raw: unknown, line: number, fallbackT = 0): JournalEvent {
  const obj = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const base = BaseSchema.safeParse(obj);
  const type = typeof obj['type'] === 'string' ? obj['type'] : undefined;
  const unknown = (problem: string) => unknownEvent(obj, line, fallbackT, problem);
  if (type === undefined) return unknown('not an event: no "type"');
  if (!base.success) return unknown(`${type}: ${issueLine(base.error)}`);
  if (type === 'probe.summary') {
    const env = ProbeEnvelope.safeParse(obj);
    if (!env.success) return unknown(`${type}: ${issueLine(env.error)}`);
    const { probe } = env.data;
    if (!Object.hasOwn(PROBE_SUMMARY_SCHEMAS, probe)) return unknown(`${type}: probe "${probe}" is not a declared probe kind (${Object.keys(PROBE_SUMMARY_SCHEMAS).join(', ')})`);
    const summary = PROBE_SUMMARY_SCHEMAS[probe as ProbeKind].safeParse(env.data.summary);
    if (!summary.success) return unknown(`${type} (${probe}): ${issueLine(summary.error, 'summary')}`);
    return { ...base.data, type, probe, summary: summary.data } as ProbeSummaryEvent;
  }
  if (!Object.hasOwn(EVENT_SCHEMAS, type)) return unknown(`"${type}" is not an event type`);
  const body = EVENT_SCHEMAS[type as keyof Bodies].safeParse(obj);
  if (!body.success) return unknown(`${type}: ${issueLine(body.error)}`);
  return { ...base.data, type, ...body.data } as BodyEvent;
}
