/**
 * The one string schema every input uses. Postgres cannot store NUL (0x00) in text, and a lone UTF-16 surrogate
 * cannot be encoded as UTF-8 at all; either one reaching a query is a server error. Refusing them here turns that
 * into a clear 400 before anything runs. Client-safe (the forms use the same schemas).
 */
import { z } from 'zod';

// Zod compiles object parsers with `new Function` when it may; probing for that permission is itself a CSP
// violation in the browser (script-src has no 'unsafe-eval'). Every schema module imports this one.
z.config({ jitless: true });

/** True when `s` has a NUL byte or a surrogate half without its partner. */
export function hasUnsafeChars(s: string): boolean {
  // isWellFormed is Node 20+/modern browsers; the regex is the fallback with the same meaning.
  if (s.includes('\u0000')) return true;
  const wf = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof wf === 'function') return !wf.call(s);
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

export const UNSAFE_STRING_MESSAGE = 'Remove the invisible or broken characters from this text and try again.';

/** `z.string()` that refuses NUL and lone surrogates, with an optional type message. Chain as usual. */
export const safeString = (message?: string) =>
  z.string(message).refine((s) => !hasUnsafeChars(s), UNSAFE_STRING_MESSAGE);

/** Postgres timestamptz covers 4713 BC – 294276 AD; JavaScript dates reach further. Keep to a sane window. */
export const MIN_DATE = new Date('1970-01-01T00:00:00Z');
export const MAX_DATE = new Date('2200-01-01T00:00:00Z');

/** A date (or something coercible to one) within [MIN_DATE, MAX_DATE]. */
export const safeDate = (message: string) =>
  z.coerce
    .date(message)
    .min(MIN_DATE, 'Choose a date after 1970.')
    .max(MAX_DATE, 'Choose a date before 2200.');
