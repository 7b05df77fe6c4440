import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '~/server/api/root';
import { clientIp } from '~/server/api/trpc';
import { auth } from '~/server/auth';
import { appConfig, getDb } from '~/server/db';

const handler = (req: Request) =>
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
  });

export { handler as GET, handler as POST };
