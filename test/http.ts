/**
 * Real HTTP servers (node:http on an ephemeral port) in front of the app's fetch-style handlers, for tests that
 * must go through HTTP: request parsing, batching, body limits and status codes are the production code's.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '~/db/client';
import { handleTrpcRequest } from '~/server/api/http';
import type { Context } from '~/server/api/trpc';
import { testConfig } from './harness';

export type TestServer = { origin: string; url: string; close: () => Promise<void> };

/** Serves `handler` the way Next would: any exception it lets out becomes a bare 500. */
export async function serveFetch(handler: (req: Request) => Promise<Response>, path = ''): Promise<TestServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
      const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }));
      const out: Record<string, string | string[]> = Object.fromEntries(response.headers);
      if (response.headers.getSetCookie().length) out['set-cookie'] = response.headers.getSetCookie();
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      console.error('[test http] unhandled', e);
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, url: origin + path, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * The tRPC endpoint. Who is calling comes from an `x-test-user` header (and `x-test-session-version`) instead
 * of a session cookie; `context` may override anything else.
 */
export function serveTrpc(db: Db, context: Partial<Context> = {}): Promise<TestServer> {
  return serveFetch(
    (req) =>
      handleTrpcRequest(req, async () => ({
        db,
        userId: req.headers.get('x-test-user'),
        ip: '198.51.100.1',
        config: testConfig,
        ...context,
      })),
    '/api/trpc',
  );
}
