/**
 * The tRPC context for a caller presenting an API key (the REST API): the key is checked here (401 with the
 * reason when it is not usable), then the org procedures apply the same membership and role checks as for a
 * signed-in member, with the lower of the key's role and its maker's (server/api/trpc.ts).
 */
import type { Db } from '~/db/client';
import { authenticateApiKey } from '../services/api-keys';
import type { Context } from './trpc';

export async function contextForApiKey(db: Db, presented: string, ip: string, config: Context['config'], now?: Date): Promise<Context & { apiKey: NonNullable<Context['apiKey']> & { orgSlug: string } }> {
  const a = await authenticateApiKey(db, presented, ip, now);
  return { db, userId: a.userId, ip, config, apiKey: { id: a.apiKeyId, orgId: a.orgId, orgSlug: a.orgSlug, role: a.keyRole } };
}
