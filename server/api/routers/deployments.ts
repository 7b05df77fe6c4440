import { z } from 'zod';
import { orgProcedure, router, type Context } from '../trpc';
import {
  createDeployment,
  createDeploymentInput,
  deleteDeployment,
  deleteDeploymentInput,
  getDeployment,
  listDeployments,
  retryDeployment,
  revealCredentials,
  updateDeployment,
  updateDeploymentInput,
  upgradeDeployment,
  upgradeDeploymentInput,
} from '../../services/deployments';

/** Paid plans need a payment method only where payments are configured (see allowance.ts). */
const payments = (ctx: { config: Context['config'] }) => ({ paymentsConfigured: ctx.config.billing.stripe !== null });

const byId = z.object({ deploymentId: z.uuid('That is not a deployment id.') });

export const deploymentsRouter = router({
  list: orgProcedure('viewer').query(({ ctx }) => listDeployments(ctx.db, ctx.org.id)),
  get: orgProcedure('viewer')
    .input(byId)
    .query(({ ctx, input }) => getDeployment(ctx.db, ctx.org.id, input.deploymentId)),
  /** Viewers see everything but secrets: revealing the password needs a member. */
  credentials: orgProcedure('member')
    .input(byId)
    .mutation(({ ctx, input }) =>
      revealCredentials(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id, deploymentId: input.deploymentId, key: ctx.config.secretKey }),
    ),
  create: orgProcedure('member')
    .input(createDeploymentInput)
    .mutation(({ ctx, input }) => createDeployment(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id }, input, ctx.config.engines, { payments: payments(ctx) })),
  update: orgProcedure('member')
    .input(updateDeploymentInput)
    .mutation(({ ctx, input }) => updateDeployment(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id }, input, { payments: payments(ctx) })),
  upgrade: orgProcedure('member')
    .input(upgradeDeploymentInput)
    .mutation(({ ctx, input }) => upgradeDeployment(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id }, input)),
  delete: orgProcedure('member')
    .input(deleteDeploymentInput)
    .mutation(({ ctx, input }) => deleteDeployment(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id }, input)),
  retry: orgProcedure('member')
    .input(byId)
    .mutation(({ ctx, input }) => retryDeployment(ctx.db, { orgId: ctx.org.id, actorId: ctx.user.id }, input)),
});
