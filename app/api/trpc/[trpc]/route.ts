import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '~/server/api/root';
import { clientIp } from '~/server/api/trpc';
import { auth } from '~/server/auth';
import { appConfig, getDb } from '~/server/db';
import { instrumentTrpc } from '~/server/observability/http';

// Request id, per-procedure duration histogram and a log line per request (server/observability/http.ts).
const procedures = new Set(Object.keys(appRouter._def.procedures));
const handler = instrumentTrpc('/api/trpc', procedures, (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => ({
      db: await getDb(),
      userId: (await auth())?.user?.id ?? null,
      ip: clientIp(req.headers),
      config: appConfig(),
    }),
  }),
);

export { handler as GET, handler as POST };
