import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '~/server/api/root';
import { createContext } from '~/server/api/trpc';
import { instrumentTrpc } from '~/server/observability/http';

// Request id, per-procedure duration histogram and a log line per request (server/observability/http.ts).
const procedures = new Set(Object.keys(appRouter._def.procedures));
const handler = instrumentTrpc('/api/trpc', procedures, (req: Request) =>
  fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createContext(req.headers) }),
);

export { handler as GET, handler as POST };
