/**
 * Cost metering: hourly cost per deployment, from the same billing segments usage metering reads
 * (server/billing/metering.ts), priced by the cost model in effect at each instant (cost_rates) and by the state
 * each segment records (./cost.ts). Partial hours count their fraction; a plan change mid-hour splits the hour; a
 * cost-model change mid-hour splits it at its effective time; a failed period costs what the deployment holds; a
 * stopped one its storage; cost ends when the deployment is deleted.
 *
 * Idempotent: one row per (deployment, plan, hour), recomputed until the hour is over (`final`) and then never
 * changed; a rerun that finds the same figures writes nothing.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { hourlyCostSql, stateSql } from './cost';
import { refreshEconomics } from './rollups';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

/** Meters cost for every hour from `from` (rounded down) up to `now`, then refreshes the margin roll-ups. */
export async function meterCost(db: Db, { from, now = new Date() }: { from: Date; now?: Date }): Promise<{ written: number }> {
  return db.transaction(async (tx) => {
    // One run at a time across workers (idempotent anyway; this avoids roll-up deadlocks). Not usage's lock id.
    await tx.execute(sql`select pg_advisory_xact_lock(7411018)`);
    const written = await upsertCost(tx as unknown as Db, from, now);
    await refreshEconomics(tx as unknown as Db, from, now);
    return { written };
  });
}

async function upsertCost(db: Db, from: Date, now: Date): Promise<number> {
  const f = sql`${from.toISOString()}::timestamptz`;
  const n = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with seg as (
      select s.deployment_id, s.org_id, ${stateSql} as state, s.at as start_at,
             least(coalesce(lead(s.at) over (partition by s.deployment_id order by s.at, s.id), ${n}), coalesce(d.deleted_at, ${n}), ${n}) as end_at,
             held.plan_slug, held.storage_gb, d.spec->>'region' as region, d.infra_hourly_cost_centi_cents as engine_cost
      from billing_segments s
      join deployments d on d.id = s.deployment_id
      -- A failed or stopped segment carries no plan: it holds what the last segment with one had.
      cross join lateral (select p.plan_slug, p.storage_gb from billing_segments p
        where p.deployment_id = s.deployment_id and p.plan_slug is not null and (p.at, p.id) <= (s.at, s.id)
        order by p.at desc, p.id desc limit 1) held
      where s.at <= ${n}
    ),
    rate as (
      select r.plan_slug, r.region, r.effective_from,
             coalesce(lead(r.effective_from) over (partition by r.plan_slug, r.region order by r.effective_from), 'infinity'::timestamptz) as until,
             r.compute_centi_cents_per_hour as compute, r.storage_centi_cents_per_gb_hour as storage_rate,
             r.shared_cluster_centi_cents_per_hour as shared, r.overhead_centi_cents_per_hour as overhead
      from cost_rates r
    ),
    pieces as (
      select seg.deployment_id, seg.org_id, seg.plan_slug, seg.region, seg.state, seg.storage_gb, seg.engine_cost,
             (select p.tier from plans p where p.slug = seg.plan_slug limit 1) as tier,
             rate.compute, rate.storage_rate, rate.shared, rate.overhead, h as hour_start,
             extract(epoch from (least(seg.end_at, rate.until, h + interval '1 hour') - greatest(seg.start_at, rate.effective_from, h))) / 3600.0 as hours
      from seg
      join rate on rate.plan_slug = seg.plan_slug and rate.region = seg.region and rate.effective_from < seg.end_at and rate.until > seg.start_at
      cross join lateral generate_series(date_trunc('hour', greatest(seg.start_at, rate.effective_from, ${f})), least(seg.end_at, rate.until) - interval '1 microsecond', interval '1 hour') as h
      -- A deleted deployment holds nothing: no rows at all, rather than rows of zero.
      where seg.end_at > seg.start_at and seg.end_at > ${f} and seg.state <> 'deleted'
    ),
    per_hour as (
      select deployment_id, org_id, plan_slug, region, hour_start, sum(hours) as hours, round(sum(hours * ${hourlyCostSql()}))::bigint as amount
      from pieces group by deployment_id, org_id, plan_slug, region, hour_start
    ),
    written as (
      insert into cost_events (deployment_id, org_id, plan_slug, region, hour_start, hours, amount_centi_cents, final)
      select deployment_id, org_id, plan_slug, region, hour_start, hours, amount, hour_start + interval '1 hour' <= ${n} from per_hour
      on conflict (deployment_id, plan_slug, hour_start) do update
        set hours = excluded.hours, amount_centi_cents = excluded.amount_centi_cents, final = excluded.final
        where cost_events.final = false
          and (cost_events.hours, cost_events.amount_centi_cents, cost_events.final) is distinct from (excluded.hours, excluded.amount_centi_cents, excluded.final)
      returning 1
    )
    select count(*)::int as n from written`);
  return rows<{ n: number }>(result)[0]?.n ?? 0;
}
