import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSegments, usageDeploymentDaily, usageEvents, usageOrgHourly } from '~/db/schema';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { meterUsage } from './metering';

const at = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00Z`);
const from = at('00:00');

describe.each(drivers)('metering (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  /** Scripts a deployment's billable history: [time, plan or null for not billable, storage GB]. */
  async function history(steps: Array<[string, string | null, number?]>) {
    const deploymentId = randomUUID();
    const orgId = randomUUID();
    const rate = { starter: 260, pro: 1360 } as Record<string, number>;
    for (const [time, plan, storage] of steps) {
      await t.db.insert(billingSegments).values({
        deploymentId,
        orgId,
        at: at(time),
        billable: plan !== null,
        planSlug: plan,
        hourlyRateCentiCents: plan ? rate[plan]! : 0,
        storageGb: storage ?? 0,
      });
    }
    return { deploymentId, orgId };
  }
  const usage = (deploymentId: string, meter = 'deployment_hours') =>
    t.db
      .select({ plan: usageEvents.planSlug, hour: usageEvents.hourStart, q: usageEvents.quantity, amount: usageEvents.amountCentiCents, final: usageEvents.final })
      .from(usageEvents)
      .where(and(eq(usageEvents.deploymentId, deploymentId), eq(usageEvents.meter, meter)))
      .orderBy(asc(usageEvents.hourStart), asc(usageEvents.planSlug))
      .then((rows) => rows.map((r) => ({ ...r, q: Math.round(r.q * 10_000) / 10_000, hour: r.hour.toISOString().slice(11, 16) })));

  it('charges a deployment ready for 90 minutes 1.5 hours, split over the hours it ran', async () => {
    const { deploymentId } = await history([['10:00', 'starter', 2], ['11:30', null]]);
    await meterUsage(t.db, { from, now: at('13:00') });
    expect(await usage(deploymentId)).toEqual([
      { plan: 'starter', hour: '10:00', q: 1, amount: 260, final: true },
      { plan: 'starter', hour: '11:00', q: 0.5, amount: 130, final: true },
    ]);
    expect((await usage(deploymentId, 'storage_gb_hours')).map((u) => [u.hour, u.q, u.amount])).toEqual([
      ['10:00', 2, 4],
      ['11:00', 1, 2],
    ]);
  });

  it('charges a deployment deleted mid-hour only for its time', async () => {
    const { deploymentId } = await history([['10:15', 'starter'], ['10:45', null]]);
    await meterUsage(t.db, { from, now: at('12:00') });
    expect(await usage(deploymentId)).toEqual([{ plan: 'starter', hour: '10:00', q: 0.5, amount: 130, final: true }]);
  });

  it('splits the hour of a plan change between the two plans', async () => {
    const { deploymentId } = await history([['10:00', 'starter'], ['10:20', 'pro'], ['11:00', null]]);
    await meterUsage(t.db, { from, now: at('12:00') });
    expect(await usage(deploymentId)).toEqual([
      { plan: 'pro', hour: '10:00', q: 0.6667, amount: 907, final: true },
      { plan: 'starter', hour: '10:00', q: 0.3333, amount: 87, final: true },
    ]);
  });

  it('does not charge failed periods', async () => {
    const { deploymentId } = await history([['10:00', 'starter'], ['10:10', null], ['10:40', 'starter'], ['11:00', null]]);
    await meterUsage(t.db, { from, now: at('12:00') });
    expect(await usage(deploymentId)).toEqual([{ plan: 'starter', hour: '10:00', q: 0.5, amount: 130, final: true }]);
  });

  it('grows the open hour, then freezes it once the hour is over', async () => {
    const { deploymentId } = await history([['14:00', 'starter']]);
    await meterUsage(t.db, { from, now: at('14:30') });
    expect(await usage(deploymentId)).toEqual([{ plan: 'starter', hour: '14:00', q: 0.5, amount: 130, final: false }]);
    await meterUsage(t.db, { from, now: at('15:06') });
    expect(await usage(deploymentId)).toEqual([
      { plan: 'starter', hour: '14:00', q: 1, amount: 260, final: true },
      { plan: 'starter', hour: '15:00', q: 0.1, amount: 26, final: false },
    ]);
    // A late segment cannot rewrite an hour that was already final (and may have been pushed to Stripe).
    await t.db.insert(billingSegments).values({ deploymentId, orgId: randomUUID(), at: at('14:30'), billable: false, hourlyRateCentiCents: 0 });
    await meterUsage(t.db, { from, now: at('15:06') });
    expect((await usage(deploymentId))[0]).toMatchObject({ hour: '14:00', q: 1, final: true });
  });

  it('is idempotent when re-run, and when runs overlap', async () => {
    const { deploymentId, orgId } = await history([['16:00', 'pro', 4], ['18:30', null]]);
    await meterUsage(t.db, { from, now: at('20:00') });
    const once = await usage(deploymentId);
    await Promise.all([1, 2, 3].map(() => meterUsage(t.db, { from, now: at('20:00') })));
    await meterUsage(t.db, { from, now: at('20:00') });
    expect(await usage(deploymentId)).toEqual(once);
    expect(once.reduce((a, u) => a + u.q, 0)).toBe(2.5);
    const hourly = await t.db.select().from(usageOrgHourly).where(eq(usageOrgHourly.orgId, orgId));
    expect(hourly.filter((h) => h.meter === 'deployment_hours').reduce((a, h) => a + h.quantity, 0)).toBe(2.5);
    const daily = await t.db.select().from(usageDeploymentDaily).where(eq(usageDeploymentDaily.deploymentId, deploymentId));
    expect(daily.map((d) => [d.meter, d.day, d.quantity])).toEqual(expect.arrayContaining([['deployment_hours', '2026-11-02', 2.5], ['storage_gb_hours', '2026-11-02', 10]]));
  });
});
