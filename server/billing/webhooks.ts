/**
 * Stripe webhooks. The signature is checked against the raw body; each event id is processed once (a unique
 * row in stripe_events, written in the same transaction as the effect); and the handlers never trust the
 * payload's state: they re-fetch the customer's subscription from Stripe, so events arriving out of order or
 * twice still converge on what Stripe says now.
 */
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '~/db/client';
import { organizations, stripeEvents } from '~/db/schema';
import type { StripeContext } from './stripe';

export class WebhookSignatureError extends Error {}

const HANDLED = new Set([
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
]);

export function verifyWebhook(stripe: StripeContext, rawBody: string, signature: string | null): Stripe.Event {
  if (!stripe.config.webhookSecret) throw new WebhookSignatureError('STRIPE_WEBHOOK_SECRET is not set');
  if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header');
  try {
    return stripe.client.webhooks.constructEvent(rawBody, signature, stripe.config.webhookSecret);
  } catch (e) {
    throw new WebhookSignatureError((e as Error).message);
  }
}

const customerOf = (object: { customer?: string | { id: string } | null }) =>
  typeof object.customer === 'string' ? object.customer : (object.customer?.id ?? null);

/** Re-reads the customer's newest subscription from Stripe and mirrors its state onto the organization. */
export async function syncSubscription(db: Db, stripe: StripeContext, customerId: string): Promise<void> {
  const subs = await stripe.client.subscriptions.list({ customer: customerId, status: 'all', limit: 1 });
  const sub = subs.data[0];
  const status = !sub ? 'none' : sub.status === 'active' || sub.status === 'trialing' ? 'active' : sub.status === 'past_due' || sub.status === 'unpaid' ? 'past_due' : sub.status === 'canceled' ? 'canceled' : sub.status;
  await db
    .update(organizations)
    .set({
      paymentStatus: status,
      stripeSubscriptionId: sub?.id ?? null,
      // Keep the first moment it went past due; clear it once it is paid.
      pastDueSince: status === 'past_due' ? sql`coalesce(${organizations.pastDueSince}, now())` : null,
    })
    .where(eq(organizations.stripeCustomerId, customerId));
}

/** Processes one verified event. Returns false for a duplicate delivery. */
export async function processEvent(db: Db, stripe: StripeContext, event: Stripe.Event): Promise<boolean> {
  return db.transaction(async (tx) => {
    const object = event.data.object as { customer?: string | { id: string } | null; client_reference_id?: string | null };
    const customer = customerOf(object);
    if (event.type === 'checkout.session.completed' && customer && object.client_reference_id) {
      await tx
        .update(organizations)
        .set({ stripeCustomerId: sql`coalesce(${organizations.stripeCustomerId}, ${customer})` })
        .where(eq(organizations.id, object.client_reference_id));
    }
    const [org] = customer ? await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.stripeCustomerId, customer)) : [];
    const inserted = await tx.insert(stripeEvents).values({ id: event.id, type: event.type, orgId: org?.id ?? null }).onConflictDoNothing().returning();
    if (inserted.length === 0) return false;
    if (HANDLED.has(event.type) && customer) await syncSubscription(tx as unknown as Db, stripe, customer);
    return true;
  });
}
