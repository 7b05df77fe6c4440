/**
 * Billing, in one place: the credit ledger (credits.ts), usage roll-ups for charts (usage.ts), metering of billing
 * segments into hourly usage (metering.ts), rates (rates.ts), invoices (invoices.ts), Stripe (stripe.ts,
 * webhooks.ts), what the console pages read (overview.ts) and the periodic jobs (jobs.ts).
 *
 * This module is the process's wiring: the Stripe client (or null when payments are not configured).
 */
import { env } from '../env';
import { createStripe, type StripeContext } from './stripe';

export { runBillingJobs, startBillingJobs } from './jobs';

const g = globalThis as unknown as { __plinthStripe?: StripeContext | null };

export function getBilling() {
  if (g.__plinthStripe === undefined) g.__plinthStripe = createStripe(env.stripe);
  return { stripe: g.__plinthStripe, appUrl: env.billing.appUrl, pastDueGraceDays: env.billing.pastDueGraceDays };
}
