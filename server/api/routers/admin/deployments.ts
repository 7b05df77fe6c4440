import { adminProcedure, router } from '../../trpc';
import { changeTenantPlan, forceReconcile, retryTenantDeployment } from '../../../services/admin/actions';
import { changePlanInput, deploymentActionInput } from '../../../services/admin/schema';

/** A tenant's deployments, changed on its behalf (allowed while the tenant is suspended). */
export const deploymentsRouter = router({
  changePlan: adminProcedure.input(changePlanInput).mutation(({ ctx, input }) =>
    changeTenantPlan(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason, deploymentId: input.deploymentId, plan: input.plan, expectedGeneration: input.expectedGeneration }),
  ),
  retry: adminProcedure
    .input(deploymentActionInput)
    .mutation(({ ctx, input }) => retryTenantDeployment(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason, deploymentId: input.deploymentId })),
  forceReconcile: adminProcedure
    .input(deploymentActionInput)
    .mutation(({ ctx, input }) => forceReconcile(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason, deploymentId: input.deploymentId })),
});
