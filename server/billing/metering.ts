/**
 * Metering: turns billing segments (when each deployment was billable, on which plan) into hourly usage events
 * per deployment and meter. A deployment ready for 90 minutes is charged 1.5 hours; one deleted mid-hour only
 * for its time; a plan change mid-hour splits the hour between the plans; failed periods are not billable.
 *
 * Idempotent by construction: each (deployment, meter, plan, hour) has one idempotency key and its quantity is
 * recomputed from the segments, so re-running, or running on two workers at once, never double-counts. An hour
 * becomes `final` once it is over and is never changed again; only final hours are pushed to Stripe.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR } from './rates';

export type MeterResult = { upserted: number };

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

/**
 * Meters every hour from `from` (rounded down to the hour) up to `now`; with `orgId`, only that organization's
 * deployments (an organization's final invoice meters its own month without re-metering everyone's).
 */
export async function meterUsage(db: Db, { from, now = new Date(), orgId }: { from: Date; now?: Date; orgId?: string }): Promise<MeterResult> {
  return db.transaction(async (tx) => {
    // One metering run at a time across all workers: runs are idempotent anyway, this only avoids roll-up deadlocks.
    await tx.execute(sql`select pg_advisory_xact_lock(7411002)`);
    const upserted = await upsertUsage(tx as unknown as Db, from, now, orgId ?? null);
    await refreshRollups(tx as unknown as Db, from, orgId ?? null);
    return { upserted };
  });
}

async function upsertUsage(db: Db, from: Date, now: Date, orgId: string | null): Promise<number> {
  const result = await db.execute(sql`
    with seg as (
      select s.deployment_id, s.org_id, s.billable, s.plan_slug, s.hourly_rate_centi_cents as rate, s.storage_gb, s.compute, s.at as start_at,
             coalesce(lead(s.at) over (partition by s.deployment_id order by s.at, s.id), ${now.toISOString()}::timestamptz) as end_at
      from billing_segments s
      where s.at <= ${now.toISOString()}::timestamptz and (${orgId}::uuid is null or s.org_id = ${orgId}::uuid)
    ),
    pieces as (
      select seg.deployment_id, seg.org_id, seg.plan_slug, seg.rate, seg.storage_gb, seg.compute, h as hour_start,
             extract(epoch from (least(seg.end_at, h + interval '1 hour') - greatest(seg.start_at, h))) / 3600.0 as hours
      from seg
      cross join lateral generate_series(date_trunc('hour', greatest(seg.start_at, ${from.toISOString()}::timestamptz)), seg.end_at - interval '1 microsecond', interval '1 hour') as h
      where seg.billable and seg.end_at > seg.start_at and seg.end_at > ${from.toISOString()}::timestamptz
    ),
    per_hour as (
      -- A stopped deployment's hours (compute = false) bill its storage only.
      select deployment_id, org_id, plan_slug, hour_start, max(rate) as rate, max(storage_gb) as storage_gb,
             sum(case when compute then hours else 0 end) as hours,
             sum(hours * storage_gb) as gb_hours
      from pieces group by deployment_id, org_id, plan_slug, hour_start
    ),
    usage as (
      select deployment_id, org_id, plan_slug, hour_start, 'deployment_hours' as meter, hours as quantity, round(hours * rate)::bigint as amount from per_hour
      where hours > 0
      union all
      select deployment_id, org_id, plan_slug, hour_start, 'storage_gb_hours', gb_hours, round(gb_hours * ${STORAGE_RATE_CENTI_CENTS_PER_GB_HOUR})::bigint
      from per_hour where gb_hours > 0
    ),
    upserted as (
      insert into usage_events (idempotency_key, org_id, deployment_id, meter, plan_slug, hour_start, quantity, amount_centi_cents, final)
      select u.deployment_id || ':' || u.meter || ':' || u.plan_slug || ':' || to_char(u.hour_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24'),
             u.org_id, u.deployment_id, u.meter, u.plan_slug, u.hour_start, u.quantity, u.amount,
             u.hour_start + interval '1 hour' <= ${now.toISOString()}::timestamptz
      from usage u
      on conflict (idempotency_key) do update
        set quantity = excluded.quantity, amount_centi_cents = excluded.amount_centi_cents, final = excluded.final, updated_at = now()
        where usage_events.final = false
      returning 1
    )
    select count(*)::int as n from upserted`);
  return rows<{ n: number }>(result)[0]?.n ?? 0;
}

/** Recomputes the roll-ups for every hour and day the run may have touched (a separate statement: CTEs cannot see each other's writes). */
export async function refreshRollups(db: Db, from: Date, orgId: string | null = null): Promise<void> {
  await db.execute(sql`
    insert into usage_org_hourly (org_id, meter, hour_start, quantity, amount_centi_cents)
    select org_id, meter, hour_start, sum(quantity), sum(amount_centi_cents)
    from usage_events where hour_start >= date_trunc('hour', ${from.toISOString()}::timestamptz) and (${orgId}::uuid is null or org_id = ${orgId}::uuid)
    group by org_id, meter, hour_start
    on conflict (org_id, meter, hour_start) do update set quantity = excluded.quantity, amount_centi_cents = excluded.amount_centi_cents`);
  await db.execute(sql`
    insert into usage_deployment_daily (org_id, deployment_id, meter, day, quantity, amount_centi_cents)
    select org_id, deployment_id, meter, (hour_start at time zone 'UTC')::date, sum(quantity), sum(amount_centi_cents)
    from usage_events where hour_start >= date_trunc('day', ${from.toISOString()}::timestamptz at time zone 'UTC') at time zone 'UTC'
      and (${orgId}::uuid is null or org_id = ${orgId}::uuid)
    group by org_id, deployment_id, meter, (hour_start at time zone 'UTC')::date
    on conflict (deployment_id, meter, day) do update set quantity = excluded.quantity, amount_centi_cents = excluded.amount_centi_cents`);
}
