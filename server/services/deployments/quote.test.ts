/**
 * Price before change, checked: a create or a resize carrying the monthly price the person confirmed is refused,
 * with the new price, when the plan's price moved since; nothing is written. Without a quote (API clients) the
 * change goes through as before.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, operations, plans } from '~/db/schema';
import { estimateMonthly } from '~/lib/pricing';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('quoted prices (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('refuses a create or resize whose quote no longer matches, and accepts the current one', async () => {
    const { api } = await makeUser(t.db, 'quote@pricing.test');
    const org = await api.orgs.create({ name: 'Quoted' });
    const [starter] = await t.db.select().from(plans).where(eq(plans.slug, 'starter'));
    const spec = { memoryMb: 1024, persistence: true };
    const quoted = estimateMonthly(starter!, spec).totalCents;
    const input = { orgId: org.id, name: 'quoted', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'quote-create-1', ...spec };

    // The price moves after the page loaded it.
    await t.db.update(plans).set({ hourlyRateCentiCents: starter!.hourlyRateCentiCents + 100 }).where(eq(plans.id, starter!.id));
    const now = estimateMonthly({ ...starter!, hourlyRateCentiCents: starter!.hourlyRateCentiCents + 100 }, spec).totalCents;
    await expect(api.deployments.create({ ...input, quotedMonthlyCents: quoted })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('The price changed since you saw it'),
    });
    expect(await t.db.select().from(deployments).where(eq(deployments.orgId, org.id))).toEqual([]);

    // Confirming the new price works.
    const d = await api.deployments.create({ ...input, quotedMonthlyCents: now });
    expect(await t.db.select().from(operations).where(eq(operations.deploymentId, d.id))).toHaveLength(1);

    // A resize quoted at the old rate is refused; the deployment keeps generation 1.
    const resized = { memoryMb: 512, persistence: true };
    const oldQuote = estimateMonthly(starter!, resized).totalCents;
    await expect(api.deployments.update({ orgId: org.id, deploymentId: d.id, expectedGeneration: 1, ...resized, quotedMonthlyCents: oldQuote })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Review the new price and confirm again'),
    });
    const [row] = await t.db.select().from(deployments).where(eq(deployments.id, d.id));
    expect(row!.generation).toBe(1);
    const newQuote = estimateMonthly({ ...starter!, hourlyRateCentiCents: starter!.hourlyRateCentiCents + 100 }, resized).totalCents;
    await api.deployments.update({ orgId: org.id, deploymentId: d.id, expectedGeneration: 1, ...resized, quotedMonthlyCents: newQuote });
    // Without a quote, as before.
    await api.deployments.update({ orgId: org.id, deploymentId: d.id, expectedGeneration: 2, memoryMb: 256 });
    await t.db.update(plans).set({ hourlyRateCentiCents: starter!.hourlyRateCentiCents }).where(eq(plans.id, starter!.id));
  });
});
