/**
 * The margin roll-ups: per tenant, day (and month), plan and region, cost from cost_events and accrued revenue
 * from usage_events (usage amounts plus plan fees prorated by the hours run, as invoices compute them). Refreshed
 * by cost metering for the days its window touched, so the margin page reads months and days, never hours.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { checkMarginTurns } from './margin-events';

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const utcMonth = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;

export async function refreshEconomics(db: Db, from: Date, now: Date): Promise<void> {
  const fromDay = utcDay(from);
  const fromTs = sql`${`${fromDay}T00:00:00Z`}::timestamptz`;
  await db.execute(sql`
    insert into economics_daily (org_id, day, plan_slug, region, cost_centi_cents, revenue_centi_cents)
    select org_id, day, plan_slug, region, sum(cost)::bigint, round(sum(revenue))::bigint from (
      select c.org_id, (c.hour_start at time zone 'UTC')::date as day, c.plan_slug, c.region, c.amount_centi_cents as cost, 0::float8 as revenue
      from cost_events c where c.hour_start >= ${fromTs}
      union all
      -- Revenue: usage as charged, plus the plan fee for the hours run (monthly price × hours / hours in that month).
      select u.org_id, (u.hour_start at time zone 'UTC')::date, u.plan_slug, coalesce(d.spec->>'region', 'unknown'), 0,
             u.amount_centi_cents + case when u.meter = 'deployment_hours'
               then coalesce((select p.monthly_price_cents from plans p where p.slug = u.plan_slug limit 1), 0) * 100.0 * u.quantity
                    / (extract(epoch from (date_trunc('month', u.hour_start at time zone 'UTC') + interval '1 month') - date_trunc('month', u.hour_start at time zone 'UTC')) / 3600.0)
               else 0 end
      from usage_events u left join deployments d on d.id = u.deployment_id
      where u.hour_start >= ${fromTs}
    ) x group by org_id, day, plan_slug, region
    on conflict (org_id, day, plan_slug, region) do update
      set cost_centi_cents = excluded.cost_centi_cents, revenue_centi_cents = excluded.revenue_centi_cents`);
  await refreshMonthly(db, from);
  await db.execute(sql`
    insert into economics_plan_region_daily (day, plan_slug, region, cost_centi_cents, revenue_centi_cents)
    select day, plan_slug, region, sum(cost_centi_cents), sum(revenue_centi_cents) from economics_daily where day >= ${fromDay}::date
    group by day, plan_slug, region
    on conflict (day, plan_slug, region) do update set cost_centi_cents = excluded.cost_centi_cents, revenue_centi_cents = excluded.revenue_centi_cents`);
  await refreshTenantDays(db, from, now);
  await db.execute(sql`
    insert into economics_tenants (org_id, invoiced_through)
    select org_id, max(period_end at time zone 'UTC')::date from invoices group by org_id
    on conflict (org_id) do update set invoiced_through = excluded.invoiced_through
      where economics_tenants.invoiced_through is distinct from excluded.invoiced_through`);
  await checkMarginTurns(db, now);
}

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The running totals per tenant (economics_tenant_days), day by day from the window's first day (or from the
 * first activity ever, the first time; or from the day after the last row, if ticks stopped for a while) to today.
 * Each day is the previous day's totals plus that day's roll-up and credit movements.
 */
export async function refreshTenantDays(db: Db, from: Date, now: Date): Promise<void> {
  const [state] = rows<{ last: string | null; first: string | null }>(
    await db.execute(sql`
      select (select max(day)::text from economics_tenant_days) as last,
             least((select min(day) from economics_daily), (select min(created_at at time zone 'UTC')::date from credit_entries))::text as first`),
  );
  if (!state?.first) return;
  const windowStart = utcDay(from);
  let day = state.last ? (nextDay(state.last) < windowStart ? nextDay(state.last) : windowStart) : state.first;
  const today = utcDay(now);
  for (; day <= today; day = nextDay(day)) {
    const d = sql`${day}::date`;
    const start = sql`${`${day}T00:00:00Z`}::timestamptz`;
    await db.execute(sql`
      insert into economics_tenant_days (day, org_id, cost_cum, revenue_cum, credits_granted_cum, credits_consumed_cum)
      select ${d}, k.org_id, coalesce(p.cost_cum, 0) + coalesce(a.cost, 0), coalesce(p.revenue_cum, 0) + coalesce(a.revenue, 0),
             coalesce(p.credits_granted_cum, 0) + coalesce(c.granted, 0), coalesce(p.credits_consumed_cum, 0) + coalesce(c.consumed, 0)
      from (
        select org_id from economics_tenant_days where day = ${d} - 1
        union select org_id from economics_daily where day = ${d}
        union select org_id from credit_entries where created_at >= ${start} and created_at < ${start} + interval '1 day'
      ) k
      left join economics_tenant_days p on p.day = ${d} - 1 and p.org_id = k.org_id
      left join (select org_id, sum(cost_centi_cents) as cost, sum(revenue_centi_cents) as revenue from economics_daily where day = ${d} group by org_id) a
        on a.org_id = k.org_id
      left join (select org_id, sum(amount_cents) filter (where kind = 'grant') as granted, -sum(amount_cents) filter (where kind = 'apply') as consumed
                 from credit_entries where created_at >= ${start} and created_at < ${start} + interval '1 day' group by org_id) c
        on c.org_id = k.org_id
      on conflict (day, org_id) do update set cost_cum = excluded.cost_cum, revenue_cum = excluded.revenue_cum,
        credits_granted_cum = excluded.credits_granted_cum, credits_consumed_cum = excluded.credits_consumed_cum`);
  }
}

/** Months from `from`'s month on, summed from the daily roll-up. */
export async function refreshMonthly(db: Db, from: Date): Promise<void> {
  await db.execute(sql`
    insert into economics_monthly (org_id, month, plan_slug, region, cost_centi_cents, revenue_centi_cents)
    select org_id, date_trunc('month', day)::date, plan_slug, region, sum(cost_centi_cents), sum(revenue_centi_cents)
    from economics_daily where day >= ${utcMonth(from)}::date
    group by org_id, date_trunc('month', day)::date, plan_slug, region
    on conflict (org_id, month, plan_slug, region) do update
      set cost_centi_cents = excluded.cost_centi_cents, revenue_centi_cents = excluded.revenue_centi_cents`);
}
