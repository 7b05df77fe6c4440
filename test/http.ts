/**
 * A real HTTP server (node:http on an ephemeral port) in front of the tRPC endpoint's handler, for tests that
 * must go through HTTP: request parsing, batching, body limits and status codes are the production code's.
 * Who is calling comes from an `x-test-user` header instead of a session cookie (sessions have their own tests).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '~/db/client';
import { handleTrpcRequest } from '~/server/api/http';
import { testConfig } from './harness';

export type TestServer = { url: string; close: () => Promise<void> };

export async function serveTrpc(db: Db, config = testConfig): Promise<TestServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body });
      const userId = headers.get('x-test-user');
      const response = await handleTrpcRequest(request, async () => ({ db, userId, ip: '198.51.100.1', config }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      // Anything thrown outside tRPC's own error handling is a 500, as Next would make it.
      console.error('[test http] unhandled', e);
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/trpc`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
