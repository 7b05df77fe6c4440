/**
 * The Unit economics reports: per tenant, plan and region over a period of whole days — accrued revenue (split into
 * invoiced months and months still accruing), credits granted and consumed, cost, gross margin — and the fleet
 * total. Read from the roll-ups only: whole months from economics_monthly, the loose days from economics_daily.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { centiToCents, margin, splitPeriod } from '~/lib/economics';
import type { MarginReportInput } from '~/lib/inputs/economics';
import type { StaffActor } from '../actor';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

type Cell = { orgId: string; planSlug: string; region: string; cost: number; revenue: number; invoiced: number };
export type Period = { from: string; to: string };

/** Cost and revenue per (tenant, plan, region) over the period, in hundredths of a cent; one tenant when `orgId`. */
async function cells(db: DbOrTx, period: Period, orgId?: string): Promise<Cell[]> {
  const p = splitPeriod(period.from, period.to);
  const org = (col: string) => (orgId ? sql`and ${sql.raw(col)} = ${orgId}::uuid` : sql``);
  const months = p.months
    ? sql`select org_id, plan_slug, region, month, cost_centi_cents as c, revenue_centi_cents as r from economics_monthly
          where month >= ${p.months[0]}::date and month < ${p.months[1]}::date ${org('org_id')}`
    : null;
  const dayParts = p.days.map(
    ([a, b]) => sql`select org_id, plan_slug, region, date_trunc('month', day)::date as month, cost_centi_cents as c, revenue_centi_cents as r from economics_daily
          where day >= ${a}::date and day < ${b}::date ${org('org_id')}`,
  );
  const union = sql.join([...(months ? [months] : []), ...dayParts], sql` union all `);
  const result = await db.execute(sql`
    with e as (${union})
    select e.org_id as "orgId", e.plan_slug as "planSlug", e.region, sum(e.c)::float8 as cost, sum(e.r)::float8 as revenue,
           coalesce(sum(e.r) filter (where i.id is not null), 0)::float8 as invoiced
    from e left join invoices i on i.org_id = e.org_id and i.period_start = (e.month::timestamp at time zone 'UTC')
    group by e.org_id, e.plan_slug, e.region`);
  return rows<Cell>(result).map((c) => ({ ...c, cost: Number(c.cost), revenue: Number(c.revenue), invoiced: Number(c.invoiced) }));
}

type Tenant = { orgId: string; name: string; slug: string; currency: string; creditsGranted: number; creditsConsumed: number };

/**
 * Names, currencies and credit movements in the period (credits are in the org's own currency, in cents): the
 * tenants in `orgIds`, plus any other tenant with credit movements — unless `single`, which reads that one only.
 */
async function tenants(db: DbOrTx, period: Period, orgIds: string[], single?: string): Promise<Tenant[]> {
  const end = splitPeriod(period.from, period.to).end;
  const result = await db.execute(sql`
    with cr as (
      select org_id, coalesce(sum(amount_cents) filter (where kind = 'grant'), 0) as granted,
             coalesce(-sum(amount_cents) filter (where kind = 'apply'), 0) as consumed
      from credit_entries where created_at >= ${`${period.from}T00:00:00Z`}::timestamptz and created_at < ${`${end}T00:00:00Z`}::timestamptz
      ${single ? sql`and org_id = ${single}::uuid` : sql``}
      group by org_id
    )
    select o.id as "orgId", o.name, o.slug, o.billing_currency as currency,
           coalesce(cr.granted, 0)::int as "creditsGranted", coalesce(cr.consumed, 0)::int as "creditsConsumed"
    from organizations o left join cr on cr.org_id = o.id
    where o.id = any(${`{${orgIds.join(',')}}`}::uuid[]) or cr.org_id is not null`);
  return rows<Tenant>(result);
}

const figures = (cost: number, revenue: number, invoiced: number, creditsConsumed = 0) => {
  const costCents = centiToCents(cost);
  const revenueCents = centiToCents(revenue);
  const invoicedCents = centiToCents(invoiced);
  return { costCents, revenueCents, invoicedCents, accruingCents: revenueCents - invoicedCents, ...margin({ revenueCents, creditsConsumedCents: creditsConsumed, costCents }) };
};

function groupBy(cs: Cell[], key: (c: Cell) => string) {
  const m = new Map<string, { cost: number; revenue: number; invoiced: number }>();
  for (const c of cs) {
    const g = m.get(key(c)) ?? { cost: 0, revenue: 0, invoiced: 0 };
    g.cost += c.cost;
    g.revenue += c.revenue;
    g.invoiced += c.invoiced;
    m.set(key(c), g);
  }
  return m;
}

export type TenantMargin = ReturnType<typeof tenantRow>;
function tenantRow(t: Tenant, g: { cost: number; revenue: number; invoiced: number } | undefined, plans: string[], regions: string[]) {
  return {
    orgId: t.orgId,
    name: t.name,
    slug: t.slug,
    currency: t.currency,
    plans,
    regions,
    creditsGrantedCents: t.creditsGranted,
    creditsConsumedCents: t.creditsConsumed,
    ...figures(g?.cost ?? 0, g?.revenue ?? 0, g?.invoiced ?? 0, t.creditsConsumed),
  };
}

const sorters: Record<MarginReportInput['sort'], (a: TenantMargin, b: TenantMargin) => number> = {
  margin: (a, b) => a.marginCents - b.marginCents,
  marginPct: (a, b) => (a.marginPct ?? -Infinity) - (b.marginPct ?? -Infinity),
  revenue: (a, b) => a.revenueCents - b.revenueCents,
  cost: (a, b) => a.costCents - b.costCents,
  credits: (a, b) => a.creditsConsumedCents - b.creditsConsumedCents,
  name: (a, b) => a.name.localeCompare(b.name),
};

