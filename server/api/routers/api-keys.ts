import { apiKeyId, createApiKeyInput } from '~/lib/inputs/api-keys';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys';
import { orgProcedure, router } from '../trpc';

/** Owners and admins manage the org's keys; the secret is in `create`'s answer only. */
export const apiKeysRouter = router({
  list: orgProcedure('admin').query(({ ctx }) => listApiKeys(ctx.db, ctx.actor)),
  create: orgProcedure('admin')
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.actor, input)),
  revoke: orgProcedure('admin')
    .input(apiKeyId)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.actor, input)),
});
