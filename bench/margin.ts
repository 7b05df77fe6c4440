/**
 * The Unit economics page's query over 5,000 tenants × a year, on the Postgres server. Prints p50/p95 over repeated
 * runs of the report the page loads (a year, the last 30 days, negative-first), and how long one billing tick's
 * cost metering takes over the 48-hour window with every tenant running.
 *
 * The year reaches the report through the roll-ups: economics_daily (5,000 × 365 rows, each day's figures as the
 * sum of 24 hourly ones) is generated here, and everything built from it (running totals per tenant, per plan and
 * region, months) by the refresh the billing tick runs. The last 48 hours are real billing segments metered into
 * hourly usage_events and cost_events by the same jobs the workers run. Hourly rows for the whole year are not
 * generated: the page never reads them (43.8M rows each would take hours on a shared machine).
 *
 *   npx tsx bench/margin.ts      (BENCH_MARGIN_TENANTS to change 5000)
 */
import { sql } from 'drizzle-orm';
import { meterUsage } from '~/server/billing/metering';
import { marginReport } from '~/server/economics/margin';
import { meterCost } from '~/server/economics/metering';
import { refreshEconomics } from '~/server/economics/rollups';
import { openTestDatabase } from '~/test/harness';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tenants = Number(process.env.BENCH_MARGIN_TENANTS ?? 5000);
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const staff = { userId: '00000000-0000-4000-8000-000000000000', staffRole: 'support' as const };

const database = await openTestDatabase('postgres', { server: serverUrl });
const { db } = database;
try {
  const now = new Date('2026-11-01T00:00:00Z');
  const start = new Date('2025-11-01T00:00:00Z');
  let t0 = performance.now();
  await db.execute(sql`
    insert into organizations (id, name, slug)
    select ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Tenant ' || i, 'tenant-' || i from generate_series(1, ${tenants}) i`);
  // One deployment per tenant, plans and regions spread over the catalog.
  await db.execute(sql`
    insert into deployments (org_id, name, plan_id, spec, infra_engine, delivery_engine, phase)
    select o.id, 'cache', p.id,
           jsonb_build_object('plan', p.slug, 'region', r.id, 'version', '7.2.5', 'memoryMb', 1024, 'replicas', 0, 'persistence', true,
                              'config', jsonb_build_object('maxmemoryPolicy', 'noeviction', 'timeoutSeconds', 0)),
           'sandbox', 'sandbox', 'ready'
    from (select id, row_number() over (order by id) as n from organizations) o
    join (select id, slug, row_number() over (order by sort_order) - 1 as k from plans) p on p.k = o.n % 4
    join (select id, row_number() over (order by sort_order) - 1 as k from regions) r on r.k = o.n % 3`);
  // A year of daily figures, each the sum of 24 hourly ones; a tenth of the tenants cost more than they pay.
  await db.execute(sql`
    insert into economics_daily (org_id, day, plan_slug, region, cost_centi_cents, revenue_centi_cents)
    select d.org_id, day::date, d.spec->>'plan', d.spec->>'region',
           24 * (100 + (hashtext(d.org_id::text) & 1023)),
           24 * case when hashtext(d.org_id::text) % 10 = 0 then 50 else 400 + (hashtext(d.org_id::text || day::text) & 511) end
    from deployments d cross join generate_series(${start.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz - interval '1 day', interval '1 day') day`);
  // Eleven closed months invoiced; a grant and an application per tenant per quarter.
  await db.execute(sql`
    insert into invoices (org_id, period_start, period_end, status, subtotal_cents, total_cents, lines)
    select o.id, m, m + interval '1 month', 'paid', 1000, 1000, '[]'::jsonb
    from organizations o cross join generate_series(${start.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz - interval '2 months', interval '1 month') m`);
  await db.execute(sql`
    insert into credit_entries (org_id, kind, amount_cents, reason, created_at)
    select o.id, k.kind, k.amount, 'bench', q + interval '10 days'
    from organizations o cross join generate_series(${start.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz - interval '1 day', interval '3 months') q
    cross join (values ('grant', 500), ('apply', -300)) as k(kind, amount)`);
  // The roll-ups the page reads (running totals per tenant, per plan and region, invoiced months), built by the
  // same refresh the billing tick runs, here from the year's first day.
  const t1 = performance.now();
  await refreshEconomics(db, start, new Date(now.getTime() - 49 * 3600_000));
  print('margin_rollup_build_s', ((performance.now() - t1) / 1000).toFixed(1), 's');
  print('margin_tenants', tenants, 'tenants');
  print('margin_daily_rows', ((await db.execute(sql`select count(*)::int as n from economics_daily`)) as unknown as Array<{ n: number }>)[0]!.n, 'rows');
  print('margin_generate_s', ((performance.now() - t0) / 1000).toFixed(1), 's');

  // One billing tick with every tenant running for the whole 48-hour window: usage, then cost and the roll-ups.
  await db.execute(sql`
    insert into billing_segments (deployment_id, org_id, at, billable, plan_slug, hourly_rate_centi_cents, storage_gb)
    select d.id, d.org_id, ${now.toISOString()}::timestamptz - interval '49 hours', true, d.spec->>'plan', p.hourly_rate_centi_cents, 2
    from deployments d join plans p on p.id = d.plan_id`);
  const from = new Date(now.getTime() - 48 * 3600_000);
  t0 = performance.now();
  await meterUsage(db, { from, now });
  print('margin_usage_meter_tick_s', ((performance.now() - t0) / 1000).toFixed(1), 's');
  t0 = performance.now();
  const { written } = await meterCost(db, { from, now });
  print('margin_cost_meter_tick_s', ((performance.now() - t0) / 1000).toFixed(1), 's');
  print('margin_cost_rows_written', written, 'rows');
  await db.execute(sql`analyze`);

  async function timeIt(label: string, run: () => Promise<unknown>, n = 40) {
    await run();
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await run();
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    print(`${label}_p50_ms`, ms[Math.floor(n * 0.5)]!.toFixed(1));
    print(`${label}_p95_ms`, ms[Math.floor(n * 0.95)]!.toFixed(1));
  }
  const base = { sort: 'margin' as const, direction: 'asc' as const, negativeFirst: false, limit: 100 };
  await timeIt('margin_query_30d', () => marginReport(db, staff, { ...base, period: { from: '2026-10-02', to: '2026-10-31' } }));
  await timeIt('margin_query_negative_first', () => marginReport(db, staff, { ...base, negativeFirst: true, period: { from: '2025-11-15', to: '2026-10-31' } }));
  // The figure the issue asks for: the page's heaviest load, every tenant over the whole year.
  await timeIt('margin_query', () => marginReport(db, staff, { ...base, period: { from: '2025-11-01', to: '2026-10-31' } }));
} finally {
  await database.drop();
}
