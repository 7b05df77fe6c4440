/**
 * Money rules: free deployments per person (not per org), organizations per person, a payment method (or a staff
 * trial) for paid plans when Stripe is configured, and one billing currency per organization.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditEntries, organizations } from '~/db/schema';
import { createCaller } from '~/server/api/root';
import type { StripeContext } from '~/server/billing/stripe';
import { env } from '~/server/env';
import { creditBalanceCents } from '~/server/billing/credits';
import { drivers, makeUser, openTestDatabase, testConfig, type TestDb } from '~/test/harness';

const deployment = (orgId: string, plan: string, key: string) => ({ orgId, name: `d-${key}`, plan, region: 'eu-west-1', version: '7.2.5', idempotencyKey: `allowance-${key}` });

describe.each(drivers)('plan allowances (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('limits free deployments per person across all their organizations', async () => {
    expect(env.limits.freeDeploymentsPerUser).toBe(1);
    const { api } = await makeUser(t.db, 'free@allowance.test');
    const a = await api.orgs.create({ name: 'First Free' });
    const b = await api.orgs.create({ name: 'Second Free' });
    await api.deployments.create(deployment(a.id, 'free', 'free-a'));
    await expect(api.deployments.create(deployment(b.id, 'free', 'free-b'))).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('the most one person may have across all their organizations (1)'),
    });
    // Paid plans are not affected (payments are not configured here).
    await api.deployments.create(deployment(b.id, 'starter', 'starter-b'));
  });

  it('limits the organizations one person owns', async () => {
    const { api } = await makeUser(t.db, 'orgs@allowance.test');
    for (let i = 0; i < env.limits.orgsPerUser; i++) await api.orgs.create({ name: `Org ${i}` });
    await expect(api.orgs.create({ name: 'One Too Many' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining(`(${env.limits.orgsPerUser})`) });
  });

  it('needs a payment method (or a staff trial) for a paid plan when Stripe is configured', async () => {
    const { user, api: plain } = await makeUser(t.db, 'paid@allowance.test');
    const api = createCaller({ db: t.db, userId: user.id, ip: '203.0.113.5', config: { ...testConfig, billing: { ...testConfig.billing, stripe: {} as StripeContext, appUrl: 'http://localhost' } } });
    const org = await api.orgs.create({ name: 'Paid Co' });
    await expect(api.deployments.create(deployment(org.id, 'enterprise', 'ent-1'))).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'The Enterprise plan needs a payment method on file. Add one on the Billing page (it opens Stripe Checkout), then create the deployment again.',
    });
    expect(await api.deployments.list({ orgId: org.id })).toEqual([]);
    // The free plan needs none; upgrading it to a paid one does.
    const free = await api.deployments.create(deployment(org.id, 'free', 'free-1'));
    await expect(api.deployments.update({ orgId: org.id, deploymentId: free.id, expectedGeneration: 1, plan: 'pro' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // A staff-granted trial allows it, until it ends; an active subscription allows it.
    const admin = await makeUser(t.db, 'trials@allowance.test', 'admin');
    await admin.api.staff.tenants.grantPaidTrial({ orgId: org.id, days: 14, reason: 'evaluating Pro for a month', confirm: true });
    await api.deployments.create(deployment(org.id, 'pro', 'pro-trial'));
    await t.db.update(organizations).set({ paidTrialUntil: new Date(Date.now() - 1000) }).where(eq(organizations.id, org.id));
    await expect(api.deployments.create(deployment(org.id, 'pro', 'pro-expired'))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await t.db.update(organizations).set({ paymentStatus: 'active' }).where(eq(organizations.id, org.id));
    await api.deployments.create(deployment(org.id, 'pro', 'pro-paid'));
    // Without Stripe, today's behaviour: nothing is charged, so nothing is required.
    const other = await plain.orgs.create({ name: 'Unconfigured Co' });
    await plain.deployments.create(deployment(other.id, 'enterprise', 'ent-unconfigured'));
  });

  it('keeps one billing currency per organization', async () => {
    const admin = await makeUser(t.db, 'finance@allowance.test', 'admin');
    const { api } = await makeUser(t.db, 'currency@allowance.test');
    const org = await api.orgs.create({ name: 'Currency Co' });
    await expect(admin.api.staff.credits.issue({ orgId: org.id, amountCents: 5000, currency: 'eur', reason: 'goodwill credit', confirm: true })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('billed in USD'),
    });
    await admin.api.staff.credits.issue({ orgId: org.id, amountCents: 5000, currency: 'usd', reason: 'goodwill credit', confirm: true });
    // A foreign-currency grant from before the rule is never summed into the USD balance.
    await t.db.insert(creditEntries).values({ orgId: org.id, kind: 'grant', amountCents: 7000, currency: 'gbp', reason: 'legacy', actorId: admin.user.id });
    expect(await creditBalanceCents(t.db, org.id)).toBe(5000);
  });
});
