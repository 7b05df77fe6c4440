import { changePlanInput, deploymentActionInput, sandboxChangeInput } from '~/lib/inputs/staff';
import { simulateSandboxChange } from '../../../services/tenants/sandbox-tools';
import { changeTenantPlan, forceReconcile, retryTenantDeployment } from '../../../services/tenants/actions';
import { router, staffAdminProcedure } from '../../trpc';

/** A tenant's deployments, changed on its behalf (allowed while the tenant is suspended). */
export const deploymentsRouter = router({
  changePlan: staffAdminProcedure.input(changePlanInput).mutation(({ ctx, input }) => changeTenantPlan(ctx.db, ctx.staff, input)),
  retry: staffAdminProcedure.input(deploymentActionInput).mutation(({ ctx, input }) => retryTenantDeployment(ctx.db, ctx.staff, input)),
  forceReconcile: staffAdminProcedure.input(deploymentActionInput).mutation(({ ctx, input }) => forceReconcile(ctx.db, ctx.staff, input)),
  /** Sandbox only: simulate drift or an app fault, for demos and the day-2 end-to-end test. */
  simulate: staffAdminProcedure.input(sandboxChangeInput).mutation(({ ctx, input }) => simulateSandboxChange(ctx.db, ctx.staff, input)),
});
