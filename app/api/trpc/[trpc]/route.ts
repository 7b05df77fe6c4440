import { handleTrpcRequest } from '~/server/api/http';
import { clientIp } from '~/server/api/trpc';
import { auth } from '~/server/auth';
import { appConfig, getDb } from '~/server/db';

const handler = (req: Request) =>
  handleTrpcRequest(req, async () => ({
    db: await getDb(),
    userId: (await auth())?.user?.id ?? null,
    ip: clientIp(req.headers),
    config: appConfig(),
  }));

export { handler as GET, handler as POST };
