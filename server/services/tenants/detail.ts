/**
 * One tenant, as staff see it: the organization, members, deployments with their latest events, usage, invoices
 * and credits. Reads only — every change goes through ./actions.ts.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { explain } from '../deployments/why';
import { deployments, invitations, invoices, organizations, plans, users } from '~/db/schema';
import type { StaffActor } from '../../actor';
import { AppError } from '../../errors';
import { creditBalanceCents, listCreditEntries } from '../../billing/credits';
import { listMembers } from '../members';
import { getOrgOffboarding } from '../../offboarding/request';
import { rows, toDate, toInt } from '~/db/sql';

/** How often a staff member's reading of one tenant is written to the audit log, at most. */
export const VIEW_AUDIT_WINDOW_MINUTES = 10;

/**
 * Records that a staff member read a tenant's data. Throttled in the same statement, so a page that polls
 * every few seconds leaves one entry per person per tenant per window, not thousands.
 */
export async function recordTenantView(db: Db, actor: StaffActor, input: { orgId: string }) {
  await db.execute(sql`insert into audit_log (actor_id, org_id, action, target)
    select ${actor.userId}::uuid, ${input.orgId}::uuid, 'staff.view_tenant', ${input.orgId}
    where not exists (select 1 from audit_log where org_id = ${input.orgId}::uuid and actor_id = ${actor.userId}::uuid
      and action = 'staff.view_tenant' and at > now() - make_interval(mins => ${VIEW_AUDIT_WINDOW_MINUTES}))`);
}

async function tenantDeployments(db: Db, orgId: string) {
  const list = await db
    .select({
      id: deployments.id,
      name: deployments.name,
      plan: plans.slug,
      planName: plans.name,
      spec: deployments.spec,
      phase: deployments.phase,
      generation: deployments.generation,
      observedGeneration: deployments.observedGeneration,
      lastError: deployments.lastError,
      attempts: deployments.attempts,
      nextReconcileAt: deployments.nextReconcileAt,
      leaseOwner: deployments.leaseOwner,
      leaseExpiresAt: deployments.leaseExpiresAt,
      conditions: deployments.conditions,
      infraEngine: deployments.infraEngine,
      deliveryEngine: deployments.deliveryEngine,
      deletionRequestedAt: deployments.deletionRequestedAt,
      deletedAt: deployments.deletedAt,
      createdAt: deployments.createdAt,
    })
    .from(deployments)
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .where(eq(deployments.orgId, orgId))
    .orderBy(sql`${deployments.deletedAt} is not null`, desc(deployments.createdAt));
  // The latest few events of every deployment in one query, not one query per deployment.
  const events = await rows<{ id: unknown; deployment_id: string; step: string; level: 'info' | 'warning' | 'error'; message: string; at: unknown }>(
    db,
    sql`select id, deployment_id, step, level, message, at from (
        select e.*, row_number() over (partition by e.deployment_id order by e.id desc) as n
        from deployment_events e where e.deployment_id in (select id from deployments where org_id = ${orgId})
      ) x where n <= 8 order by id desc`,
  );
  const whys = await Promise.all(list.map((d) => explain(db, d, 'staff')));
  return list.map((d, i) => ({
    ...d,
    why: whys[i] ?? null,
    events: events
      .filter((e) => e.deployment_id === d.id)
      .map((e) => ({ id: toInt(e.id), step: e.step, level: e.level, message: e.message, at: toDate(e.at) })),
  }));
}

/** Metered usage per meter and month (UTC), the last three months, from the hourly usage ledger. */
async function usageSummary(db: Db, orgId: string) {
  const found = await rows<{ month: unknown; meter: string; quantity: unknown; amount: unknown; deployments: unknown }>(
    db,
    sql`select date_trunc('month', hour_start, 'UTC') as month, meter, sum(quantity) as quantity,
        sum(amount_centi_cents) as amount, count(distinct deployment_id) as deployments
      from usage_events
      where org_id = ${orgId} and hour_start >= date_trunc('month', now(), 'UTC') - interval '2 months'
      group by 1, 2 order by 1 desc, 2`,
  );
  return found.map((r) => ({
    month: toDate(r.month),
    meter: r.meter,
    quantity: Number(r.quantity),
    amountCents: toInt(r.amount) / 100,
    deployments: toInt(r.deployments),
  }));
}

const notFound = () => new AppError('NOT_FOUND', 'No tenant has this id. It may have been mistyped; search for it in the tenant list.');

/** For reads that do not load the organization itself (the timeline): an unknown id is NOT_FOUND, not an empty page. */
export async function assertTenant(db: Db, orgId: string) {
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw notFound();
}

/** One tenant for a staff member; reading it is audited (throttled). */
export async function viewTenant(db: Db, actor: StaffActor, input: { orgId: string }) {
  const tenant = await getTenant(db, input.orgId);
  await recordTenantView(db, actor, input);
  return tenant;
}

async function getTenant(db: Db, orgId: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw notFound();
  const [members, pending, deps, usage, invoiceRows, credits, creditBalance, catalog] = await Promise.all([
    listMembers(db, { orgId }),
    db
      .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt, invitedBy: users.email })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.invitedBy))
      .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), sql`${invitations.expiresAt} > now()`)),
    tenantDeployments(db, orgId),
    usageSummary(db, orgId),
    db.select().from(invoices).where(eq(invoices.orgId, orgId)).orderBy(desc(invoices.periodStart)).limit(24),
    listCreditEntries(db, orgId),
    creditBalanceCents(db, orgId),
    db.select({ slug: plans.slug, name: plans.name, monthlyPriceCents: plans.monthlyPriceCents }).from(plans).orderBy(asc(plans.sortOrder)),
  ]);
  const creditActors = await actorEmails(db, credits.map((c) => c.actorId));
  return {
    org: {
      id: org.id,
      name: org.name,
      slug: org.slug,
      status: org.status,
      suspendedReason: org.suspendedReason,
      paymentStatus: org.paymentStatus,
      pastDueSince: org.pastDueSince,
      stripeCustomerId: org.stripeCustomerId,
      cloudAccountRef: org.cloudAccountRef,
      deletionRequestedAt: org.deletionRequestedAt,
      closedAt: org.closedAt,
      createdAt: org.createdAt,
    },
    offboarding: await getOrgOffboarding(db, { orgId }),
    members,
    pendingInvitations: pending,
    deployments: deps,
    usage,
    invoices: invoiceRows.map(({ lines, ...i }) => ({ ...i, lineCount: lines.length })),
    credits: credits.map((c) => ({ ...c, actorEmail: c.actorId ? (creditActors.get(c.actorId) ?? null) : null })),
    creditBalanceCents: creditBalance,
    plans: catalog,
  };
}

async function actorEmails(db: Db, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map<string, string>();
  const found = await db.select({ id: users.id, email: users.email }).from(users).where(sql`${users.id} in ${wanted}`);
  return new Map(found.map((u) => [u.id, u.email]));
}

export type TenantDetail = Awaited<ReturnType<typeof getTenant>>;
