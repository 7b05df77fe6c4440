import { appConfig, getDb } from '~/server/db';
import { clientIp } from '~/server/api/trpc';
import { handleRest } from '~/server/rest/handler';

// The REST API (server/rest/): one dispatcher for every /api/v1 path, over the same procedures as the console.
async function handler(req: Request): Promise<Response> {
  return handleRest(req, { db: await getDb(), config: appConfig(), ip: clientIp(req.headers) });
}

export const dynamic = 'force-dynamic';
export { handler as GET, handler as POST, handler as PATCH, handler as DELETE, handler as PUT };
