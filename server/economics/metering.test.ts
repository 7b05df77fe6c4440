import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingSegments, costEvents, costRates, deployments, organizations, plans, regions } from '~/db/schema';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { setCostRate } from './cost-model';
import { meterCost } from './metering';

const at = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00Z`);
const from = at('00:00');

/** Per region, so each case prices against its own model: starter runs at 100 + 20 (shared) + 2 GB × 10 + 5 = 145/h. */
const model = { computeCentiCentsPerHour: 100, storageCentiCentsPerGbHour: 10, sharedClusterCentiCentsPerHour: 20, overheadCentiCentsPerHour: 5 };
const pro = { computeCentiCentsPerHour: 1000, storageCentiCentsPerGbHour: 10, sharedClusterCentiCentsPerHour: 50, overheadCentiCentsPerHour: 5 };

describe.each(drivers)('cost metering (%s)', (driver) => {
  let t: TestDb;
  let planId: string;
  let admin: { userId: string; staffRole: 'admin' };
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    admin = { userId: (await makeUser(t.db, 'cost-admin@plinth.test', 'admin')).user.id, staffRole: 'admin' };
    planId = (await t.db.select({ id: plans.id }).from(plans).where(eq(plans.slug, 'starter')))[0]!.id;
  });
  afterAll(() => t.drop());

  /** A deployment in a region of its own, priced by `model` (and `pro`) from midnight, with a scripted history. */
  async function history(
    steps: Array<[string, { plan?: string; gb?: number; billable?: boolean; state?: string | null; compute?: boolean }]>,
    opts: { engineCost?: number; deletedAt?: Date; plan?: string } = {},
  ) {
    const region = `t-${randomUUID().slice(0, 8)}`;
    await t.db.insert(regions).values({ id: region, name: region, sortOrder: 99 });
    await t.db.insert(costRates).values([
      { planSlug: 'starter', region, effectiveFrom: from, ...model },
      { planSlug: 'pro', region, effectiveFrom: from, ...pro },
      { planSlug: 'byoc-test', region, effectiveFrom: from, ...model },
    ]);
    const [org] = await t.db.insert(organizations).values({ name: 'Cost Co', slug: `cost-${randomUUID().slice(0, 8)}` }).returning();
    const spec = { plan: opts.plan ?? 'starter', version: '7.2.5', region, memoryMb: 1024, replicas: 0, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
    const [d] = await t.db
      .insert(deployments)
      .values({ orgId: org!.id, name: 'cache', planId, spec, infraEngine: 'sandbox', deliveryEngine: 'sandbox', infraHourlyCostCentiCents: opts.engineCost ?? null, deletedAt: opts.deletedAt ?? null })
      .returning();
    for (const [time, s] of steps) {
      const billable = s.billable ?? s.plan !== undefined;
      await t.db.insert(billingSegments).values({ deploymentId: d!.id, orgId: org!.id, at: at(time), billable, planSlug: s.plan ?? null, hourlyRateCentiCents: billable ? 260 : 0, storageGb: s.gb ?? 0, state: s.state ?? null, compute: s.compute ?? true });
    }
    return d!.id;
  }
  const cost = (deploymentId: string) =>
    t.db
      .select({ plan: costEvents.planSlug, hour: costEvents.hourStart, hours: costEvents.hours, amount: costEvents.amountCentiCents, final: costEvents.final })
      .from(costEvents)
      .where(eq(costEvents.deploymentId, deploymentId))
      .orderBy(asc(costEvents.hourStart), asc(costEvents.planSlug))
      .then((rows) => rows.map((r) => ({ plan: r.plan, hour: r.hour.toISOString().slice(11, 16), hours: Math.round(r.hours * 1000) / 1000, amount: r.amount })));

  it('costs partial hours by their fraction, and nothing once deleted', async () => {
    const id = await history([['10:00', { plan: 'starter', gb: 2 }], ['11:20', { state: 'deleted' }]]);
    await meterCost(t.db, { from, now: at('13:00') });
    expect(await cost(id)).toEqual([
      { plan: 'starter', hour: '10:00', hours: 1, amount: 145 },
      { plan: 'starter', hour: '11:00', hours: 0.333, amount: 48 },
    ]);
  });

  it('a stopped deployment costs its storage only, and full cost again once started', async () => {
    const id = await history([
      ['10:00', { plan: 'starter', gb: 2 }],
      ['10:15', { state: 'stopped' }],
      ['12:00', { plan: 'starter', gb: 2 }],
      ['12:45', { state: 'deleted' }],
    ]);
    await meterCost(t.db, { from, now: at('14:00') });
    // 10:00 = ¼ h running (36.25) + ¾ h stopped (2 GB × 10 × ¾ = 15); 11:00 = storage only; 12:00 = ¾ h running.
    expect((await cost(id)).map((c) => [c.hour, c.amount])).toEqual([
      ['10:00', 51],
      ['11:00', 20],
      ['12:00', 109],
    ]);
  });

  it('costs a stop as the reconciler records it (billable, compute off) like a stopped state: storage only', async () => {
    const id = await history([
      ['10:00', { plan: 'starter', gb: 2 }],
      ['10:15', { plan: 'starter', gb: 2, compute: false }],
      ['12:00', { plan: 'starter', gb: 2 }],
      ['12:45', { state: 'deleted' }],
    ]);
    await meterCost(t.db, { from, now: at('14:00') });
    expect((await cost(id)).map((c) => [c.hour, c.amount])).toEqual([
      ['10:00', 51],
      ['11:00', 20],
      ['12:00', 109],
    ]);
  });

  it('splits an hour between plans when the plan changes mid-hour', async () => {
    const id = await history([['10:00', { plan: 'starter', gb: 2 }], ['10:15', { plan: 'pro', gb: 4 }], ['11:00', { state: 'deleted' }]]);
    await meterCost(t.db, { from, now: at('12:00') });
    expect(await cost(id)).toEqual([
      { plan: 'pro', hour: '10:00', hours: 0.75, amount: 821 }, // ¾ × (1000 + 50 + 40 + 5)
      { plan: 'starter', hour: '10:00', hours: 0.25, amount: 36 },
    ]);
  });

  it('a failed deployment costs what it holds (its last plan and disk), though it is not billed', async () => {
    const id = await history([['10:00', { plan: 'starter', gb: 2 }], ['10:30', { billable: false }]], { deletedAt: at('12:00') });
    await meterCost(t.db, { from, now: at('13:00') });
    expect((await cost(id)).map((c) => [c.hour, c.hours, c.amount])).toEqual([
      ['10:00', 1, 145],
      ['11:00', 1, 145],
    ]);
  });

  it('uses the engine cost signal for compute, and costs a BYOC deployment the overhead only', async () => {
    const signalled = await history([['10:00', { plan: 'starter', gb: 2 }]], { engineCost: 300, deletedAt: at('11:00') });
    await t.db.insert(plans).values({ productId: (await t.db.select({ p: plans.productId }).from(plans).limit(1))[0]!.p, slug: 'byoc-test', name: 'BYOC test', tier: 'byoc', monthlyPriceCents: 0, hourlyRateCentiCents: 0, limits: { maxDeployments: null, memoryMb: 1024, storageGb: 2, replicas: 0, persistence: true, maxConnections: 10 }, sortOrder: 99 });
    const byoc = await history([['10:00', { plan: 'byoc-test', gb: 2 }]], { engineCost: 300, deletedAt: at('11:00'), plan: 'byoc-test' });
    await meterCost(t.db, { from, now: at('12:00') });
    expect((await cost(signalled))[0]?.amount).toBe(300 + 20 + 5); // engine compute + storage + overhead
    expect((await cost(byoc))[0]?.amount).toBe(5);
  });

  it('is idempotent: a rerun writes nothing, an hour that ends is finalised once and never changed', async () => {
    const id = await history([['10:00', { plan: 'starter', gb: 2 }]]);
    await meterCost(t.db, { from, now: at('10:30') });
    const first = await t.db.select().from(costEvents).where(eq(costEvents.deploymentId, id));
    expect(first.map((r) => [r.amountCentiCents, r.final])).toEqual([[73, false]]); // ½ × 145 = 72.5, rounded
    expect((await meterCost(t.db, { from, now: at('10:30') })).written).toBe(0);
    await meterCost(t.db, { from, now: at('11:00') });
    expect((await meterCost(t.db, { from, now: at('11:00') })).written).toBe(0);
    const closed = await t.db.select().from(costEvents).where(and(eq(costEvents.deploymentId, id), eq(costEvents.final, true)));
    expect(closed.map((r) => r.amountCentiCents)).toEqual([145]);
  });

  it('applies a cost-model change from its effective time only: hours already metered keep their figures', async () => {
    const id = await history([['08:00', { plan: 'starter', gb: 2 }]]);
    const region = (await t.db.select({ spec: deployments.spec }).from(deployments).where(eq(deployments.id, id)))[0]!.spec.region;
    await meterCost(t.db, { from, now: at('10:10') });
    const why = { reason: 'Compute went up', confirm: true as const };
    const change = { planSlug: 'starter', region, ...model, computeCentiCentsPerHour: 200, ...why };
    // Backdating is refused, and changes nothing.
    const err = await setCostRate(t.db, admin, { ...change, effectiveFrom: at('09:00') }, { now: () => at('10:10') }).catch((e) => e);
    expect({ code: err.code, field: err.field }).toEqual({ code: 'BAD_REQUEST', field: 'effectiveFrom' });
    await setCostRate(t.db, admin, { ...change, effectiveFrom: at('10:30') }, { now: () => at('10:10') });
    await meterCost(t.db, { from, now: at('12:00') });
    expect((await cost(id)).map((c) => [c.hour, c.amount])).toEqual([
      ['08:00', 145],
      ['09:00', 145],
      ['10:00', 195], // ½ h at 145, ½ h at 245
      ['11:00', 245],
    ]);
    // The model itself is append-only.
    const edit = await t.db.execute(sql`update cost_rates set compute_centi_cents_per_hour = 1 where region = ${region}`).catch((e) => e);
    expect(edit).toBeInstanceOf(Error);
  });
});
