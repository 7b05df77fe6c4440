/**
 * Stripe webhooks. The signature is checked against the raw body; each event id is processed once (a unique
 * row in stripe_events, written in the same transaction as the effect); and the handlers never trust the
 * payload's state: they re-fetch the customer's subscription from Stripe, so events arriving out of order or
 * twice still converge on what Stripe says now.
 */
import { logger } from '../observability/logger';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '~/db/client';
import { organizations, stripeEvents } from '~/db/schema';
import { hasUnsafeChars } from '~/lib/safe-string';
import type { StripeContext } from './stripe';
import { emitEvent } from '../events';

export class WebhookSignatureError extends Error {}

/** Seconds a signature's timestamp may differ from now, either way (Stripe's default tolerance). */
const TOLERANCE_S = 300;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  // stripe-node refuses stale timestamps but not future ones; a signature dated ahead is as suspect as an old one.
  const t = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
  if (Number.isFinite(t) && t * 1000 > Date.now() + TOLERANCE_S * 1000) {
    throw new WebhookSignatureError('Timestamp is in the future');
  }
  try {
    return stripe.client.webhooks.constructEvent(rawBody, signature, stripe.config.webhookSecret, TOLERANCE_S);
  } catch (e) {
    throw new WebhookSignatureError((e as Error).message);
  }
}

const customerOf = (object: { customer?: string | { id: string } | null }) => {
  const id = typeof object.customer === 'string' ? object.customer : object.customer?.id;
  return typeof id === 'string' && id.length > 0 && id.length < 256 && !hasUnsafeChars(id) ? id : null;
};

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

/**
 * Processes one verified event. Returns false for a duplicate delivery. The event id is claimed first, in the
 * transaction that applies the effect, so a replayed event (same id, fresh signature) changes nothing; an event
 * whose `client_reference_id` is not one of our org ids is recorded and acknowledged (Stripe would otherwise
 * retry it forever), and changes nothing.
 */
export async function processEvent(db: Db, stripe: StripeContext, event: Stripe.Event): Promise<boolean> {
  return db.transaction(async (tx) => {
    const object = (event.data?.object ?? {}) as { customer?: string | { id: string } | null; client_reference_id?: unknown };
    const customer = customerOf(object);
    const inserted = await tx.insert(stripeEvents).values({ id: event.id, type: event.type, orgId: null }).onConflictDoNothing().returning();
    if (inserted.length === 0) return false;
    const ref = object.client_reference_id;
    if (event.type === 'checkout.session.completed' && customer && typeof ref === 'string' && uuidPattern.test(ref)) {
      await tx
        .update(organizations)
        .set({ stripeCustomerId: sql`coalesce(${organizations.stripeCustomerId}, ${customer})` })
        .where(eq(organizations.id, ref));
    } else if (event.type === 'checkout.session.completed' && ref != null) {
      logger.warn({ eventId: event.id }, 'stripe webhook: client_reference_id is not an organization id; recorded and ignored');
    }
    const [org] = customer ? await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.stripeCustomerId, customer)) : [];
    if (org) await tx.update(stripeEvents).set({ orgId: org.id }).where(eq(stripeEvents.id, event.id));
    // Once per Stripe event id (the claim above), in the same transaction: a redelivery emits nothing new.
    if (org && event.type === 'invoice.payment_failed') {
      const inv = object as { id?: unknown; amount_due?: unknown; currency?: unknown };
      await emitEvent(tx, {
        orgId: org.id,
        type: 'payment.failed',
        data: { stripeInvoiceId: typeof inv.id === 'string' ? inv.id : null, amountDueCents: typeof inv.amount_due === 'number' ? inv.amount_due : null, currency: typeof inv.currency === 'string' ? inv.currency : null },
      });
    }
    if (HANDLED.has(event.type) && customer) await syncSubscription(tx as unknown as Db, stripe, customer);
    return true;
  });
}
