/**
 * The offboarding job: carries out each requested organization deletion (./request.ts), in order —
 *   1. deployments: every live deployment is marked for deletion through the ordinary desired-state path (the
 *      reconciler removes the app, then the infrastructure, then the finalizers), and the job waits until all are
 *      deleted;
 *   2. invoice: usage metered up to now, the final invoice written (credit applied as for any invoice), the
 *      remaining usage sent to Stripe and the subscription cancelled through the Stripe outbox;
 *   3. close: the organization is closed (members lose it, API keys and invitations are revoked) and its last
 *      event, `organization.deleted`, is recorded;
 *   4. receipt: once that event is fanned out to the webhook endpoints they are disabled, and the receipt (the
 *      evidence on the row: what was removed and when) is mailed to the owners.
 *
 * Every worker runs it; one at a time holds the `org-offboarding` lease (job_leases), as with the rollout
 * scheduler. Each step is one transaction that re-checks the lease (a worker that lost it writes nothing), locks
 * the offboarding row and re-checks its step, so a worker killed anywhere — between steps or inside one — leaves
 * either the step done or nothing of it, and the next holder of the lease resumes at the first unfinished step.
 * The invoice is written once: the step's transaction writes it together with the step's end, and invoices are
 * unique per organization and period.
 */
import { and, asc, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database, Db, Tx } from '~/db/client';
import {
  apiKeys,
  deploymentEvents,
  deployments,
  events,
  invitations,
  invoices,
  jobLeases,
  memberships,
  organizations,
  orgOffboardings,
  outbox,
  plans,
  sandboxResources,
  snapshots,
  usageEvents,
  users,
  webhookEndpoints,
  type OffboardingEvidence,
  type OrgOffboarding,
} from '~/db/schema';
import { rows } from '~/db/sql';
import { invoiceNumber, receiptPath } from '~/lib/offboarding';
import type { StripeContext } from '../billing/stripe';
import { enqueueMeterEvents } from '../billing/stripe';
import { meterUsage } from '../billing/metering';
import { monthStart, writeInvoice } from '../billing/invoices';
import { emitEvent } from '../events';
import { claimLease, startLeasedLoop } from '../fleet/leased-loop';
import { queueMail } from '../mail';
import { orgDeletedMail } from '../mail/templates';
import { logger } from '../observability/logger';
import { requestDeletion } from '../services/deployments/commands';
import { audit } from '../services/audit';
import { fanOutEvents } from '../webhooks/deliver';

export const OFFBOARDING_LEASE = 'org-offboarding';

export type OffboardingOptions = {
  owner: string;
  leaseMs: number;
  /** Where the receipt link in the mail points (APP_URL). */
  appUrl: string;
  /** Null when payments are not configured: there is no subscription to cancel. */
  stripe: StripeContext | null;
  now?: () => Date;
};

/** The lease was lost in the middle of a step: its transaction is rolled back, the new holder redoes the step. */
class LeaseLost extends Error {}

async function fence(tx: Tx, o: OffboardingOptions) {
  const [held] = await tx
    .select({ owner: jobLeases.owner })
    .from(jobLeases)
    .where(and(eq(jobLeases.name, OFFBOARDING_LEASE), eq(jobLeases.owner, o.owner), sql`${jobLeases.expiresAt} > now()`));
  if (!held) throw new LeaseLost('the offboarding lease moved to another worker');
}

