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

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}
