/**
 * Wraps a route handler: a request id (the caller's `x-request-id` when it sends a sane one, else a new one) on the
 * response and on every log line written while handling it, a duration observation per tRPC procedure, and one
 * log line per request.
 */
import { randomUUID } from 'node:crypto';
import { withHeaders } from '../response';
import { logger, withLogContext } from './logger';
import { observeHttp } from './metrics';

const SANE_ID = /^[\w.:-]{1,128}$/;

/**
 * `/api/trpc/a.list,b.get` → ['a.list', 'b.get']. Names the router does not have become "unknown": a label per
 * made-up name would let any client create unbounded time series.
 */
export function proceduresOf(url: URL, endpoint: string, known: ReadonlySet<string>): string[] {
  const rest = url.pathname.startsWith(`${endpoint}/`) ? url.pathname.slice(endpoint.length + 1) : '';
  let decoded = rest;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    // A malformed escape is tRPC's to refuse; it is still one "unknown" request here.
  }
  return decoded.split(',').map((p) => (known.has(p.trim()) ? p.trim() : 'unknown'));
}

export function instrumentTrpc(endpoint: string, known: ReadonlySet<string>, handler: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    const given = req.headers.get('x-request-id');
    const requestId = given && SANE_ID.test(given) ? given : randomUUID();
    const started = process.hrtime.bigint();
    const procedures = proceduresOf(new URL(req.url), endpoint, known);
    return withLogContext({ requestId }, async () => {
      let status = 500;
      try {
        const res = await handler(req);
        status = res.status;
        return withHeaders(res, { 'x-request-id': requestId });
      } catch (e) {
        logger.error({ err: e, procedures }, 'request failed');
        throw e;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        observeHttp(procedures, req.method, status, seconds);
        logger[status >= 500 ? 'error' : 'info']({ method: req.method, procedures, status, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
  };
}
