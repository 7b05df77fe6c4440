import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, billingSegments, costRates, creditEntries, deployments, events as outbox, invoices, organizations, plans } from '~/db/schema';
import { margin, splitPeriod } from '~/lib/economics';
import { meterUsage } from '~/server/billing/metering';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { tenantEconomics, marginReport } from './margin';
import { meterCost } from './metering';

const staff = { userId: randomUUID(), staffRole: 'support' as const };

describe('margin arithmetic', () => {
  it('is net revenue (less credit consumed) minus cost, in integer cents, with the percentage of net revenue', () => {
    expect(margin({ revenueCents: 1000, creditsConsumedCents: 200, costCents: 900 })).toEqual({ netRevenueCents: 800, marginCents: -100, marginPct: -12.5, negative: true });
    expect(margin({ revenueCents: 0, creditsConsumedCents: 0, costCents: 40 })).toEqual({ netRevenueCents: 0, marginCents: -40, marginPct: null, negative: true });
  });
  it('reads whole months from the monthly roll-up and the loose days around them from the daily one', () => {
    expect(splitPeriod('2026-10-15', '2026-12-03')).toEqual({ months: ['2026-11-01', '2026-12-01'], days: [['2026-10-15', '2026-11-01'], ['2026-12-01', '2026-12-04']], end: '2026-12-04' });
    expect(splitPeriod('2026-10-31', '2026-11-01')).toEqual({ months: null, days: [['2026-10-31', '2026-11-02']], end: '2026-11-02' });
  });
});

