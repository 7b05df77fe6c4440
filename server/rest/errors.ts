/**
 * One error body for the whole REST API: `{ code, message, field }`, with the HTTP status tRPC would give the
 * same error. Domain errors keep their message and field; input errors give the first zod issue and its path;
 * anything unexpected is logged with a reference and answered 500 without details.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { AppError } from '../errors';
import { logger } from '../observability/logger';

export type ErrorBody = { code: string; message: string; field: string | null };
export type RestError = { status: number; body: ErrorBody };

export const restError = (status: number, code: string, message: string, field: string | null = null): RestError => ({ status, body: { code, message, field } });

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

function fromZod(e: ZodError): RestError {
  const issue = e.issues[0];
  return restError(400, 'BAD_REQUEST', issue?.message ?? 'The request is not valid.', issue?.path.length ? issue.path.join('.') : null);
}

/** `ifMatch`: the request sent If-Match, so a stale-generation refusal is a failed precondition (412). */
export function toRestError(e: unknown, o: { ifMatch: boolean }): RestError {
  const cause = e instanceof TRPCError ? e.cause : e;
  if (cause instanceof ZodError) return fromZod(cause);
  if (cause instanceof AppError) {
    if (cause.reason === 'stale' && o.ifMatch) return restError(412, 'PRECONDITION_FAILED', cause.userMessage, cause.field ?? null);
    return restError(STATUS[cause.code] ?? 400, cause.code, cause.userMessage, cause.field ?? null);
  }
  if (e instanceof TRPCError && e.code !== 'INTERNAL_SERVER_ERROR') return restError(getHTTPStatusCodeFromError(e), e.code, e.message);
  const ref = randomUUID().slice(0, 8);
  logger.error({ err: e, ref }, 'rest: internal error');
  return restError(500, 'INTERNAL_SERVER_ERROR', `Something went wrong on our side. Try again; if it keeps happening, contact support with reference ${ref}.`);
}
