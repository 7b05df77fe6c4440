/**
 * The Stripe webhook over real HTTP: replayed events (same id, fresh signature) change nothing, a signed event
 * with a malformed client_reference_id is acknowledged and recorded instead of failing forever, and signatures
 * dated in the future are refused like stale ones.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, stripeEvents } from '~/db/schema';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { serveFetch, type TestServer } from '~/test/http';
import { startStripeServer } from '~/test/stripe-server';
import { createStripe } from './stripe';
import { handleStripeWebhook } from './webhook-http';

const WHSEC = 'whsec_http_secret';
const now = () => Math.floor(Date.now() / 1000);
const event = (id: string, type: string, object: object) => ({ id, object: 'event', type, api_version: '2026-10-28.endive', created: 1, data: { object } });

describe.each(drivers)('Stripe webhook over HTTP (%s)', (driver) => {
  let t: TestDb;
  let fake: Awaited<ReturnType<typeof startStripeServer>>;
  let server: TestServer;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    fake = await startStripeServer();
    const stripe = createStripe({ secretKey: 'sk_test_123', webhookSecret: WHSEC, apiBase: fake.url, prices: { starter: 'price_starter', pro: null, enterprise: null }, meteredPrice: null })!;
    server = await serveFetch((req) => handleStripeWebhook(req, async () => t.db, stripe), '/api/stripe/webhook');
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    await t?.drop();
  });

  async function post(payload: string, timestamp = now(), secret = WHSEC) {
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    const res = await fetch(server.url, { method: 'POST', headers: { 'stripe-signature': header, 'content-type': 'application/json' }, body: payload });
    return { status: res.status, body: await res.json() };
  }

  it('runs a replayed checkout event (same id, fresh signature) zero more times', async () => {
    const owner = await makeUser(t.db, `${randomUUID().slice(0, 8)}@hook.test`);
    const org = await owner.api.orgs.create({ name: 'Replay Co' });
    const payload = JSON.stringify(event('evt_checkout_replay', 'checkout.session.completed', { object: 'checkout.session', customer: 'cus_replay', client_reference_id: org.id }));
    expect(await post(payload)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const customerId = async () => (await t.db.select().from(organizations).where(eq(organizations.id, org.id)))[0]!.stripeCustomerId;
    expect(await customerId()).toBe('cus_replay');
    // Support detaches the customer; a replay of the old event must not put it back.
    await t.db.update(organizations).set({ stripeCustomerId: null }).where(eq(organizations.id, org.id));
    expect(await post(payload, now() + 1)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await customerId()).toBeNull();
  });

  it('acknowledges and records a signed event whose client_reference_id is not an org id', async () => {
    for (const [i, ref] of ['not-a-uuid', '\u0000', 42, { nested: true }].entries()) {
      const id = `evt_bad_ref_${i}`;
      const payload = JSON.stringify(event(id, 'checkout.session.completed', { object: 'checkout.session', customer: 'cus_nobody', client_reference_id: ref }));
      expect(await post(payload)).toEqual({ status: 200, body: { received: true, duplicate: false } });
      expect(await t.db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, id))).toEqual([{ id }]);
    }
  });

  it('refuses future and stale timestamps, forged signatures and malformed bodies with a 400', async () => {
    const payload = JSON.stringify(event('evt_time', 'invoice.paid', { object: 'invoice', customer: 'cus_nobody' }));
    expect((await post(payload, now() + 3600)).status).toBe(400);
    expect((await post(payload, now() + 10 * 365 * 86400)).status).toBe(400);
    expect((await post(payload, now() - 3600)).status).toBe(400);
    expect((await post(payload, now(), 'whsec_forged')).status).toBe(400);
    expect((await post('not json at all')).status).toBe(400);
    expect((await post(JSON.stringify({ no: 'id' }))).status).toBe(400);
    expect((await post(JSON.stringify({ id: 'evt_\u0000', type: 'x' }))).status).toBe(400);
    const unsigned = await fetch(server.url, { method: 'POST', body: payload });
    expect(unsigned.status).toBe(400);
    expect(await t.db.select().from(stripeEvents).where(eq(stripeEvents.id, 'evt_time'))).toEqual([]);
  });
});
