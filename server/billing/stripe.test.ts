import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { billingSegments, organizations, outbox, stripeEvents } from '~/db/schema';
import { issueCredit } from '~/server/billing/credits';
import { makeOrg } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { startStripeServer } from '~/test/stripe-server';
import { meterUsage } from './metering';
import { createCheckout, createStripe, deliverOutbox, enqueueMeterEvents, type StripeContext } from './stripe';
import { processEvent, verifyWebhook, WebhookSignatureError } from './webhooks';

const WHSEC = 'whsec_test_secret';

describe.each(drivers)('Stripe (%s)', (driver) => {
  let t: TestDb;
  let fake: Awaited<ReturnType<typeof startStripeServer>>;
  let stripe: StripeContext;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    fake = await startStripeServer();
    stripe = createStripe({ secretKey: 'sk_test_123', webhookSecret: WHSEC, apiBase: fake.url, prices: { starter: 'price_starter', pro: 'price_pro', enterprise: null }, meteredPrice: 'price_metered' })!;
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.state.failNext = 0;
  });
  afterAll(async () => {
    await fake.close();
    await t.drop();
  });

  async function org(stripeCustomerId: string | null = 'cus_test_1') {
    const { owner, org: o } = await makeOrg(t.db, 'Paying Co');
    if (stripeCustomerId) await t.db.update(organizations).set({ stripeCustomerId }).where(eq(organizations.id, o.id));
    return { orgId: o.id, userId: owner.user.id };
  }

  it('creates the customer once and a subscription Checkout with the plan and metered prices', async () => {
    const { orgId } = await org(null);
    const { url } = await createCheckout(t.db, stripe, { orgId, plan: 'starter', appUrl: 'https://plinth.example' });
    expect(url).toBe('https://checkout.stripe.test/c/cs_test_1');
    expect(fake.requests.map((r) => [r.method, r.path, r.idempotencyKey])).toEqual([
      ['POST', '/v1/customers', `customer-${orgId}`],
      ['POST', '/v1/checkout/sessions', expect.stringMatching(/^stripe-node-retry-/)],
    ]);
    expect(fake.requests[1]!.body).toEqual({
      mode: 'subscription',
      customer: 'cus_test_1',
      client_reference_id: orgId,
      'line_items[0][price]': 'price_starter',
      'line_items[0][quantity]': '1',
      'line_items[1][price]': 'price_metered',
      success_url: 'https://plinth.example/console/billing?checkout={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://plinth.example/console/billing',
    });
    await expect(createCheckout(t.db, stripe, { orgId, plan: 'free', appUrl: 'x' })).rejects.toMatchObject({ message: 'The Free plan needs no payment method.' });
    await expect(createCheckout(t.db, stripe, { orgId, plan: 'enterprise', appUrl: 'x' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('pushes each final usage hour once as a meter event, keyed by the local row id', async () => {
    const { orgId } = await org();
    const deploymentId = randomUUID();
    await t.db.insert(billingSegments).values([
      { deploymentId, orgId, at: new Date('2026-11-10T10:00:00Z'), billable: true, planSlug: 'starter', hourlyRateCentiCents: 260 },
      { deploymentId, orgId, at: new Date('2026-11-10T11:30:00Z'), billable: false },
    ]);
    const now = new Date('2026-11-10T12:10:00Z');
    await meterUsage(t.db, { from: new Date('2026-11-10T00:00:00Z'), now });
    await enqueueMeterEvents(t.db, new Date('2026-11-10T00:00:00Z'));
    expect(await deliverOutbox(t.db, stripe)).toEqual({ sent: 2, failed: 0 });
    const sent = fake.requests.filter((r) => r.path === '/v1/billing/meter_events').sort((a, b) => Number(a.body.timestamp) - Number(b.body.timestamp));
    expect(sent.map((r) => [r.body['payload[value]'], r.body['payload[stripe_customer_id]'], r.body.timestamp, r.idempotencyKey?.startsWith('meter-')])).toEqual([
      ['1', 'cus_test_1', String(Date.parse('2026-11-10T10:00:00Z') / 1000), true],
      ['0.5', 'cus_test_1', String(Date.parse('2026-11-10T11:00:00Z') / 1000), true],
    ]);
    expect(sent[0]!.body).toMatchObject({ event_name: 'deployment_hours', identifier: expect.stringMatching(/^usage-\d+$/) });
    // Re-metering and re-enqueueing sends nothing new.
    await meterUsage(t.db, { from: new Date('2026-11-10T00:00:00Z'), now });
    await enqueueMeterEvents(t.db, new Date('2026-11-10T00:00:00Z'));
    expect(await deliverOutbox(t.db, stripe)).toEqual({ sent: 0, failed: 0 });
  });

  it('pushes a credit as a negative balance transaction, and retries a failed push with the same key', async () => {
    const { orgId, userId } = await org();
    const credit = await issueCredit(t.db, { orgId, actorId: userId, amountCents: 5000, currency: 'USD', reason: 'Goodwill: outage 2026-11-02', expiresAt: null });
    fake.state.failNext = 1;
    expect(await deliverOutbox(t.db, stripe)).toEqual({ sent: 0, failed: 1 });
    const [pending] = await t.db.select().from(outbox).where(eq(outbox.idempotencyKey, `credit-${credit.id}`));
    expect(pending).toMatchObject({ attempts: 1, doneAt: null });
    expect(pending!.lastError).toMatch(/unknown error/i);
    await t.db.update(outbox).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(outbox.id, pending!.id));
    expect(await deliverOutbox(t.db, stripe)).toEqual({ sent: 1, failed: 0 });
    const calls = fake.requests.filter((r) => r.path === '/v1/customers/cus_test_1/balance_transactions');
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.idempotencyKey))).toEqual(new Set([`credit-${credit.id}`]));
    expect(calls[1]!.body).toEqual({ amount: '-5000', currency: 'usd', description: 'Goodwill: outage 2026-11-02', 'metadata[local_credit_id]': credit.id });
    expect(await deliverOutbox(t.db, stripe)).toEqual({ sent: 0, failed: 0 });
  });

  describe('webhooks', () => {
    const signed = (event: object, secret = WHSEC, timestamp?: number) => {
      const payload = JSON.stringify(event);
      return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
    };
    const event = (id: string, type: string, object: object) => ({ id, object: 'event', type, api_version: '2026-10-28.endive', created: 1, data: { object } });

    it('accepts a valid signature, rejects forged and stale ones', async () => {
      const e = event('evt_sig', 'invoice.paid', { object: 'invoice', customer: 'cus_nobody' });
      const ok = signed(e);
      expect(verifyWebhook(stripe, ok.payload, ok.header).id).toBe('evt_sig');
      const forged = signed(e, 'whsec_wrong');
      expect(() => verifyWebhook(stripe, forged.payload, forged.header)).toThrow(WebhookSignatureError);
      expect(() => verifyWebhook(stripe, ok.payload.replace('invoice.paid', 'invoice.payment_failed'), ok.header)).toThrow(WebhookSignatureError);
      const stale = signed(e, WHSEC, Math.floor(Date.now() / 1000) - 600);
      expect(() => verifyWebhook(stripe, stale.payload, stale.header)).toThrow(WebhookSignatureError);
      expect(() => verifyWebhook(stripe, ok.payload, null)).toThrow(WebhookSignatureError);
    });

    it('ignores duplicates and converges on Stripe’s current state whatever the order', async () => {
      const { orgId } = await org('cus_hook_1');
      const paymentStatus = async () => (await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0]!;
      fake.state.subscriptionStatus = 'past_due';
      const failed = event('evt_failed', 'invoice.payment_failed', { object: 'invoice', customer: 'cus_hook_1' });
      expect(await processEvent(t.db, stripe, verifyWebhook(stripe, signed(failed).payload, signed(failed).header))).toBe(true);
      expect(await paymentStatus()).toMatchObject({ paymentStatus: 'past_due', stripeSubscriptionId: 'sub_test_1' });
      expect((await paymentStatus()).pastDueSince).toBeInstanceOf(Date);

      const listCalls = () => fake.requests.filter((r) => r.path === '/v1/subscriptions').length;
      const before = listCalls();
      expect(await processEvent(t.db, stripe, verifyWebhook(stripe, signed(failed).payload, signed(failed).header))).toBe(false);
      expect(listCalls()).toBe(before);

      // Payment went through; the older "updated" event arrives after the "paid" one. Both re-fetch: active wins.
      fake.state.subscriptionStatus = 'active';
      const paid = event('evt_paid', 'invoice.paid', { object: 'invoice', customer: 'cus_hook_1' });
      const olderUpdate = event('evt_old_update', 'customer.subscription.updated', { object: 'subscription', customer: 'cus_hook_1', status: 'past_due' });
      await processEvent(t.db, stripe, paid as unknown as Stripe.Event);
      await processEvent(t.db, stripe, olderUpdate as unknown as Stripe.Event);
      expect(await paymentStatus()).toMatchObject({ paymentStatus: 'active', pastDueSince: null });
      const stored = await t.db.select().from(stripeEvents).where(eq(stripeEvents.orgId, orgId));
      expect(stored.map((s) => s.id).sort()).toEqual(['evt_failed', 'evt_old_update', 'evt_paid']);
    });

    it('links the customer from a completed Checkout to its organization', async () => {
      const { orgId } = await org(null);
      fake.state.subscriptionStatus = 'active';
      const done = event('evt_checkout', 'checkout.session.completed', { object: 'checkout.session', customer: 'cus_new_9', client_reference_id: orgId });
      await processEvent(t.db, stripe, done as unknown as Stripe.Event);
      expect((await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0]).toMatchObject({ stripeCustomerId: 'cus_new_9', paymentStatus: 'active' });
    });
  });
});
