import { adminProcedure, router } from '../../trpc';
import { issueTenantCredit } from '../../../services/admin/actions';
import { issueCreditInput } from '../../../services/admin/schema';

export const creditsRouter = router({
  /** A grant on the tenant's credit ledger (and to Stripe through the outbox when it has a customer there). */
  issue: adminProcedure.input(issueCreditInput).mutation(({ ctx, input }) =>
    issueTenantCredit(ctx.db, {
      orgId: input.orgId,
      actorId: ctx.user.id,
      amountCents: input.amountCents,
      currency: input.currency,
      reason: input.reason,
      expiresAt: input.expiresAt,
    }),
  ),
});
