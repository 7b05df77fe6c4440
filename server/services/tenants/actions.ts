/**
 * What admins do to a tenant. Each action takes the admin's reason and writes it, with the change, in one
 * transaction; the audit row (or the operation / credit entry it is folded into) is what the timeline shows.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments, organizations } from '~/db/schema';
import { AppError } from '../../errors';
import type { StaffActor } from '../../actor';
import { audit } from '../audit';
import { issueCredit } from '../../billing/credits';
import { requeue, retryDeployment, updateDeployment } from '../deployments/commands';
import { changeRunState, runStateOf } from '../deployments/run-state';

/** Every action names the tenant and says why. */
type Why = { orgId: string; reason: string };
const staff = (reason: string) => ({ onBehalfOf: 'staff' as const, reason });

export async function issueTenantCredit(db: Db, actor: StaffActor, input: Why & { amountCents: number; currency: string; expiresAt: Date | null }) {
  return issueCredit(db, { ...input, actorId: actor.userId });
}

/**
 * Suspends a tenant: its members can still sign in and read everything, and see the reason, but start no new
 * operation. Deployments keep running — unless `stopDeployments`: then each running one is *stopped* (the app
 * scaled to zero, infrastructure and data kept, compute no longer billed), and resuming can start them again.
 */
export async function suspendTenant(db: Db, actor: StaffActor, input: Why & { stopDeployments: boolean }) {
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, input.orgId)).for('no key update');
    if (!org) throw new AppError('NOT_FOUND', 'No tenant has this id.');
    if (org.deletionRequestedAt) throw new AppError('CONFLICT', `${org.name} is being deleted by its owner; its deletion decides what runs.`);
    if (org.status === 'suspended') throw new AppError('CONFLICT', `${org.name} is already suspended (${org.suspendedReason ?? 'no reason given'}). Resume it first to change the reason.`);
    await tx.update(organizations).set({ status: 'suspended', suspendedReason: input.reason }).where(eq(organizations.id, org.id));
    const stopped: string[] = [];
    if (input.stopDeployments) {
      const live = await tx
        .select()
        .from(deployments)
        .where(and(eq(deployments.orgId, org.id), isNull(deployments.deletedAt), isNull(deployments.deletionRequestedAt)))
        .for('update');
      for (const d of live) {
        if (runStateOf(d) === 'stopped') continue;
        await changeRunState(tx, { orgId: org.id, userId: actor.userId }, d, 'stopped', staff(input.reason));
        stopped.push(d.name);
      }
    }
    await audit(tx, {
      actorId: actor.userId,
      orgId: org.id,
      action: 'org.suspend',
      target: org.id,
      before: { status: org.status },
      after: { status: 'suspended', stopDeployments: input.stopDeployments, stopped },
      reason: input.reason,
    });
    return { id: org.id, status: 'suspended' as const, stopped };
  });
}

/** Resumes a tenant; with `startDeployments`, its stopped deployments are started again (each one an operation). */
export async function resumeTenant(db: Db, actor: StaffActor, input: Why & { startDeployments?: boolean }) {
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, input.orgId)).for('no key update');
    if (!org) throw new AppError('NOT_FOUND', 'No tenant has this id.');
    if (org.deletionRequestedAt) throw new AppError('CONFLICT', `${org.name} is being deleted by its owner; its deletion decides what runs.`);
    if (org.status === 'active') throw new AppError('CONFLICT', `${org.name} is not suspended; there is nothing to resume.`);
    await tx.update(organizations).set({ status: 'active', suspendedReason: null }).where(eq(organizations.id, org.id));
    const started: string[] = [];
    if (input.startDeployments) {
      const live = await tx
        .select()
        .from(deployments)
        .where(and(eq(deployments.orgId, org.id), isNull(deployments.deletedAt), isNull(deployments.deletionRequestedAt)))
        .for('update');
      for (const d of live) {
        if (runStateOf(d) !== 'stopped') continue;
        await changeRunState(tx, { orgId: org.id, userId: actor.userId }, d, 'running', staff(input.reason));
        started.push(d.name);
      }
    }
    await audit(tx, {
      actorId: actor.userId,
      orgId: org.id,
      action: 'org.resume',
      target: org.id,
      before: { status: org.status, suspendedReason: org.suspendedReason },
      after: { status: 'active', started },
      reason: input.reason,
    });
    return { id: org.id, status: 'active' as const, started };
  });
}

/** Moves a deployment to another plan on the tenant's behalf; allowed while the tenant is suspended. */
export async function changeTenantPlan(db: Db, actor: StaffActor, input: Why & { deploymentId: string; plan: string; expectedGeneration: number }) {
  return updateDeployment(
    db,
    { orgId: input.orgId, userId: actor.userId },
    { deploymentId: input.deploymentId, expectedGeneration: input.expectedGeneration, plan: input.plan },
    staff(input.reason),
  );
}

export async function retryTenantDeployment(db: Db, actor: StaffActor, input: Why & { deploymentId: string }) {
  return retryDeployment(db, { orgId: input.orgId, userId: actor.userId }, { deploymentId: input.deploymentId }, staff(input.reason));
}

/**
 * Makes a deployment due now with a clean slate (attempts 0), whatever its phase: the next pass re-checks every
 * step against the engines, which are idempotent, so a healthy deployment is simply confirmed. If a worker holds
 * the lease right now, that pass is already the reconcile asked for, and its outcome decides what comes next.
 */
export async function forceReconcile(db: Db, actor: StaffActor, input: Why & { deploymentId: string }) {
  return db.transaction(async (tx) => {
    // Organization first, then deployment: the order every customer command uses. The opposite order deadlocked
    // against a customer's retry/upgrade (the operation insert below takes a key-share lock on the org).
    const [org] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId)).for('no key update');
    if (!org) throw new AppError('NOT_FOUND', 'That tenant does not exist.');
    const [d] = await tx
      .select()
      .from(deployments)
      .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, input.orgId), isNull(deployments.deletedAt)))
      .for('update');
    if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this tenant, or it is already deleted.');
    await requeue(tx, { orgId: d.orgId, userId: actor.userId }, d, {
      summary: 'Reconcile forced by Plinth staff',
      audit: {
        action: 'deployment.force_reconcile',
        before: { phase: d.phase, attempts: d.attempts, nextReconcileAt: d.nextReconcileAt, lastError: d.lastError },
        reason: input.reason,
      },
    });
    return { id: d.id };
  });
}
