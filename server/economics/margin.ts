/**
 * The Unit economics reports: per tenant, plan and region over a period of whole days — accrued revenue (split into
 * invoiced months and months still accruing), credits granted and consumed, cost, gross margin — and the fleet
 * total. Read from roll-ups only: running totals per tenant (economics_tenant_days), per plan and region per day, and
 * the tenant's daily roll-up for its trend.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { centiToCents, margin, splitPeriod } from '~/lib/economics';
import type { MarginReportInput } from '~/lib/inputs/economics';
import type { StaffActor } from '../actor';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

export type Period = { from: string; to: string };

const sortSql: Record<MarginReportInput['sort'], string> = {
  margin: 'margin_cents',
  marginPct: 'margin_pct',
  revenue: 'revenue_cents',
  cost: 'cost_cents',
  credits: 'consumed',
  name: 'name',
};
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

type Opts = { sort: MarginReportInput['sort']; direction: 'asc' | 'desc'; negativeFirst: boolean; limit: number; orgId?: string };
type Row = {
  orgId: string; name: string; slug: string; currency: string;
  costCents: number; revenueCents: number; invoicedCents: number; creditsGrantedCents: number; creditsConsumedCents: number;
};
type Fleet = { currency: string; tenants: number; negativeTenants: number; costCents: number; revenueCents: number; invoicedCents: number; creditsGrantedCents: number; creditsConsumedCents: number };

/**
 * Per-tenant figures over the period from the running totals (economics_tenant_days): the totals at the period's
 * last day minus those at the day before it, so the work is a few rows per tenant, not one per day or hour.
 * Revenue before the end of the tenant's last invoiced month counts as invoiced. Sorted and cut in SQL; the fleet
 * totals (per currency) and counts come back in the same statement.
 */
async function tenantFigures(db: DbOrTx, period: Period, o: Opts) {
  const [b] = rows<{ last: string | null; cuts: string[] }>(
    await db.execute(sql`
      select (select max(day) from economics_tenant_days)::text as last,
             (select coalesce(json_agg(distinct invoiced_through::text), '[]'::json) from economics_tenants where invoiced_through > ${period.from}::date) as cuts`),
  );
  const to = b?.last && b.last < period.to ? b.last : period.to;
  if (!b?.last || to < period.from) return { tenants: [] as Row[], fleet: [] as Fleet[], count: 0, negative: 0 };
  const cuts = [...new Set((b.cuts ?? []).map((c) => (dayBefore(c) < to ? dayBefore(c) : to)))];
  const dir = o.direction === 'asc' ? 'asc' : 'desc';
  const order = sql.raw(`${o.negativeFirst ? '(margin_cents < 0) desc, ' : ''}${sortSql[o.sort]} ${dir} ${o.sort === 'marginPct' ? (dir === 'asc' ? 'nulls first' : 'nulls last') : ''}, org_id`);
  const q = sql`
    with x as (
      -- Integer arithmetic only (cost and revenue are never negative: +50 then divide is rounding to cents).
      select t.org_id, o.name, o.slug, o.billing_currency as currency,
             t.cost_cum - coalesce(f.cost_cum, 0) as cost, t.revenue_cum - coalesce(f.revenue_cum, 0) as revenue,
             case when e.invoiced_through is null or e.invoiced_through <= ${period.from}::date then 0
                  else coalesce(c.revenue_cum, 0) - coalesce(f.revenue_cum, 0) end as invoiced,
             t.credits_granted_cum - coalesce(f.credits_granted_cum, 0) as granted,
             t.credits_consumed_cum - coalesce(f.credits_consumed_cum, 0) as consumed
      from economics_tenant_days t
      join organizations o on o.id = t.org_id
      left join economics_tenant_days f on f.day = ${dayBefore(period.from)}::date and f.org_id = t.org_id
      left join economics_tenants e on e.org_id = t.org_id
      left join economics_tenant_days c on c.day = any(${`{${cuts.join(',')}}`}::date[]) and c.org_id = t.org_id
        and c.day = least(${to}::date, e.invoiced_through - 1)
      where t.day = ${to}::date ${o.orgId ? sql`and t.org_id = ${o.orgId}::uuid` : sql``}
    ),
    cents as (
      select org_id, name, slug, currency, granted, consumed,
             (cost + 50) / 100 as cost_cents, (revenue + 50) / 100 as revenue_cents, (invoiced + 50) / 100 as invoiced_cents
      from x where cost <> 0 or revenue <> 0 or granted <> 0 or consumed <> 0
    ),
    y as (
      select *, revenue_cents - consumed - cost_cents as margin_cents,
             case when revenue_cents - consumed > 0
               then round(((revenue_cents - consumed - cost_cents) * 1000)::float8 / (revenue_cents - consumed)) / 10 end as margin_pct
      from cents
    )
    select
      (select coalesce(json_agg(r), '[]'::json) from (
        select org_id as "orgId", name, slug, currency, cost_cents as "costCents", revenue_cents as "revenueCents", invoiced_cents as "invoicedCents",
               granted as "creditsGrantedCents", consumed as "creditsConsumedCents"
        from y order by ${order} limit ${o.limit}) r) as tenants,
      (select coalesce(json_agg(f), '[]'::json) from (
        select currency, count(*) as tenants, count(*) filter (where margin_cents < 0) as "negativeTenants",
               sum(cost_cents) as "costCents", sum(revenue_cents) as "revenueCents", sum(invoiced_cents) as "invoicedCents",
               sum(granted) as "creditsGrantedCents", sum(consumed) as "creditsConsumedCents"
        from y group by currency order by currency) f) as fleet,
      (select count(*) from y)::int as count,
      (select count(*) from y where margin_cents < 0)::int as negative`;
  const result = await db.execute(q);
  const [r] = rows<{ tenants: Row[]; fleet: Fleet[]; count: number; negative: number }>(result);
  const num = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'name' && k !== 'slug' ? Number(v) : v])) as T;
  return { tenants: (r?.tenants ?? []).map(num), fleet: (r?.fleet ?? []).map(num), count: r?.count ?? 0, negative: r?.negative ?? 0 };
}

