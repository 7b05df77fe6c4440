import { createWebhookInput, deliveryId, webhookId } from '~/lib/inputs/webhooks';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, redeliverWebhook, sendTestWebhook } from '../../webhooks/service';
import { orgProcedure, router, type Context } from '../trpc';

const deps = (config: Context['config']) => ({ secretKey: config.secretKey, allowPrivate: config.webhooks.allowPrivate });

/** Outbound webhook endpoints: owners and admins register them, test them and read their delivery log. */
export const webhooksRouter = router({
  list: orgProcedure('admin').query(({ ctx }) => listWebhooks(ctx.db, ctx.actor)),
  create: orgProcedure('admin')
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhook(ctx.db, ctx.actor, input, deps(ctx.config))),
  delete: orgProcedure('admin')
    .input(webhookId)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.db, ctx.actor, input)),
  test: orgProcedure('admin')
    .input(webhookId)
    .mutation(({ ctx, input }) => sendTestWebhook(ctx.db, ctx.actor, input)),
  redeliver: orgProcedure('admin')
    .input(deliveryId)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx.db, ctx.actor, input)),
  deliveries: orgProcedure('admin')
    .input(webhookId)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.actor, input)),
});
