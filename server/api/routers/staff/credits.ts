import { issueCreditInput } from '~/lib/inputs/staff';
import { issueTenantCredit } from '../../../services/tenants/actions';
import { router, staffAdminProcedure } from '../../trpc';

export const creditsRouter = router({
  /** A grant on the tenant's credit ledger (and to Stripe through the outbox when it has a customer there). */
  issue: staffAdminProcedure.input(issueCreditInput).mutation(({ ctx, input }) => issueTenantCredit(ctx.db, ctx.staff, input)),
});
