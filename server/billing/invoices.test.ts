import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSegments, creditEntries, organizations } from '~/db/schema';
import { creditBalanceCents, issueCredit } from '~/server/billing/credits';
import { makeDeployment, makeOrg } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { closeFinishedMonths, listInvoices, previewInvoice } from './invoices';
import { meterUsage } from './metering';

describe.each(drivers)('invoices and credits (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  async function tenant() {
    const { owner, orgId, api } = await makeOrg(t.db, 'Invoiced');
    return { orgId, userId: owner.user.id, api };
  }

  it('previews plan fees, usage × rates and credits, line by line', async () => {
    const { orgId, userId } = await tenant();
    // 72 hours on Starter with 2 GB of disk, in October 2026 (744 hours).
    const d = randomUUID();
    await t.db.insert(billingSegments).values([
      { deploymentId: d, orgId, at: new Date('2026-10-05T00:00:00Z'), billable: true, planSlug: 'starter', hourlyRateCentiCents: 260, storageGb: 2 },
      { deploymentId: d, orgId, at: new Date('2026-10-08T00:00:00Z'), billable: false },
    ]);
    await meterUsage(t.db, { from: new Date('2026-10-01T00:00:00Z'), now: new Date('2026-10-20T00:00:00Z') });
    await issueCredit(t.db, { orgId, actorId: userId, amountCents: 300, currency: 'usd', reason: 'Sorry about the outage', expiresAt: null });

    const preview = await previewInvoice(t.db, orgId, new Date('2026-10-20T00:00:00Z'));
    expect(preview.lines).toEqual([
      { kind: 'plan', description: 'Starter plan — 72 of 744 hours this month', quantity: 72, unit: 'hours', amountCents: 184 },
      { kind: 'usage', description: 'Starter deployment-hours — 72 h × $0.026', quantity: 72, unit: 'hours', amountCents: 187 },
      { kind: 'usage', description: 'Storage — 144 GB-hours × $0.0002', quantity: 144, unit: 'GB-hours', amountCents: 3 },
    ]);
    expect(preview).toMatchObject({ subtotalCents: 374, creditsAppliedCents: 300, totalCents: 74, creditBalanceCents: 300 });
  });

  it('closes a finished month once, applying credit soonest-expiring first and recording it in the ledger', async () => {
    const { orgId, userId } = await tenant();
    const d = randomUUID();
    await t.db.insert(billingSegments).values([
      { deploymentId: d, orgId, at: new Date('2026-09-01T00:00:00Z'), billable: true, planSlug: 'pro', hourlyRateCentiCents: 1360 },
      { deploymentId: d, orgId, at: new Date('2026-09-11T00:00:00Z'), billable: false },
    ]);
    await meterUsage(t.db, { from: new Date('2026-09-01T00:00:00Z'), now: new Date('2026-10-02T00:00:00Z') });
    const later = await issueCredit(t.db, { orgId, actorId: userId, amountCents: 10_000, currency: 'usd', reason: 'Later expiry', expiresAt: new Date('2027-06-01T00:00:00Z') });
    const sooner = await issueCredit(t.db, { orgId, actorId: userId, amountCents: 2_000, currency: 'usd', reason: 'Sooner expiry', expiresAt: new Date('2027-01-01T00:00:00Z') });

    // 240 h of Pro: fee 9900 × 240/720 = 3300, usage 240 × 13.6¢ = 3264 → 6564.
    expect(await closeFinishedMonths(t.db, new Date('2026-10-02T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await closeFinishedMonths(t.db, new Date('2026-10-02T00:00:00Z'))).toBe(0);
    const entries = await t.db.select().from(creditEntries).where(eq(creditEntries.orgId, orgId));
    const applied = entries.filter((e) => e.kind === 'apply');
    expect(applied.map((a) => [a.grantId, a.amountCents]).sort()).toEqual([[later.id, -4564], [sooner.id, -2000]].sort());
    expect(await creditBalanceCents(t.db, orgId, new Date('2026-10-02T00:00:00Z'))).toBe(10_000 - 4564);
    const [invoice] = await listInvoices(t.db, orgId);
    expect(invoice).toMatchObject({ subtotalCents: 6564, creditsAppliedCents: 6564, totalCents: 0, status: 'paid' });
    expect(invoice!.lines.filter((l) => l.kind === 'credit').map((l) => l.description)).toEqual(['Credit: Sooner expiry', 'Credit: Later expiry']);
  });

  it('refuses to change or delete credit entries at the database', async () => {
    const { orgId, userId } = await tenant();
    await issueCredit(t.db, { orgId, actorId: userId, amountCents: 100, currency: 'usd', reason: 'Append only', expiresAt: null });
    await expect(t.db.update(creditEntries).set({ amountCents: 1_000_000 }).where(eq(creditEntries.orgId, orgId))).rejects.toMatchObject({ cause: { message: 'credit_entries is append-only: UPDATE is not allowed' } });
    await expect(t.db.delete(creditEntries).where(eq(creditEntries.orgId, orgId))).rejects.toMatchObject({ cause: { message: 'credit_entries is append-only: DELETE is not allowed' } });
    await expect(issueCredit(t.db, { orgId, actorId: userId, amountCents: 0, currency: 'usd', reason: 'x', expiresAt: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('blocks new operations once payment is past due beyond the grace period', async () => {
    const { orgId, api } = await tenant();
    await t.db.update(organizations).set({ paymentStatus: 'past_due', pastDueSince: new Date(Date.now() - 30 * 86_400_000) }).where(eq(organizations.id, orgId));
    await expect(makeDeployment(api, orgId, 'late-payer')).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Payment is past due'),
    });
    await t.db.update(organizations).set({ pastDueSince: new Date() }).where(eq(organizations.id, orgId));
    await expect(makeDeployment(api, orgId, 'in-grace')).resolves.toMatchObject({ created: true });
  });
});
