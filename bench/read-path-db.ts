/**
 * The two staff read paths that scale with the whole fleet, on the Postgres server: the tenant list's first page
 * and the reconciler health page, over 1,000 orgs holding 50,000 deployments inserted directly (phases mixed,
 * some leased, some failed). Median of 15 runs after 3 warm-ups. Used by bench/read-path.ts.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '~/db/client';
import { seed } from '~/db/seed';
import { reconcilerHealth } from '~/server/reconciler/health';
import { listTenants } from '~/server/services/tenants/list';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

export async function staffReads(serverUrl: string, total = 50_000): Promise<{ tenantListMs: number; reconcilerHealthMs: number }> {
  const name = `plinth_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const database = await openDatabase(u.toString());
  try {
    const { db } = database;
    await seed(db);
    const orgs = 1000;
    await db.execute(sql`insert into organizations (name, slug) select 'Org ' || i, 'org-' || i from generate_series(1, ${orgs}) i`);
    await db.execute(sql`insert into deployments (org_id, name, plan_id, spec, phase, infra_engine, delivery_engine,
        next_reconcile_at, lease_owner, lease_expires_at, updated_at)
      select o.id, 'd-' || i, (select id from plans order by sort_order limit 1), '{}'::jsonb,
        (case when i % 50 = 0 then 'failed' when i % 10 = 0 then 'provisioning' else 'ready' end)::deployment_phase,
        'sandbox', 'sandbox',
        case when i % 10 = 0 then now() + interval '1 minute' else null end,
        case when i % 100 = 0 then 'worker-' || (i % 3) else null end,
        case when i % 100 = 0 then now() + interval '30 seconds' else null end,
        now() - (i || ' seconds')::interval
      from generate_series(1, ${total}) i
      join (select id, row_number() over (order by id) as n from organizations) o on o.n = 1 + i % ${orgs}`);
    // As autovacuum leaves a table after a bulk insert (visibility map set): the counts are index-only scans.
    await db.execute(sql`vacuum analyze`);
    const tenantListMs = await timed(() => listTenants(db, { page: 1, pageSize: 25, sort: 'newest' } as Parameters<typeof listTenants>[1]));
    const reconcilerHealthMs = await timed(() => reconcilerHealth(db));
    return { tenantListMs, reconcilerHealthMs };
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await staffReads(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  console.log(`tenant_list_50k_ms: ${r.tenantListMs.toFixed(1)} ms`);
  console.log(`reconciler_health_50k_ms: ${r.reconcilerHealthMs.toFixed(1)} ms`);
}