/** Locks the row for the step and re-checks it is still at `step`: null when another run finished it. */
async function lockAt(tx: Tx, id: string, step: OrgOffboarding['step']) {
  const [row] = await tx.select().from(orgOffboardings).where(eq(orgOffboardings.id, id)).for('update');
  return row && row.step === step ? row : null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A step finished: the next one starts with a clean slate. */
const advanced = (step: OrgOffboarding['step'], evidence: OffboardingEvidence) => ({ step, evidence, attempts: 0, lastError: null, nextAttemptAt: sql`now()` });

// ───────────── 1. deployments ─────────────

async function stepDeployments(db: Db, row: OrgOffboarding, o: OffboardingOptions): Promise<boolean> {
  if (!row.deploymentsMarkedAt) {
    await db.transaction(async (tx) => {
      await fence(tx, o);
      // Org, then deployments, then the offboarding row: the order every command takes.
      await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, row.orgId)).for('no key update');
      const live = await tx
        .select()
        .from(deployments)
        .where(and(eq(deployments.orgId, row.orgId), isNull(deployments.deletedAt)))
        .orderBy(asc(deployments.id))
        .for('update');
      const r = await lockAt(tx, row.id, 'deployments');
      if (!r || r.deploymentsMarkedAt) return;
      const planRows = await tx.select({ id: plans.id, slug: plans.slug }).from(plans);
      const planOf = new Map(planRows.map((p) => [p.id, p.slug]));
      // Deleting an organization removes its data: no final snapshots (requestDeletion queues none), and every
      // snapshot it has is due for deletion now — the snapshot job deletes them in the engine (server/snapshots/).
      await tx.update(snapshots).set({ expiresAt: sql`now()` }).where(and(eq(snapshots.orgId, row.orgId), eq(snapshots.status, 'available')));
      await tx
        .update(snapshots)
        .set({ status: 'failed', error: 'The organization is being deleted.', completedAt: sql`now()` })
        .where(and(eq(snapshots.orgId, row.orgId), eq(snapshots.status, 'pending')));
      const actor = { orgId: row.orgId, userId: row.requestedBy as string };
      const opts = { onBehalfOf: 'staff' as const, reason: 'The organization is being deleted' };
      for (const d of live) {
        if (!d.deletionRequestedAt) await requestDeletion(tx, actor, d, opts, `Delete ${d.name} (the organization is being deleted)`);
      }
      const evidence: OffboardingEvidence = {
        ...r.evidence,
        deployments: live.map((d) => ({ id: d.id, name: d.name, plan: planOf.get(d.planId) ?? d.spec.plan, region: d.spec.region, appRemovedAt: null, infraRemovedAt: null, deletedAt: null })),
      };
      await tx.update(orgOffboardings).set({ deploymentsMarkedAt: sql`now()`, evidence }).where(eq(orgOffboardings.id, row.id));
      await audit(tx, { actorId: row.requestedBy, orgId: row.orgId, action: 'org.delete_deployments', target: row.id, after: { deployments: live.map((d) => d.name) } });
    });
    return true;
  }
  const ids = (row.evidence.deployments ?? []).map((d) => d.id);
  if (ids.length) {
    const [left] = await db.select({ n: sql<number>`count(*)::int` }).from(deployments).where(and(inArray(deployments.id, ids), isNull(deployments.deletedAt)));
    if ((left?.n ?? 0) > 0) return false; // the reconciler is still removing them; look again next round
  }
  const [kept] = await db.select({ n: sql<number>`count(*)::int` }).from(snapshots).where(and(eq(snapshots.orgId, row.orgId), eq(snapshots.status, 'available')));
  if ((kept?.n ?? 0) > 0) return false; // the snapshot job is still deleting the org's snapshots
  await db.transaction(async (tx) => {
    await fence(tx, o);
    const r = await lockAt(tx, row.id, 'deployments');
    if (!r) return;
    const gone = ids.length ? await tx.select({ id: deployments.id, deletedAt: deployments.deletedAt }).from(deployments).where(inArray(deployments.id, ids)) : [];
    const steps = ids.length
      ? await tx
          .select({ id: deploymentEvents.deploymentId, step: deploymentEvents.step, at: sql<string>`max(${deploymentEvents.at})` })
          .from(deploymentEvents)
          .where(and(inArray(deploymentEvents.deploymentId, ids), inArray(deploymentEvents.step, ['app.remove', 'infra.destroy'])))
          .groupBy(deploymentEvents.deploymentId, deploymentEvents.step)
      : [];
    const deletedAt = new Map(gone.map((d) => [d.id, d.deletedAt]));
    // What is still held: finalizers (any engine) and, for the sandbox, its live resources.
    const [held] = ids.length
      ? await rows<{ n: number }>(
          tx,
          sql`select (select count(*)::int from ${deployments} where ${inArray(deployments.id, ids)} and jsonb_array_length(${deployments.finalizers}) > 0)
            + (select count(*)::int from ${sandboxResources} where ${inArray(sandboxResources.deploymentId, ids)} and ${sandboxResources.destroyedAt} is null)
            + (select count(*)::int from ${sandboxResources} where ${sandboxResources.kind} = 'snapshot' and ${sandboxResources.destroyedAt} is null
                and ${sandboxResources.deploymentId} in (select id from ${snapshots} where ${snapshots.orgId} = ${row.orgId}::uuid)) as n`,
        )
      : [{ n: 0 }];
    // An aggregate comes back as a string on one driver and a date on the other.
    const stepAt = (id: string, step: string) => {
      const v = steps.find((x) => x.id === id && x.step === step)?.at;
      return v ? new Date(v).toISOString() : null;
    };
    const evidence: OffboardingEvidence = {
      ...r.evidence,
      deployments: (r.evidence.deployments ?? []).map((d) => ({ ...d, appRemovedAt: stepAt(d.id, 'app.remove'), infraRemovedAt: stepAt(d.id, 'infra.destroy'), deletedAt: iso(deletedAt.get(d.id)) })),
      leftInEngines: Number(held?.n ?? 0),
    };
    await tx.update(orgOffboardings).set({ deploymentsDoneAt: sql`now()`, ...advanced('invoice', evidence) }).where(eq(orgOffboardings.id, row.id));
    await audit(tx, { actorId: null, orgId: row.orgId, action: 'org.delete_deployments_removed', target: row.id, after: { deployments: evidence.deployments } });
  });
  return true;
}