/** The Unit economics page: every tenant with activity in the period, sorted; per plan, per region; fleet totals. */
export async function marginReport(db: DbOrTx, _actor: StaffActor, input: MarginReportInput) {
  const cs = await cells(db, input.period);
  const byOrg = groupBy(cs, (c) => c.orgId);
  const orgIds = [...byOrg.keys()];
  const ts = await tenants(db, input.period, orgIds);
  const planSets = new Map<string, Set<string>>();
  const regionSets = new Map<string, Set<string>>();
  for (const c of cs) {
    planSets.set(c.orgId, (planSets.get(c.orgId) ?? new Set()).add(c.planSlug));
    regionSets.set(c.orgId, (regionSets.get(c.orgId) ?? new Set()).add(c.region));
  }
  const all = ts.map((t) => tenantRow(t, byOrg.get(t.orgId), [...(planSets.get(t.orgId) ?? [])], [...(regionSets.get(t.orgId) ?? [])]));
  const dir = input.direction === 'asc' ? 1 : -1;
  all.sort((a, b) => (input.negativeFirst ? Number(b.negative) - Number(a.negative) : 0) || dir * sorters[input.sort](a, b) || a.orgId.localeCompare(b.orgId));
  const fleet = new Map<string, { revenueCents: number; invoicedCents: number; costCents: number; creditsGrantedCents: number; creditsConsumedCents: number; tenants: number; negativeTenants: number }>();
  for (const r of all) {
    const f = fleet.get(r.currency) ?? { revenueCents: 0, invoicedCents: 0, costCents: 0, creditsGrantedCents: 0, creditsConsumedCents: 0, tenants: 0, negativeTenants: 0 };
    f.revenueCents += r.revenueCents;
    f.invoicedCents += r.invoicedCents;
    f.costCents += r.costCents;
    f.creditsGrantedCents += r.creditsGrantedCents;
    f.creditsConsumedCents += r.creditsConsumedCents;
    f.tenants += 1;
    f.negativeTenants += r.negative ? 1 : 0;
    fleet.set(r.currency, f);
  }
  const breakdown = (m: Map<string, { cost: number; revenue: number; invoiced: number }>) =>
    [...m.entries()].map(([key, g]) => ({ key, ...figures(g.cost, g.revenue, g.invoiced) })).sort((a, b) => a.marginCents - b.marginCents);
  return {
    period: input.period,
    tenants: all.slice(0, input.limit),
    tenantCount: all.length,
    negativeCount: all.filter((r) => r.negative).length,
    byPlan: breakdown(groupBy(cs, (c) => c.planSlug)),
    byRegion: breakdown(groupBy(cs, (c) => c.region)),
    fleet: [...fleet.entries()].map(([currency, f]) => ({
      currency,
      ...f,
      accruingCents: f.revenueCents - f.invoicedCents,
      ...margin({ revenueCents: f.revenueCents, creditsConsumedCents: f.creditsConsumedCents, costCents: f.costCents }),
    })),
  };
}

/** One tenant: its figures, a daily trend, and cost per deployment (for the shared tier, per namespace). */
export async function tenantEconomics(db: DbOrTx, _actor: StaffActor, input: { orgId: string; period: Period }) {
  const end = splitPeriod(input.period.from, input.period.to).end;
  const [cs, ts, trend, perDeployment] = await Promise.all([
    cells(db, input.period, input.orgId),
    tenants(db, input.period, [input.orgId], input.orgId),
    db.execute(sql`
      select day::text as day, sum(cost_centi_cents)::float8 as cost, sum(revenue_centi_cents)::float8 as revenue
      from economics_daily where org_id = ${input.orgId}::uuid and day >= ${input.period.from}::date and day < ${end}::date
      group by day order by day`),
    db.execute(sql`
      select c.deployment_id as "deploymentId", coalesce(d.name, 'deleted deployment') as name, c.plan_slug as "planSlug", c.region,
             (select p.tier from plans p where p.slug = c.plan_slug limit 1) as tier,
             sum(c.hours)::float8 as hours, sum(c.amount_centi_cents)::float8 as cost
      from cost_events c left join deployments d on d.id = c.deployment_id
      where c.org_id = ${input.orgId}::uuid and c.hour_start >= ${`${input.period.from}T00:00:00Z`}::timestamptz and c.hour_start < ${`${end}T00:00:00Z`}::timestamptz
      group by c.deployment_id, d.name, c.plan_slug, c.region order by sum(c.amount_centi_cents) desc limit 200`),
  ]);
  const t = ts.find((x) => x.orgId === input.orgId);
  if (!t) return null;
  const g = groupBy(cs, (c) => c.orgId).get(input.orgId);
  return {
    summary: tenantRow(t, g, [...new Set(cs.map((c) => c.planSlug))], [...new Set(cs.map((c) => c.region))]),
    trend: rows<{ day: string; cost: number; revenue: number }>(trend).map((r) => {
      const costCents = centiToCents(Number(r.cost));
      const revenueCents = centiToCents(Number(r.revenue));
      return { day: r.day, costCents, revenueCents, marginCents: revenueCents - costCents };
    }),
    deployments: rows<{ deploymentId: string; name: string; planSlug: string; region: string; tier: string | null; hours: number; cost: number }>(perDeployment).map((r) => ({
      deploymentId: r.deploymentId,
      name: r.name,
      planSlug: r.planSlug,
      region: r.region,
      tier: r.tier,
      hours: Math.round(Number(r.hours) * 1000) / 1000,
      costCents: centiToCents(Number(r.cost)),
    })),
  };
}
