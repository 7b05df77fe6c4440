/**
 * Stripe, when configured: customers, Checkout, the portal, and the outbox that delivers meter events and
 * credits. Stripe is the truth for money; every call carries an idempotency key derived from a local row id,
 * so a retry after a crash or a timeout never charges or credits twice.
 */
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Db } from '~/db/client';
import { organizations, outbox, plans } from '~/db/schema';
import { AppError } from '../errors';

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string | null;
  apiBase: string | null;
  prices: Record<string, string | null>;
  meteredPrice: string | null;
};

export type StripeContext = { client: Stripe; config: StripeConfig };

export function createStripe(config: StripeConfig | null): StripeContext | null {
  if (!config) return null;
  const base = config.apiBase ? new URL(config.apiBase) : null;
  const client = new Stripe(config.secretKey, {
    maxNetworkRetries: 0, // the outbox retries, with keys that survive restarts
    ...(base ? { host: base.hostname, port: Number(base.port), protocol: base.protocol.replace(':', '') as 'http' | 'https' } : {}),
  });
  return { client, config };
}

/** The org's Stripe customer, created once (the idempotency key makes a concurrent second call return the same). */
export async function ensureCustomer(db: Db, stripe: StripeContext, orgId: string): Promise<string> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new AppError('NOT_FOUND', 'That organization does not exist.');
  if (org.stripeCustomerId) return org.stripeCustomerId;
  const customer = await stripe.client.customers.create({ name: org.name, metadata: { org_id: org.id } }, { idempotencyKey: `customer-${org.id}` });
  await db.update(organizations).set({ stripeCustomerId: customer.id }).where(and(eq(organizations.id, org.id), isNull(organizations.stripeCustomerId)));
  return customer.id;
}

/** Checkout in subscription mode for a paid plan: the plan's price plus the metered usage price. */
export async function createCheckout(db: Db, stripe: StripeContext, input: { orgId: string; plan: string; appUrl: string }) {
  const [plan] = await db.select().from(plans).where(eq(plans.slug, input.plan));
  if (!plan) throw new AppError('BAD_REQUEST', `There is no plan called "${input.plan}".`, { field: 'plan' });
  if (plan.monthlyPriceCents === 0) throw new AppError('BAD_REQUEST', 'The Free plan needs no payment method.', { field: 'plan' });
  const price = stripe.config.prices[plan.slug];
  if (!price) throw new AppError('PRECONDITION_FAILED', `Payments for the ${plan.name} plan are not set up on this installation (STRIPE_PRICE_${plan.slug.toUpperCase()}).`);
  const customer = await ensureCustomer(db, stripe, input.orgId);
  const lineItems: Stripe.Checkout.SessionCreateParams.LineItem[] = [{ price, quantity: 1 }];
  if (stripe.config.meteredPrice) lineItems.push({ price: stripe.config.meteredPrice });
  const session = await stripe.client.checkout.sessions.create({
    mode: 'subscription',
    customer,
    client_reference_id: input.orgId,
    line_items: lineItems,
    success_url: `${input.appUrl}/console/billing?checkout={CHECKOUT_SESSION_ID}`,
    cancel_url: `${input.appUrl}/console/billing`,
  });
  if (!session.url) throw new Error('Stripe returned a Checkout session without a URL');
  return { url: session.url };
}

export async function createPortal(db: Db, stripe: StripeContext, input: { orgId: string; appUrl: string }) {
  const customer = await ensureCustomer(db, stripe, input.orgId);
  const session = await stripe.client.billingPortal.sessions.create({ customer, return_url: `${input.appUrl}/console/billing` });
  return { url: session.url };
}

/** Queues final usage hours of Stripe customers as meter events (one outbox row per usage row, ever). */
export async function enqueueMeterEvents(db: Db, since: Date): Promise<void> {
  await db.execute(sql`
    insert into outbox (kind, org_id, payload, idempotency_key)
    select 'stripe.meter', e.org_id,
           jsonb_build_object('usageId', e.id, 'meter', e.meter, 'customer', o.stripe_customer_id, 'quantity', e.quantity,
                              'timestamp', extract(epoch from e.hour_start)::bigint),
           'meter-' || e.id
    from usage_events e join organizations o on o.id = e.org_id
    where e.final and o.stripe_customer_id is not null and e.hour_start >= ${since.toISOString()}::timestamptz
    on conflict (idempotency_key) do nothing`);
}

type MeterPayload = { usageId: number; meter: string; customer: string; quantity: number; timestamp: number };
type CreditPayload = { creditId: string; customer: string; amountCents: number; currency: string; reason: string };

async function deliver(stripe: StripeContext, row: typeof outbox.$inferSelect): Promise<void> {
  if (row.kind === 'stripe.meter') {
    const p = row.payload as MeterPayload;
    await stripe.client.billing.meterEvents.create(
      { event_name: p.meter, identifier: `usage-${p.usageId}`, timestamp: p.timestamp, payload: { stripe_customer_id: p.customer, value: String(p.quantity) } },
      { idempotencyKey: row.idempotencyKey },
    );
  } else if (row.kind === 'stripe.credit') {
    const p = row.payload as CreditPayload;
    await stripe.client.customers.createBalanceTransaction(
      p.customer,
      { amount: -p.amountCents, currency: p.currency, description: p.reason, metadata: { local_credit_id: p.creditId } },
      { idempotencyKey: row.idempotencyKey },
    );
  } else if (row.kind === 'stripe.cancel_subscription') {
    // The organization was deleted (server/offboarding/): its final usage went out as meter events queued before
    // this row, and cancelling now invoices what the subscription still owes.
    const p = row.payload as { subscriptionId: string };
    try {
      await stripe.client.subscriptions.cancel(p.subscriptionId, { invoice_now: true, prorate: true }, { idempotencyKey: row.idempotencyKey });
    } catch (e) {
      // Already cancelled (by the customer in the portal, or an earlier attempt whose answer was lost): done.
      if ((e as { code?: string }).code !== 'resource_missing' && !/canceled subscription/i.test((e as Error).message)) throw e;
    }
  } else {
    throw new Error(`unknown outbox kind ${row.kind}`);
  }
}

/**
 * Delivers due outbox rows. Each is leased for a minute while in flight, so two workers never send the same row
 * at once; a failure is retried with exponential backoff (and the same idempotency key).
 */
export async function deliverOutbox(db: Db, stripe: StripeContext, limit = 50): Promise<{ sent: number; failed: number }> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(isNull(outbox.doneAt), lte(outbox.nextAttemptAt, sql`now()`)))
    .orderBy(outbox.id)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(outbox)
    .set({ nextAttemptAt: sql`now() + interval '1 minute'` })
    .where(sql`${outbox.id} in (${due})`)
    .returning();
  let sent = 0;
  let failed = 0;
  // In the order queued (UPDATE … RETURNING has none): a cancellation goes after the usage queued before it.
  rows.sort((a, b) => a.id - b.id);
  for (const row of rows) {
    try {
      await deliver(stripe, row);
      await db.update(outbox).set({ doneAt: sql`now()`, lastError: null }).where(eq(outbox.id, row.id));
      sent++;
    } catch (e) {
      failed++;
      const delaySec = Math.min(3600, 5 * 2 ** row.attempts);
      await db
        .update(outbox)
        .set({ attempts: row.attempts + 1, lastError: (e as Error).message.slice(0, 500), nextAttemptAt: sql`now() + make_interval(secs => ${delaySec})` })
        .where(eq(outbox.id, row.id));
    }
  }
  return { sent, failed };
}