describe.each(drivers)('unit economics (%s)', (driver) => {
  let t: TestDb;
  let paying: string;
  let losing: string;
  const region = 'margin-test';

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const planId = (await t.db.select({ id: plans.id }).from(plans).where(eq(plans.slug, 'starter')))[0]!.id;
    // Starter here costs 100 + 20 (shared) + 2 GB × 10 + 5 = 145/h and earns 260/h + 4/h storage + the plan fee.
    const from = new Date('2026-01-01T00:00:00Z');
    await t.db.insert(costRates).values([
      { planSlug: 'starter', region, effectiveFrom: from, computeCentiCentsPerHour: 100, storageCentiCentsPerGbHour: 10, sharedClusterCentiCentsPerHour: 20, overheadCentiCentsPerHour: 5 },
      { planSlug: 'free', region, effectiveFrom: from, computeCentiCentsPerHour: 100, storageCentiCentsPerGbHour: 10, sharedClusterCentiCentsPerHour: 20, overheadCentiCentsPerHour: 5 },
    ]);
    const org = async (name: string, currency: string) =>
      (await t.db.insert(organizations).values({ name, slug: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}`, billingCurrency: currency }).returning())[0]!.id;
    paying = await org('Paying', 'eur');
    losing = await org('Losing', 'usd');
    const spec = (plan: string) => ({ plan, version: '7.2.5', region, memoryMb: 1024, replicas: 0, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } });
    for (const [orgId, plan, rate] of [[paying, 'starter', 260], [losing, 'free', 0]] as const) {
      const [d] = await t.db
        .insert(deployments)
        .values({ orgId, name: 'cache', planId, spec: spec(plan), infraEngine: 'sandbox', deliveryEngine: 'sandbox', deletedAt: new Date('2026-11-01T12:00:00Z') })
        .returning();
      await t.db.insert(billingSegments).values([
        { deploymentId: d!.id, orgId, at: new Date('2026-10-31T00:00:00Z'), billable: true, planSlug: plan, hourlyRateCentiCents: rate, storageGb: 2 },
        { deploymentId: d!.id, orgId, at: new Date('2026-11-01T12:00:00Z'), billable: false, state: 'deleted' },
      ]);
    }
    await t.db.insert(invoices).values({ orgId: paying, periodStart: new Date('2026-10-01T00:00:00Z'), periodEnd: new Date('2026-11-01T00:00:00Z'), status: 'paid', currency: 'eur', subtotalCents: 125, totalCents: 125, lines: [] });
    await t.db.insert(creditEntries).values([
      { orgId: paying, kind: 'grant', amountCents: 100, currency: 'eur', reason: 'before the period', createdAt: new Date('2026-10-15T00:00:00Z') },
      { orgId: paying, kind: 'grant', amountCents: 50, currency: 'eur', reason: 'goodwill', createdAt: new Date('2026-10-31T09:00:00Z') },
      { orgId: paying, kind: 'apply', amountCents: -30, currency: 'eur', reason: 'applied', createdAt: new Date('2026-11-01T00:00:00Z') },
    ]);
    const now = new Date('2026-11-02T00:00:00Z');
    await meterUsage(t.db, { from: new Date('2026-10-30T00:00:00Z'), now });
    await meterCost(t.db, { from: new Date('2026-10-30T00:00:00Z'), now });
  });
  afterAll(() => t.drop());

  it('joins revenue (invoiced and accruing), credits in the tenant’s currency and cost into its margin', async () => {
    const report = await marginReport(t.db, staff, { period: { from: '2026-10-31', to: '2026-11-01' }, sort: 'name', direction: 'asc', negativeFirst: false, limit: 50 });
    const row = report.tenants.find((r) => r.orgId === paying)!;
    // 24 h of October at 260 + 4 + 190000/744 and 12 h of November at 260 + 4 + 190000/720: 18,799.7 → 188 cents.
    expect(row).toMatchObject({ currency: 'eur', revenueCents: 188, invoicedCents: 125, accruingCents: 63, creditsGrantedCents: 50, creditsConsumedCents: 30, costCents: 52 });
    expect(row).toMatchObject({ netRevenueCents: 158, marginCents: 106, marginPct: 67.1, negative: false });
    expect(report.tenants.find((r) => r.orgId === losing)).toMatchObject({ revenueCents: 1, costCents: 52, marginCents: -51, negative: true }); // free, but storage is metered
    // Whole months read the monthly roll-up: the same figures.
    const months = await marginReport(t.db, staff, { period: { from: '2026-10-01', to: '2026-11-30' }, sort: 'name', direction: 'asc', negativeFirst: false, limit: 50 });
    expect(months.tenants.find((r) => r.orgId === paying)).toMatchObject({ revenueCents: 188, costCents: 52, creditsGrantedCents: 150 });
    expect(months.byPlan.map((p) => [p.key, p.costCents])).toEqual([['free', 52], ['starter', 52]]);
    expect(months.byRegion).toEqual([expect.objectContaining({ key: region, costCents: 104, revenueCents: 189 })]);
    expect(months.fleet.find((f) => f.currency === 'usd')).toMatchObject({ tenants: 1, negativeTenants: 1, marginCents: -51, negative: true });
  });

  it('sorts, and lists negative-margin tenants first on demand', async () => {
    const input = { period: { from: '2026-10-01', to: '2026-11-30' }, sort: 'revenue' as const, direction: 'desc' as const, negativeFirst: false, limit: 50 };
    const names = async (over: object) => (await marginReport(t.db, staff, { ...input, ...over })).tenants.map((r) => r.name).filter((n) => n === 'Paying' || n === 'Losing');
    expect(await names({})).toEqual(['Paying', 'Losing']);
    expect(await names({ negativeFirst: true })).toEqual(['Losing', 'Paying']);
    expect(await names({ sort: 'name', direction: 'asc' })).toEqual(['Losing', 'Paying']);
  });

  it('gives one tenant its trend and cost per deployment', async () => {
    const view = await tenantEconomics(t.db, staff, { orgId: paying, period: { from: '2026-10-31', to: '2026-11-01' } });
    expect(view!.trend.map((d) => [d.day, d.costCents])).toEqual([['2026-10-31', 35], ['2026-11-01', 17]]);
    expect(view!.deployments).toEqual([expect.objectContaining({ name: 'cache', planSlug: 'starter', tier: 'shared', hours: 36, costCents: 52 })]);
  });

  it('emits tenant.margin_negative once, when the month-to-date margin turns negative', async () => {
    const events = () => t.db.select().from(auditLog).where(and(eq(auditLog.action, 'tenant.margin_negative'), eq(auditLog.orgId, losing)));
    expect(await events()).toHaveLength(1);
    await meterCost(t.db, { from: new Date('2026-10-30T00:00:00Z'), now: new Date('2026-11-02T00:00:00Z') });
    expect(await events()).toHaveLength(1);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'tenant.margin_negative'), eq(auditLog.orgId, paying)))).toHaveLength(0);
    // The same turn is in the events outbox, once, for staff notifications.
    expect(await t.db.select().from(outbox).where(and(eq(outbox.type, 'tenant.margin_negative'), eq(outbox.orgId, losing)))).toHaveLength(1);
  });
});
