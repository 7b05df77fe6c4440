import { paidTrialInput, resumeInput, suspendInput, tenantId, tenantListInput, timelineInput } from '~/lib/inputs/staff';
import { listTenantApiKeys } from '../../../services/api-keys';
import { resumeTenant, suspendTenant } from '../../../services/tenants/actions';
import { viewTenant } from '../../../services/tenants/detail';
import { listTenants } from '../../../services/tenants/list';
import { grantPaidTrial } from '../../../services/tenants/trial';
import { viewTimeline } from '../../../services/tenants/timeline';
import { router, staffAdminProcedure, staffProcedure } from '../../trpc';

export const tenantsRouter = router({
  /** Search, filter, sort and page through every organization. */
  list: staffProcedure.input(tenantListInput).query(({ ctx, input }) => listTenants(ctx.db, input)),
  /** One tenant's members, deployments, usage, invoices and credits. Reading it is audited (throttled). */
  get: staffProcedure.input(tenantId).query(({ ctx, input }) => viewTenant(ctx.db, ctx.staff, input)),
  /** The merged history, newest first; the first page also lists who appears in it, for the actor filter. */
  timeline: staffProcedure.input(timelineInput).query(({ ctx, input }) => viewTimeline(ctx.db, ctx.staff, input)),
  /** The tenant's API keys: names, prefixes, roles and last use; never a secret. */
  apiKeys: staffProcedure.input(tenantId).query(({ ctx, input }) => listTenantApiKeys(ctx.db, ctx.staff, input)),
  suspend: staffAdminProcedure.input(suspendInput).mutation(({ ctx, input }) => suspendTenant(ctx.db, ctx.staff, input)),
  resume: staffAdminProcedure.input(resumeInput).mutation(({ ctx, input }) => resumeTenant(ctx.db, ctx.staff, input)),
  /** Paid plans without a payment method for a while (with Stripe configured they otherwise need one). */
  grantPaidTrial: staffAdminProcedure.input(paidTrialInput).mutation(({ ctx, input }) => grantPaidTrial(ctx.db, ctx.staff, input)),
});
