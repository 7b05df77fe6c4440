import { adminProcedure, router, staffProcedure } from '../../trpc';
import { resumeTenant, suspendTenant } from '../../../services/admin/actions';
import { paidTrialInput, resumeInput, suspendInput, tenantId, tenantListInput, timelineInput } from '../../../services/admin/schema';
import { grantPaidTrial } from '../../../services/admin/trial';
import { assertTenant, getTenant, recordTenantView } from '../../../services/admin/tenant';
import { listTenants } from '../../../services/admin/tenants';
import { tenantTimeline, timelineActors } from '../../../services/admin/timeline';

export const tenantsRouter = router({
  /** Search, filter, sort and page through every organization. */
  list: staffProcedure.input(tenantListInput).query(({ ctx, input }) => listTenants(ctx.db, input)),
  /** One tenant's members, deployments, usage, invoices and credits. Reading it is audited (throttled). */
  get: staffProcedure.input(tenantId).query(async ({ ctx, input }) => {
    const tenant = await getTenant(ctx.db, input.orgId);
    await recordTenantView(ctx.db, { actorId: ctx.user.id, orgId: input.orgId });
    return tenant;
  }),
  /** The merged history, newest first; the first page also lists who appears in it, for the actor filter. */
  timeline: staffProcedure.input(timelineInput).query(async ({ ctx, input }) => {
    const { orgId, ...q } = input;
    await assertTenant(ctx.db, orgId);
    const [page, actors] = await Promise.all([tenantTimeline(ctx.db, orgId, q), q.cursor ? null : timelineActors(ctx.db, orgId), recordTenantView(ctx.db, { actorId: ctx.user.id, orgId })]);
    return { ...page, actors };
  }),
  suspend: adminProcedure
    .input(suspendInput)
    .mutation(({ ctx, input }) => suspendTenant(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason, stopDeployments: input.stopDeployments })),
  resume: adminProcedure.input(resumeInput).mutation(({ ctx, input }) => resumeTenant(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason })),
  /** Paid plans without a payment method for a while (with Stripe configured they otherwise need one). */
  grantPaidTrial: adminProcedure
    .input(paidTrialInput)
    .mutation(({ ctx, input }) => grantPaidTrial(ctx.db, { orgId: input.orgId, actorId: ctx.user.id, reason: input.reason, days: input.days })),
});
