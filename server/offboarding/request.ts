/**
 * Asking to delete an organization, and reading how it goes. The request is one transaction under the org lock
 * (FOR NO KEY UPDATE, the lock every org command takes first — see deployments/org-lock.test.ts): from its commit
 * on, every command in the org is refused (`lockActiveOrg`, and the org procedures' guard in server/api/trpc.ts),
 * so no deployment can appear or change behind the job's back. The job (./job.ts) does the rest.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '~/db/client';
import { deployments, memberships, organizations, orgOffboardings, rolloutItems, type OrgOffboarding } from '~/db/schema';
import type { deleteOrgInput, offboardingIdInput } from '~/lib/inputs/offboarding';
import type { OrgActor } from '../actor';
import { AppError } from '../errors';
import { audit, by } from '../services/audit';

export { ORG_BEING_DELETED } from './messages';

export async function requestOrgDeletion(db: Db, actor: OrgActor, input: z.infer<typeof deleteOrgInput>) {
  // Said here rather than by the procedure's role check, so the refusal explains itself.
  if (actor.role !== 'owner') {
    throw new AppError('FORBIDDEN', `Only an owner can delete the organization; you are ${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}. Ask an owner.`);
  }
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, actor.orgId)).for('no key update');
    if (!org || org.closedAt) throw new AppError('NOT_FOUND', 'This organization no longer exists.');
    // Asking again (a double click, a retry after a lost answer) returns the deletion already under way.
    const [existing] = await tx.select().from(orgOffboardings).where(eq(orgOffboardings.orgId, org.id));
    if (existing) return { id: existing.id, created: false };
    if (input.confirmName.trim() !== org.name) {
      throw new AppError('BAD_REQUEST', `Type the organization’s name, "${org.name}", exactly to confirm.`, { field: 'confirmName' });
    }
    const [row] = await tx
      .insert(orgOffboardings)
      .values({ orgId: org.id, requestedBy: actor.userId, evidence: { organization: { id: org.id, name: org.name, slug: org.slug } } })
      .returning();
    await tx.update(organizations).set({ deletionRequestedAt: row!.requestedAt }).where(eq(organizations.id, org.id));
    // Upgrades a rollout has not started yet will never start; one already upgrading ends with its deletion.
    const skipped = await tx
      .update(rolloutItems)
      .set({ status: 'skipped', reason: 'the organization is being deleted', finishedAt: sql`now()` })
      .where(and(eq(rolloutItems.orgId, org.id), inArray(rolloutItems.status, ['scheduled', 'waiting'])))
      .returning({ id: rolloutItems.id });
    const live = await tx
      .select({ id: deployments.id })
      .from(deployments)
      .where(and(eq(deployments.orgId, org.id), isNull(deployments.deletedAt)));
    await audit(tx, {
      ...by(actor),
      orgId: org.id,
      action: 'org.delete_request',
      target: row!.id,
      before: { name: org.name, status: org.status },
      after: { deployments: live.length, upgradesCancelled: skipped.length },
    });
    return { id: row!.id, created: true };
  });
}

/** What the console shows while the deletion runs (and the receipt once it is done). */
export function offboardingView(o: OrgOffboarding) {
  return {
    id: o.id,
    orgId: o.orgId,
    step: o.step,
    requestedAt: o.requestedAt,
    deploymentsMarkedAt: o.deploymentsMarkedAt,
    deploymentsDoneAt: o.deploymentsDoneAt,
    invoicedAt: o.invoicedAt,
    closedAt: o.closedAt,
    receiptSentAt: o.receiptSentAt,
    completedAt: o.completedAt,
    attempts: o.attempts,
    lastError: o.lastError,
    nextAttemptAt: o.nextAttemptAt,
    evidence: o.evidence,
  };
}

/** The org's deletion as its members (and staff, on the tenant page) see it. */
export async function getOrgOffboarding(db: DbOrTx, actor: Pick<OrgActor, 'orgId'>) {
  const [o] = await db.select().from(orgOffboardings).where(eq(orgOffboardings.orgId, actor.orgId));
  if (!o) return null;
  return { ...offboardingView(o), progress: await deploymentProgress(db, o) };
}

/** How many of the deployments being removed are gone, and the last error of those that are not. */
export async function deploymentProgress(db: DbOrTx, o: Pick<OrgOffboarding, 'orgId' | 'requestedAt'>) {
  const rows = await db
    .select({ name: deployments.name, phase: deployments.phase, lastError: deployments.lastError, deletedAt: deployments.deletedAt })
    .from(deployments)
    .where(and(eq(deployments.orgId, o.orgId), sql`(${deployments.deletedAt} is null or ${deployments.deletedAt} >= ${o.requestedAt.toISOString()}::timestamptz)`))
    .orderBy(deployments.name);
  return { total: rows.length, removed: rows.filter((r) => r.deletedAt).length, remaining: rows.filter((r) => !r.deletedAt) };
}

/**
 * A receipt, for an owner of the organization it belonged to: reachable after the org is closed (memberships
 * are kept with the closed org), so the link in the receipt mail keeps working. Anyone else: not found.
 */
export async function getOffboardingReceipt(db: Db, userId: string, input: z.infer<typeof offboardingIdInput>) {
  const [row] = await db
    .select({ o: orgOffboardings })
    .from(orgOffboardings)
    .innerJoin(memberships, and(eq(memberships.orgId, orgOffboardings.orgId), eq(memberships.userId, userId), eq(memberships.role, 'owner')))
    .where(eq(orgOffboardings.id, input.offboardingId));
  if (!row) throw new AppError('NOT_FOUND', 'There is no deletion receipt with this id for you. Receipts are shown to the owners of the deleted organization.');
  return { ...offboardingView(row.o), progress: await deploymentProgress(db, row.o) };
}

/** The deletions the user can read the receipt of (the organizations they owned), newest first. */
export async function listMyOffboardings(db: Db, userId: string) {
  const rows = await db
    .select({ id: orgOffboardings.id, step: orgOffboardings.step, requestedAt: orgOffboardings.requestedAt, completedAt: orgOffboardings.completedAt, orgName: organizations.name })
    .from(orgOffboardings)
    .innerJoin(organizations, eq(organizations.id, orgOffboardings.orgId))
    .innerJoin(memberships, and(eq(memberships.orgId, orgOffboardings.orgId), eq(memberships.userId, userId), eq(memberships.role, 'owner')))
    .orderBy(sql`${orgOffboardings.requestedAt} desc`);
  return rows;
}