// ───────────── 2. final invoice ─────────────

async function stepInvoice(db: Db, row: OrgOffboarding, o: OffboardingOptions): Promise<boolean> {
  const now = (o.now ?? (() => new Date()))();
  const thisMonth = monthStart(now);
  const lastMonth = monthStart(new Date(thisMonth.getTime() - 1));
  // Every deployment is deleted, so no usage comes after now: meter the org's own hours up to now.
  await meterUsage(db, { from: lastMonth, now, orgId: row.orgId });
  await db.transaction(async (tx) => {
    await fence(tx, o);
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, row.orgId)).for('no key update');
    const r = await lockAt(tx, row.id, 'invoice');
    if (!r || !org) return;
    // Last month, if the monthly close has not run for it yet (a deletion on the 1st): its own invoice first.
    const [lastUsage] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(usageEvents)
      .where(and(eq(usageEvents.orgId, org.id), sql`${usageEvents.hourStart} >= ${lastMonth.toISOString()}::timestamptz`, lt(usageEvents.hourStart, thisMonth)));
    const [lastInvoice] = await tx.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.orgId, org.id), eq(invoices.periodStart, lastMonth)));
    if ((lastUsage?.n ?? 0) > 0 && !lastInvoice) await writeInvoice(tx, org.id, lastMonth, thisMonth);
    const invoice = await writeInvoice(tx, org.id, thisMonth, now, { final: true });
    // The hours are complete (nothing runs any more): final now, so Stripe gets them before the cancellation.
    await tx.update(usageEvents).set({ final: true, updatedAt: sql`now()` }).where(and(eq(usageEvents.orgId, org.id), eq(usageEvents.final, false)));
    let subscriptionCancelled = false;
    if (org.stripeCustomerId) await enqueueMeterEvents(tx as unknown as Db, lastMonth);
    if (org.stripeSubscriptionId && org.paymentStatus !== 'canceled') {
      await tx
        .insert(outbox)
        .values({ kind: 'stripe.cancel_subscription', orgId: org.id, payload: { subscriptionId: org.stripeSubscriptionId }, idempotencyKey: `offboarding-cancel-${row.id}` })
        .onConflictDoNothing({ target: outbox.idempotencyKey });
      subscriptionCancelled = true;
    }
    const evidence: OffboardingEvidence = {
      ...r.evidence,
      invoice: {
        id: invoice.id,
        number: invoiceNumber(invoice.id),
        periodStart: invoice.periodStart.toISOString(),
        periodEnd: invoice.periodEnd.toISOString(),
        subtotalCents: invoice.subtotalCents,
        creditsAppliedCents: invoice.creditsAppliedCents,
        totalCents: invoice.totalCents,
        currency: invoice.currency,
        status: invoice.status,
      },
      subscriptionCancelled,
    };
    await tx.update(orgOffboardings).set({ invoiceId: invoice.id, invoicedAt: sql`now()`, ...advanced('close', evidence) }).where(eq(orgOffboardings.id, row.id));
    await audit(tx, { actorId: null, orgId: org.id, action: 'org.delete_invoice', target: row.id, after: { ...evidence.invoice, subscriptionCancelled } });
  });
  return true;
}

// ───────────── 3. close ─────────────

async function stepClose(db: Db, row: OrgOffboarding, o: OffboardingOptions): Promise<boolean> {
  await db.transaction(async (tx) => {
    await fence(tx, o);
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, row.orgId)).for('no key update');
    const r = await lockAt(tx, row.id, 'close');
    if (!r || !org) return;
    const [closed] = await tx.update(organizations).set({ closedAt: sql`now()` }).where(eq(organizations.id, org.id)).returning({ closedAt: organizations.closedAt });
    const keys = await tx.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(eq(apiKeys.orgId, org.id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
    const invites = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.orgId, org.id), isNull(invitations.revokedAt), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    const closedAt = closed!.closedAt!.toISOString();
    const evidence: OffboardingEvidence = { ...r.evidence, closedAt, apiKeysRevoked: keys.length, invitationsRevoked: invites.length };
    await emitEvent(tx, {
      orgId: org.id,
      type: 'organization.deleted',
      data: { name: org.name, slug: org.slug, closedAt, deployments: (evidence.deployments ?? []).map((d) => d.name), finalInvoiceId: evidence.invoice?.id ?? null },
    });
    await tx.update(orgOffboardings).set({ closedAt: sql`now()`, ...advanced('receipt', evidence) }).where(eq(orgOffboardings.id, row.id));
    await audit(tx, { actorId: null, orgId: org.id, action: 'org.close', target: row.id, after: { closedAt, apiKeysRevoked: keys.length, invitationsRevoked: invites.length } });
  });
  return true;
}

