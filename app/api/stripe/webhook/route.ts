import { getBilling } from '~/server/billing';
import { handleStripeWebhook } from '~/server/billing/webhook-http';
import { getDb } from '~/server/db';

/** Stripe → Plinth; see handleStripeWebhook for the status codes. */
export function POST(req: Request) {
  return handleStripeWebhook(req, getDb, getBilling().stripe);
}
