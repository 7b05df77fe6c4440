/**
 * The usage chart queries over 1,000 deployments × one year of hourly events (~8.8M usage_events rows, two
 * meters for the persistent half), on the Postgres server. Prints p50/p95 over repeated runs of each query.
 *
 *   npx tsx bench/usage.ts      (BENCH_USAGE_DEPLOYMENTS to change 1000)
 */
import { sql } from 'drizzle-orm';
import { refreshRollups } from '~/server/billing/metering';
import { usageByDeployment, usageSeries } from '~/server/billing/usage';
import { openTestDatabase } from '~/test/harness';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const count = Number(process.env.BENCH_USAGE_DEPLOYMENTS ?? 1000);
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);

// The integration tests' harness: a fresh, migrated, seeded database on the server, dropped afterwards.
const database = await openTestDatabase('postgres', { server: serverUrl });
const { db } = database;
try {
  const orgId = '00000000-0000-4000-8000-000000000001';
  await db.execute(sql`insert into organizations (id, name, slug) values (${orgId}, 'Bench', 'bench')`);
  await db.execute(sql`
    insert into deployments (id, org_id, name, plan_id, spec, infra_engine, delivery_engine, phase)
    select gen_random_uuid(), ${orgId}, 'bench-' || i, (select id from plans where slug = 'starter'),
           '{"plan":"starter","region":"eu-west-1","version":"7.2.5","memoryMb":1024,"replicas":0,"persistence":true,"config":{"maxmemoryPolicy":"noeviction","timeoutSeconds":0}}'::jsonb,
           'sandbox', 'sandbox', 'ready'
    from generate_series(1, ${count}) i`);
  const start = new Date('2025-11-01T00:00:00Z');
  const end = new Date('2026-11-01T00:00:00Z');
  let t0 = performance.now();
  // Every deployment runs all year; even-numbered ones also have persistent storage (a second meter).
  await db.execute(sql`
    insert into usage_events (idempotency_key, org_id, deployment_id, meter, plan_slug, hour_start, quantity, amount_centi_cents, final)
    select d.id || ':' || m.meter || ':starter:' || h, ${orgId}, d.id, m.meter, 'starter', h, m.q, m.amount, true
    from (select id, row_number() over () as n from deployments) d
    cross join generate_series(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz - interval '1 hour', interval '1 hour') h
    cross join (values ('deployment_hours', 1.0, 260), ('storage_gb_hours', 2.0, 4)) as m(meter, q, amount)
    where m.meter = 'deployment_hours' or d.n % 2 = 0`);
  const rows = ((await db.execute(sql`select count(*)::int as n from usage_events`)) as unknown as Array<{ n: number }>)[0]!.n;
  print('usage_rows', rows, 'rows');
  print('usage_generate_s', ((performance.now() - t0) / 1000).toFixed(1), 's');
  t0 = performance.now();
  await refreshRollups(db, start);
  await db.execute(sql`analyze`);
  print('usage_rollup_build_s', ((performance.now() - t0) / 1000).toFixed(1), 's');

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
  await timeIt('usage_query_year_daily', () => usageSeries(db, orgId, { from: start, to: end, granularity: 'day' }));
  await timeIt('usage_query_week_hourly', () => usageSeries(db, orgId, { from: new Date(end.getTime() - 7 * 86_400_000), to: end, granularity: 'hour' }));
  await timeIt('usage_query_year_by_deployment', () => usageByDeployment(db, orgId, { from: start, to: end }), 10);
  // The figure the issue asks for: the chart query the Usage page runs (series over a year, daily buckets).
  await timeIt('usage_query', () => usageSeries(db, orgId, { from: start, to: end, granularity: 'day' }));
} finally {
  await database.drop();
}
