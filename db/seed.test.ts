import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plans, products, productVersions, regions } from '~/db/schema';
import { seed } from '~/db/seed';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('seed (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver); // already seeded once
  });
  afterAll(() => t.drop());

  const snapshot = async () => ({
    products: await t.db.select().from(products),
    plans: await t.db.select().from(plans),
    versions: await t.db.select().from(productVersions),
    regions: await t.db.select().from(regions),
  });

  it('seeds the example product with four priced plans', async () => {
    const s = await snapshot();
    expect(s.products.map((p) => p.name)).toEqual(['Plinth Redis']);
    expect(s.plans.sort((a, b) => a.sortOrder - b.sortOrder).map((p) => [p.slug, p.monthlyPriceCents])).toEqual([
      ['free', 0],
      ['starter', 1900],
      ['pro', 9900],
      ['enterprise', 99900],
    ]);
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot();
    await seed(t.db);
    await seed(t.db);
    expect(await snapshot()).toEqual(before);
  });
});
