import { z } from 'zod';
import { safeDate, safeString } from '~/lib/safe-string';
import { TRPCError } from '@trpc/server';
import { orgProcedure, router } from '../trpc';
import { listInvoices, previewInvoice } from '../../billing/invoices';
import { createCheckout, createPortal } from '../../billing/stripe';
import { creditBalanceCents, listCreditEntries } from '../../services/credits';
import { usageByDeployment, usageSeries } from '../../services/usage';

const MAX_RANGE_DAYS = { hour: 31, day: 400 } as const;

const rangeInput = z
  .object({
    from: safeDate('Choose a start date.'),
    to: safeDate('Choose an end date.'),
    granularity: z.enum(['hour', 'day']).default('day'),
  })
  .refine((r) => r.to > r.from, { message: 'The end must be after the start.', path: ['to'] })
  .refine((r) => (r.to.getTime() - r.from.getTime()) / 86_400_000 <= MAX_RANGE_DAYS[r.granularity], {
    message: 'That range is too long for hourly buckets: choose 31 days or fewer, or daily buckets.',
    path: ['granularity'],
  });

const notConfigured = () =>
  new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Payments are not configured on this installation (STRIPE_SECRET_KEY is unset).' });

export const billingRouter = router({
  /** Everything the Billing page shows, computed from the local ledger whether or not Stripe is configured. */
  overview: orgProcedure('viewer').query(async ({ ctx }) => {
    const [preview, invoices, credits, balance] = await Promise.all([
      previewInvoice(ctx.db, ctx.org.id),
      listInvoices(ctx.db, ctx.org.id),
      listCreditEntries(ctx.db, ctx.org.id),
      creditBalanceCents(ctx.db, ctx.org.id),
    ]);
    return {
      preview,
      invoices,
      credits,
      creditBalanceCents: balance,
      payments: { configured: !!ctx.config.billing.stripe, status: ctx.org.paymentStatus, pastDueSince: ctx.org.pastDueSince, hasCustomer: !!ctx.org.stripeCustomerId },
    };
  }),
  usage: orgProcedure('viewer')
    .input(z.object({ range: rangeInput }))
    .query(async ({ ctx, input }) => ({
      series: await usageSeries(ctx.db, ctx.org.id, input.range),
      byDeployment: await usageByDeployment(ctx.db, ctx.org.id, input.range),
    })),
  checkout: orgProcedure('admin')
    .input(z.object({ plan: safeString().min(1, 'Choose a plan.') }))
    .mutation(({ ctx, input }) => {
      if (!ctx.config.billing.stripe) throw notConfigured();
      return createCheckout(ctx.db, ctx.config.billing.stripe, { orgId: ctx.org.id, plan: input.plan, appUrl: ctx.config.billing.appUrl });
    }),
  portal: orgProcedure('admin').mutation(({ ctx }) => {
    if (!ctx.config.billing.stripe) throw notConfigured();
    return createPortal(ctx.db, ctx.config.billing.stripe, { orgId: ctx.org.id, appUrl: ctx.config.billing.appUrl });
  }),
});