// ───────────── 4. receipt ─────────────

async function stepReceipt(db: Db, row: OrgOffboarding, o: OffboardingOptions): Promise<boolean> {
  // The last event must reach the webhook endpoints before they are disabled: fan it out now (idempotent, and
  // what the webhook job does anyway), and wait if another worker holds it right now.
  await fanOutEvents(db);
  const [pending] = await db.select({ id: events.id }).from(events).where(and(eq(events.orgId, row.orgId), eq(events.type, 'organization.deleted'), isNull(events.dispatchedAt)));
  if (pending) return false;
  await db.transaction(async (tx) => {
    await fence(tx, o);
    const r = await lockAt(tx, row.id, 'receipt');
    if (!r) return;
    const hooks = await tx.update(webhookEndpoints).set({ disabledAt: sql`now()` }).where(and(eq(webhookEndpoints.orgId, r.orgId), isNull(webhookEndpoints.disabledAt))).returning({ id: webhookEndpoints.id });
    const [requester] = r.requestedBy ? await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, r.requestedBy)) : [];
    const completedAt = new Date().toISOString();
    const evidence: OffboardingEvidence = { ...r.evidence, requestedBy: { id: requester?.id ?? null, email: requester?.email ?? null }, requestedAt: r.requestedAt.toISOString(), webhooksDisabled: hooks.length, completedAt };
    // Every owner loses the organization; each gets the receipt (the requester first among them).
    const owners = await tx
      .select({ id: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, r.orgId), eq(memberships.role, 'owner')));
    const link = `${o.appUrl.replace(/\/$/, '')}${receiptPath(r.id)}`;
    for (const owner of owners) await queueMail(tx, orgDeletedMail(owner.email, owner.id, { evidence, link }));
    await tx
      .update(orgOffboardings)
      .set({ receiptSentAt: sql`now()`, completedAt: sql`now()`, ...advanced('done', evidence) })
      .where(eq(orgOffboardings.id, r.id));
    await audit(tx, { actorId: null, orgId: r.orgId, action: 'org.delete_complete', target: r.id, after: { webhooksDisabled: hooks.length, receiptTo: owners.map((x) => x.email) } });
  });
  return true;
}

const STEPS = { deployments: stepDeployments, invoice: stepInvoice, close: stepClose, receipt: stepReceipt } as const;

/** Runs one offboarding's steps as far as they go now: it stops at a step that has to wait (deployments still being removed). */
async function advance(db: Db, id: string, o: OffboardingOptions): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const [row] = await db.select().from(orgOffboardings).where(eq(orgOffboardings.id, id));
    if (!row || row.step === 'done') return;
    if (!(await STEPS[row.step](db, row, o))) return;
  }
}

export type OffboardingRound = { leader: boolean; open: number; failed: number };

/** One round over every unfinished offboarding whose retry is due. */
export async function runOffboardingRound(db: Db, o: OffboardingOptions): Promise<OffboardingRound> {
  const result: OffboardingRound = { leader: false, open: 0, failed: 0 };
  if (!(await claimLease(db, OFFBOARDING_LEASE, o.owner, o.leaseMs))) return result;
  result.leader = true;
  const open = await db
    .select({ id: orgOffboardings.id, attempts: orgOffboardings.attempts })
    .from(orgOffboardings)
    .where(and(isNull(orgOffboardings.completedAt), lte(orgOffboardings.nextAttemptAt, sql`now()`)))
    .orderBy(asc(orgOffboardings.requestedAt));
  result.open = open.length;
  for (const { id, attempts } of open) {
    try {
      await advance(db, id, o);
    } catch (e) {
      if (e instanceof LeaseLost) return result;
      result.failed++;
      const delayS = Math.min(300, 2 ** attempts);
      logger.warn({ err: e, offboardingId: id }, 'offboarding step failed; it is retried');
      // Shown on the progress view; the step is retried after the backoff.
      await db
        .update(orgOffboardings)
        .set({ attempts: attempts + 1, lastError: (e as Error).message.slice(0, 500), nextAttemptAt: sql`now() + make_interval(secs => ${delayS})` })
        .where(eq(orgOffboardings.id, id));
    }
  }
  return result;
}

/** The loop every worker runs (server/reconciler/lifecycle.ts). */
export function startOffboardingJob(database: Database, o: OffboardingOptions & { intervalMs: number }): () => Promise<void> {
  return startLeasedLoop(database, { lease: OFFBOARDING_LEASE, owner: o.owner, intervalMs: o.intervalMs, what: 'offboarding', round: () => runOffboardingRound(database.db, o) });
}
