// The domain of a value the drill writes, as a target profile declares it: what the app accepts for
// a field, so the generator (kit/values.ts) writes realistic values the app must keep as they were
// sent, and never a value the app is right to refuse. Types and schemas only.
import { z } from 'zod';

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an SQL identifier (letters, digits, _)');

/** JavaScript's safe integers: what a JSON number holds exactly in a Node.js app. */
const SAFE = Number.MAX_SAFE_INTEGER;

export const TextDomainSchema = z
  .object({
    type: z.literal('text'),
    /** In UTF-16 code units, as JavaScript's `length` (and so most Node.js apps' validation) counts them. */
    minLength: z.number().int().min(0).default(0),
    maxLength: z.number().int().min(1).max(100_000),
    /** Line breaks may be written (a register's direct read is one line per key: false there). */
    lineBreaks: z.boolean().default(true),
  })
  .strict()
  .refine((d) => d.minLength <= d.maxLength, 'minLength is over maxLength');

export const IntegerDomainSchema = z
  .object({
    type: z.literal('integer'),
    min: z.number().int().min(-SAFE).default(-SAFE),
    max: z.number().int().max(SAFE).default(SAFE),
  })
  .strict()
  .refine((d) => d.min <= d.max, 'min is over max');

/** An instant, sent as ISO 8601 with a UTC offset (any zone from -12:00 to +14:00). */
export const DateDomainSchema = z
  .object({
    type: z.literal('date'),
    /** Years the instants fall in. */
    from: z.number().int().min(1).max(9999).default(1970),
    to: z.number().int().min(1).max(9999).default(2100),
  })
  .strict();

export const ValueDomainSchema = z.union([TextDomainSchema, IntegerDomainSchema, DateDomainSchema]);

/**
 * How a field's value is kept in a column: `as-sent` (the text sent, a number's decimal digits),
 * `epoch-ms` (a date as milliseconds since 1970, a number).
 */
export const StoredFormSchema = z.enum(['as-sent', 'epoch-ms']);

/** One field of a set workload's write: its domain, where each engine keeps it, where the app's read-back shows it. */
export const WriteFieldSchema = z
  .object({
    domain: ValueDomainSchema,
    column: z.object({ sqlite: Identifier, postgres: Identifier }),
    stored: StoredFormSchema.default('as-sent'),
    /** The field of the read-back item holding it (dots for nesting); absent: not compared through the app. */
    api: z.string().min(1).optional(),
  })
  .strict();

export type ValueDomain = z.output<typeof ValueDomainSchema>;
export type TextDomain = z.output<typeof TextDomainSchema>;
export type WriteField = z.output<typeof WriteFieldSchema>;
export type StoredForm = z.output<typeof StoredFormSchema>;
/** A value the drill sent: text (dates included) or an integer. */
export type SentValue = string | number;

/** Where a stored text first differs from the one sent. */
export interface ValueDifference {
  /** First differing byte of the UTF-8 encodings, and the character (code point) it falls in. */
  byte: number;
  char: number;
  /** Up to 8 bytes from there, hex ("(end)" past the end). */
  sentBytes: string;
  storedBytes: string;
}
