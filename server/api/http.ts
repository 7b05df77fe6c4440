/**
 * The tRPC endpoint over HTTP, with the limits a public endpoint needs before any procedure runs: at most
 * MAX_BATCH calls per batched request (one GET batching 1,000 calls used to tie up the process for seconds) and
 * at most MAX_BODY_BYTES of request body. Responses are never cached: they carry signed-in users' data.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { withHeaders } from '../response';
import { appRouter } from './root';
import type { Context } from './trpc';

export const MAX_BATCH = 10;
export const MAX_BODY_BYTES = 256 * 1024;

/** The error envelope tRPC clients understand, for refusals made before tRPC parses the request. */
function refuse(status: 400 | 413, message: string): Response {
  const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
  const body = { error: { json: { message, code: -32600, data: { code, httpStatus: status } } } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** Reads at most `limit` bytes; null when the body is larger (without buffering the rest). */
export async function readLimited(req: Request, limit: number): Promise<string | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/^.*\/api\/trpc\/?/, '');
  if (url.searchParams.get('batch') === '1' && path.split(',').length > MAX_BATCH) {
    return refuse(400, `A batch may hold at most ${MAX_BATCH} calls; this one has ${path.split(',').length}. Send them in smaller batches.`);
  }
  const tooLarge = `The request body is larger than ${MAX_BODY_BYTES / 1024} KB. Send less data in one request.`;
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return refuse(413, tooLarge);
  let forwarded = req;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = await readLimited(req, MAX_BODY_BYTES);
    if (body === null) return refuse(413, tooLarge);
    forwarded = new Request(req.url, { method: req.method, headers: req.headers, body });
  }
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: forwarded,
    router: appRouter,
    maxBatchSize: MAX_BATCH,
    createContext,
  });
  return withHeaders(res, { 'cache-control': 'no-store' });
}
