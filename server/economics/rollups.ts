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
  await checkMarginTurns(db, now);
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