const figures = (cost: number, revenue: number, invoiced: number, creditsConsumed = 0) => {
  const costCents = centiToCents(cost);
  const revenueCents = centiToCents(revenue);
  const invoicedCents = centiToCents(invoiced);
  return { costCents, revenueCents, invoicedCents, accruingCents: revenueCents - invoicedCents, ...margin({ revenueCents, creditsConsumedCents: creditsConsumed, costCents }) };
};

const withMargin = (r: Row) => ({
  ...r,
  accruingCents: r.revenueCents - r.invoicedCents,
  ...margin({ revenueCents: r.revenueCents, creditsConsumedCents: r.creditsConsumedCents, costCents: r.costCents }),
});
export type TenantMargin = ReturnType<typeof withMargin> & { plans: string[]; regions: string[] };

/** The listed tenants' live plans and regions, for the table (read for the page's rows only). */
async function holdings(db: DbOrTx, orgIds: string[]) {
  if (orgIds.length === 0) return new Map<string, { plans: string[]; regions: string[] }>();
  const result = await db.execute(sql`
    select org_id as "orgId", array_agg(distinct spec->>'plan') as plans, array_agg(distinct spec->>'region') as regions
    from deployments where org_id = any(${`{${orgIds.join(',')}}`}::uuid[]) and deleted_at is null group by org_id`);
  return new Map(rows<{ orgId: string; plans: string[]; regions: string[] }>(result).map((h) => [h.orgId, h]));
}

/** By plan and by region across all tenants, before credits (credits belong to tenants). */
async function breakdowns(db: DbOrTx, period: Period) {
  const result = await db.execute(sql`
    select plan_slug as "planSlug", region, sum(cost_centi_cents)::float8 as cost, sum(revenue_centi_cents)::float8 as revenue
    from economics_plan_region_daily where day >= ${period.from}::date and day <= ${period.to}::date group by plan_slug, region`);
  const cs = rows<{ planSlug: string; region: string; cost: number; revenue: number }>(result);
  const by = (key: (c: (typeof cs)[number]) => string) => {
    const m = new Map<string, { cost: number; revenue: number }>();
    for (const c of cs) {
      const g = m.get(key(c)) ?? { cost: 0, revenue: 0 };
      g.cost += Number(c.cost);
      g.revenue += Number(c.revenue);
      m.set(key(c), g);
    }
    return [...m.entries()].map(([k, g]) => ({ key: k, ...figures(g.cost, g.revenue, 0) })).sort((a, b) => a.marginCents - b.marginCents);
  };
  return { byPlan: by((c) => c.planSlug), byRegion: by((c) => c.region) };
}

/** The Unit economics page: tenants with activity in the period, sorted; per plan, per region; fleet totals. */
export async function marginReport(db: DbOrTx, _actor: StaffActor, input: MarginReportInput) {
  const [t, b] = await Promise.all([tenantFigures(db, input.period, input), breakdowns(db, input.period)]);
  const held = await holdings(db, t.tenants.map((r) => r.orgId));
  return {
    period: input.period,
    tenants: t.tenants.map((r): TenantMargin => ({ ...withMargin(r), plans: held.get(r.orgId)?.plans ?? [], regions: held.get(r.orgId)?.regions ?? [] })),
    tenantCount: t.count,
    negativeCount: t.negative,
    ...b,
    fleet: t.fleet.map((f) => ({ ...f, accruingCents: f.revenueCents - f.invoicedCents, ...margin(f) })),
  };
}

/** One tenant: its figures, a daily trend, and cost per deployment (for the shared tier, per namespace). */
export async function tenantEconomics(db: DbOrTx, _actor: StaffActor, input: { orgId: string; period: Period }) {
  const end = splitPeriod(input.period.from, input.period.to).end;
  const [figs, org, trend, perDeployment] = await Promise.all([
    tenantFigures(db, input.period, { sort: 'name', direction: 'asc', negativeFirst: false, limit: 1, orgId: input.orgId }),
    db.execute(sql`select id as "orgId", name, slug, billing_currency as currency from organizations where id = ${input.orgId}::uuid`),
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
  const [o] = rows<{ orgId: string; name: string; slug: string; currency: string }>(org);
  if (!o) return null;
  const zero = { ...o, costCents: 0, revenueCents: 0, invoicedCents: 0, creditsGrantedCents: 0, creditsConsumedCents: 0 };
  return {
    summary: withMargin(figs.tenants[0] ?? zero),
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
