/**
 * The tenant list: every organization with its members, deployments by phase, last invoice, plan revenue and
 * credit balance — one query, aggregated per org in SQL, filtered, sorted and paginated there too (page first
 * where the sort allows, see below).
 */
import { asc, sql, type SQL } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { plans } from '~/db/schema';
import type { DeploymentPhase } from '~/db/schema';
import type { TenantListInput } from '~/lib/inputs/staff';
import { rows, toDate, toDateOrNull, toInt, toJson } from '~/db/sql';

type Raw = {
  id: string;
  name: string;
  slug: string;
  status: 'active' | 'suspended';
  suspended_reason: string | null;
  payment_status: string;
  created_at: unknown;
  members: unknown;
  deployments: unknown;
  phases: unknown;
  mrr_cents: unknown;
  credit_cents: unknown;
  last_invoice_cents: unknown;
  last_invoice_status: string | null;
  last_invoice_currency: string | null;
  last_invoice_period: unknown;
  total_count: unknown;
};

const orderBy: Record<TenantListInput['sort'], SQL> = {
  newest: sql`o.created_at desc`,
  oldest: sql`o.created_at asc`,
  name: sql`lower(o.name) asc`,
  revenue: sql`mrr_cents desc, coalesce(inv.total_cents, 0) desc`,
  credit: sql`credit_cents desc`,
};

/** `like` treats % and _ as wildcards; a search for "50%_off" means those characters. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filters(q: TenantListInput): SQL {
  const parts: SQL[] = [];
  if (q.search) {
    const pattern = `%${escapeLike(q.search)}%`;
    const idPrefix = `${escapeLike(q.search.toLowerCase())}%`;
    parts.push(sql`(o.name ilike ${pattern} or o.slug ilike ${pattern}
      or exists (select 1 from memberships m join users u on u.id = m.user_id where m.org_id = o.id and u.email ilike ${pattern})
      or exists (select 1 from deployments d where d.org_id = o.id and d.id::text like ${idPrefix}))`);
  }
  if (q.status) parts.push(sql`o.status = ${q.status}`);
  if (q.plan) {
    parts.push(sql`exists (select 1 from deployments d join plans p on p.id = d.plan_id
      where d.org_id = o.id and d.deleted_at is null and p.slug = ${q.plan})`);
  }
  return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}

/**
 * Sorted by the org's own columns, the page is chosen first from `organizations` alone and only its rows are
 * aggregated (every deployment of every org was aggregated per page before: 126 ms at 50k deployments). Sorting
 * by revenue or credit needs the aggregates to choose the page, so those sorts still aggregate every org.
 */
const pageFirstSorts: ReadonlySet<TenantListInput['sort']> = new Set(['newest', 'oldest', 'name']);

export async function listTenants(db: Db, q: TenantListInput) {
  const pageFirst = pageFirstSorts.has(q.sort);
  const limit = sql`limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`;
  // Restricts each aggregate to the chosen page's orgs (`col` is the org id column it groups by).
  const only = (col: SQL) => (pageFirst ? sql`and ${col} in (select id from page)` : sql``);
  const found = await rows<Raw>(
    db,
    sql`with ${pageFirst ? sql`page as (
        select o.id, count(*) over () as total_count from organizations o ${filters(q)}
        order by ${orderBy[q.sort]}, o.id ${limit}
      ), ` : sql``}dep_phase as (
        select org_id, phase, count(*)::int as n from deployments where deleted_at is null ${only(sql`org_id`)} group by org_id, phase
      ), dep as (
        select org_id, jsonb_object_agg(phase, n) as phases, sum(n)::int as total from dep_phase group by org_id
      ), mrr as (
        select d.org_id, sum(p.monthly_price_cents)::int as cents from deployments d join plans p on p.id = d.plan_id
        where d.deleted_at is null and d.deletion_requested_at is null ${only(sql`d.org_id`)} group by d.org_id
      ), mem as (
        select org_id, count(*)::int as n from memberships where true ${only(sql`org_id`)} group by org_id
      ), cred as (
        -- Same rule as creditBalanceCents in billing/credits.ts (a test keeps the two equal): what is left of
        -- each unexpired grant after what was applied from it.
        select g.org_id, sum(greatest(g.amount_cents + coalesce(u.used, 0), 0))::int as balance
        from credit_entries g
        left join (select grant_id, sum(amount_cents) as used from credit_entries where kind = 'apply' group by grant_id) u on u.grant_id = g.id
        where g.kind = 'grant' and (g.expires_at is null or g.expires_at > now()) ${only(sql`g.org_id`)}
        group by g.org_id
      ), inv as (
        select distinct on (org_id) org_id, total_cents, status, currency, period_start
        from invoices where true ${only(sql`org_id`)} order by org_id, period_start desc
      )
      select o.id, o.name, o.slug, o.status, o.suspended_reason, o.payment_status, o.created_at,
        coalesce(mem.n, 0) as members, coalesce(dep.total, 0) as deployments, coalesce(dep.phases, '{}'::jsonb) as phases,
        coalesce(mrr.cents, 0) as mrr_cents, coalesce(cred.balance, 0) as credit_cents,
        inv.total_cents as last_invoice_cents, inv.status as last_invoice_status, inv.currency as last_invoice_currency,
        inv.period_start as last_invoice_period, ${pageFirst ? sql`page.total_count` : sql`count(*) over ()`} as total_count
      ${pageFirst ? sql`from page join organizations o on o.id = page.id` : sql`from organizations o`}
      left join mem on mem.org_id = o.id
      left join dep on dep.org_id = o.id
      left join mrr on mrr.org_id = o.id
      left join cred on cred.org_id = o.id
      left join inv on inv.org_id = o.id
      ${pageFirst ? sql`` : filters(q)}
      order by ${orderBy[q.sort]}, o.id
      ${pageFirst ? sql`` : limit}`,
  );
  const [allPlans, total] = await Promise.all([
    db.select({ slug: plans.slug, name: plans.name }).from(plans).orderBy(asc(plans.sortOrder)),
    found[0] ? Promise.resolve(toInt(found[0].total_count)) : countTenants(db, q),
  ]);
  return {
    tenants: found.map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      status: r.status,
      suspendedReason: r.suspended_reason,
      paymentStatus: r.payment_status,
      createdAt: toDate(r.created_at),
      members: toInt(r.members),
      deployments: toInt(r.deployments),
      phases: toJson<Partial<Record<DeploymentPhase, number>>>(r.phases),
      mrrCents: toInt(r.mrr_cents),
      creditCents: toInt(r.credit_cents),
      lastInvoice:
        r.last_invoice_cents === null
          ? null
          : { totalCents: toInt(r.last_invoice_cents), status: r.last_invoice_status!, currency: r.last_invoice_currency!, periodStart: toDateOrNull(r.last_invoice_period) },
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    plans: allPlans,
  };
}

/** Only needed when the page is past the end: the window count came back with no rows to carry it. */
async function countTenants(db: Db, q: TenantListInput): Promise<number> {
  const [row] = await rows<{ n: unknown }>(db, sql`select count(*) as n from organizations o ${filters(q)}`);
  return toInt(row?.n);
}

export type TenantRow = Awaited<ReturnType<typeof listTenants>>['tenants'][number];
