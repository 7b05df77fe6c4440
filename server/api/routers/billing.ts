import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { checkoutInput, rangeInput } from '~/lib/inputs/billing';
import { billingOverview, usageReport } from '../../billing/overview';
import { createCheckout, createPortal } from '../../billing/stripe';
import { orgProcedure, router } from '../trpc';

const notConfigured = () =>
  new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Payments are not configured on this installation (STRIPE_SECRET_KEY is unset).' });

export const billingRouter = router({
  /** Everything the Billing page shows, computed from the local ledger whether or not Stripe is configured. */
  overview: orgProcedure('viewer').query(({ ctx }) =>
    billingOverview(ctx.db, ctx.actor, { org: ctx.org, paymentsConfigured: !!ctx.config.billing.stripe }),
  ),
  usage: orgProcedure('viewer')
    .input(z.object({ range: rangeInput }))
    .query(({ ctx, input }) => usageReport(ctx.db, ctx.actor, input)),
  checkout: orgProcedure('admin')
    .input(checkoutInput)
    .mutation(({ ctx, input }) => {
      if (!ctx.config.billing.stripe) throw notConfigured();
      return createCheckout(ctx.db, ctx.config.billing.stripe, { orgId: ctx.actor.orgId, plan: input.plan, appUrl: ctx.config.billing.appUrl });
    }),
  portal: orgProcedure('admin').mutation(({ ctx }) => {
    if (!ctx.config.billing.stripe) throw notConfigured();
    return createPortal(ctx.db, ctx.config.billing.stripe, { orgId: ctx.actor.orgId, appUrl: ctx.config.billing.appUrl });
  }),
});
