/** Turning API errors into what a form shows: a message per field, or one message for the whole form. */
import { TRPCClientError } from '@trpc/client';

/** Field errors from zod, or the domain error's field, keyed by field name. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof TRPCClientError)) return {};
  const data = error.data as { zodError?: { fieldErrors: Record<string, string[]> } | null; field?: string | null } | undefined;
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(data?.zodError?.fieldErrors ?? {})) out[k] = v[0];
  if (data?.field) out[data.field] = error.message;
  return out;
}

/**
 * What to tell a person about a failed call. A domain error's message is written for them; a failure below tRPC
 * (the server down, a proxy's HTML error page, no network) surfaces as tRPC's own wording — "Unable to transform
 * response from server", "Failed to fetch" — which is replaced by what happened and what to do.
 */
export function errorMessage(error: unknown): string {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'You are offline. Check your connection; this will be retried when it is back.';
  if (error instanceof TRPCClientError && !error.data) return 'The server could not be reached or answered with an error. Try again in a moment.';
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}
