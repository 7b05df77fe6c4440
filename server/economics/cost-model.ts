/**
 * The cost model as data (cost_rates): staff read it, staff admins add to it. A change is a new row that applies
 * from its effective time, which may not be in the past: an hour already metered keeps the figures it had.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '~/db/client';
import { costRates, plans, regions, users } from '~/db/schema';
import type { SetCostRateInput } from '~/lib/inputs/economics';
import type { StaffActor } from '../actor';
import { AppError } from '../errors';
import { audit } from '../services/audit';

export type CostModelDeps = { now?: () => Date };

/** Every plan × region with the figures in effect now, what is scheduled next, and the full history. */
export async function viewCostModel(db: DbOrTx, _actor: StaffActor, _input: void, deps: CostModelDeps = {}) {
  const now = deps.now?.() ?? new Date();
  const [history, planRows, regionRows] = await Promise.all([
    db
      .select({ row: costRates, by: users.email })
      .from(costRates)
      .leftJoin(users, eq(users.id, costRates.createdBy))
      .orderBy(asc(costRates.planSlug), asc(costRates.region), desc(costRates.effectiveFrom)),
    db.select({ slug: plans.slug, name: plans.name, tier: plans.tier }).from(plans).orderBy(asc(plans.sortOrder)),
    db.select({ id: regions.id, name: regions.name }).from(regions).orderBy(asc(regions.sortOrder)),
  ]);
  const cells = planRows.flatMap((p) =>
    regionRows.map((r) => {
      const rows = history.filter((h) => h.row.planSlug === p.slug && h.row.region === r.id).map((h) => ({ ...h.row, createdByEmail: h.by }));
      return {
        plan: p,
        region: r,
        current: rows.find((h) => h.effectiveFrom <= now) ?? null,
        scheduled: rows.filter((h) => h.effectiveFrom > now).reverse(),
        history: rows,
      };
    }),
  );
  return { now, cells };
}

/** Adds a cost-model row for a plan and region, audited with the admin's reason. */
export async function setCostRate(db: Db, actor: StaffActor, input: SetCostRateInput, deps: CostModelDeps = {}) {
  const now = deps.now?.() ?? new Date();
  const effectiveFrom = input.effectiveFrom ?? now;
  // A minute of slack for the form's clock; anything earlier would rewrite figures already metered.
  if (effectiveFrom.getTime() < now.getTime() - 60_000) {
    throw new AppError('BAD_REQUEST', 'Past figures never change: choose an effective time from now on, or leave it empty for now.', { field: 'effectiveFrom' });
  }
  return db.transaction(async (tx) => {
    // Serializes changes to one cell, so "previous" in the audit entry is really the previous one.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cost:${input.planSlug}:${input.region}`}))`);
    const [plan] = await tx.select({ slug: plans.slug }).from(plans).where(eq(plans.slug, input.planSlug)).limit(1);
    if (!plan) throw new AppError('BAD_REQUEST', `There is no plan "${input.planSlug}". Choose one from the list.`, { field: 'planSlug' });
    const [region] = await tx.select({ id: regions.id }).from(regions).where(eq(regions.id, input.region));
    if (!region) throw new AppError('BAD_REQUEST', `There is no region "${input.region}". Choose one from the list.`, { field: 'region' });
    const [clash] = await tx
      .select({ id: costRates.id })
      .from(costRates)
      .where(and(eq(costRates.planSlug, plan.slug), eq(costRates.region, region.id), eq(costRates.effectiveFrom, effectiveFrom)));
    if (clash) throw new AppError('CONFLICT', 'A change for this plan and region already starts at that time. Choose another time.', { field: 'effectiveFrom' });
    const [previous] = await tx
      .select()
      .from(costRates)
      .where(and(eq(costRates.planSlug, plan.slug), eq(costRates.region, region.id), sql`${costRates.effectiveFrom} <= ${effectiveFrom.toISOString()}::timestamptz`))
      .orderBy(desc(costRates.effectiveFrom))
      .limit(1);
    const figures = {
      computeCentiCentsPerHour: input.computeCentiCentsPerHour,
      storageCentiCentsPerGbHour: input.storageCentiCentsPerGbHour,
      sharedClusterCentiCentsPerHour: input.sharedClusterCentiCentsPerHour,
      overheadCentiCentsPerHour: input.overheadCentiCentsPerHour,
    };
    const [row] = await tx
      .insert(costRates)
      .values({ planSlug: plan.slug, region: region.id, effectiveFrom, ...figures, createdBy: actor.userId, reason: input.reason })
      .returning();
    await audit(tx, {
      actorId: actor.userId,
      orgId: null,
      action: 'cost_rate.set',
      target: `${plan.slug}/${region.id}`,
      before: previous
        ? {
            computeCentiCentsPerHour: previous.computeCentiCentsPerHour,
            storageCentiCentsPerGbHour: previous.storageCentiCentsPerGbHour,
            sharedClusterCentiCentsPerHour: previous.sharedClusterCentiCentsPerHour,
            overheadCentiCentsPerHour: previous.overheadCentiCentsPerHour,
            effectiveFrom: previous.effectiveFrom,
          }
        : null,
      after: { ...figures, effectiveFrom },
      reason: input.reason,
    });
    return row!;
  });
}
