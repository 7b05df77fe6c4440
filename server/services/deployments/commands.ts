/**
 * Everything a customer (or admin) asks of a deployment. Each command writes the desired state, an operation and
 * an audit row in one transaction and wakes the reconciler; it never calls an engine itself.
 */
import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '~/db/client';
import { deployments, operations, organizations, users, type Deployment, type DeploymentSpec, type Plan } from '~/db/schema';
import { jsonEqual } from '~/lib/equal';
import type { OrgActor } from '../../actor';
import { AppError } from '../../errors';
import { notifyReconciler } from '../../reconciler/notify';
import { ORG_BEING_DELETED } from '../../offboarding/messages';
import { audit, by } from '../audit';
import { lockAvailableSnapshot, queueFinalSnapshot } from '../../snapshots/service';
import { assertPlanAllowed, type PlanPolicy } from './allowance';
import { assertRegion, assertUpgradePath, buildSpec, compareVersions, findPlan, findVersion } from './spec';
import type { z } from 'zod';
import type { createDeploymentInput, deleteDeploymentInput, updateDeploymentInput, upgradeDeploymentInput } from '~/lib/inputs/deployments';
import { formatPrice } from '~/lib/format';
import { estimateMonthly } from '~/lib/pricing';

/** The member asking, or the staff member acting on the org's behalf (who has no role in it). */
export type Actor = Pick<OrgActor, 'orgId' | 'userId' | 'apiKeyId'>;
export type EngineNames = { infra: string; delivery: string };
/**
 * Who a command runs for. A suspended org's own members can start nothing, nor can a member of an org whose
 * payment is past due beyond the grace period; staff acting on its behalf (an admin changing its plan or
 * retrying a deployment) can, and must say why — the reason lands in the audit row.
 */
export type CommandOptions =
  | { onBehalfOf: 'staff'; reason: string }
  | { onBehalfOf?: 'customer'; reason?: undefined; pastDueGraceDays: number; payments: PlanPolicy };

/**
 * Locks the org row: serializes quota checks and idempotent creates per org, and refuses suspended orgs.
 * FOR NO KEY UPDATE, not FOR UPDATE: commands still exclude each other, but a foreign-key check on the org
 * (KEY SHARE, taken by the reconciler's fenced write when it inserts into `events` after locking the deployment)
 * is not blocked — with FOR UPDATE that was a lock-order deadlock against this org-then-deployment order.
 */
export async function lockActiveOrg(tx: Tx, orgId: string, opts: CommandOptions) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for('no key update');
  if (!org || org.closedAt) throw new AppError('NOT_FOUND', 'This organization no longer exists.');
  // Nobody, staff included, changes a deployment of an organization being deleted: the offboarding job is
  // removing them all (server/offboarding/), and a change now would race it.
  if (org.deletionRequestedAt) throw new AppError('CONFLICT', ORG_BEING_DELETED);
  if (org.status === 'suspended' && opts.onBehalfOf !== 'staff') {
    throw new AppError('PRECONDITION_FAILED', `This organization is suspended${org.suspendedReason ? `: ${org.suspendedReason}` : ''}. No new operations can start. Contact support.`);
  }
  if (opts.onBehalfOf !== 'staff' && org.paymentStatus === 'past_due' && org.pastDueSince && org.pastDueSince.getTime() + opts.pastDueGraceDays * 86_400_000 < Date.now()) {
    throw new AppError('PRECONDITION_FAILED', 'Payment is past due. Update your payment method on the Billing page to start new operations; running deployments are not affected.');
  }
  return org;
}

/**
 * The price the person confirmed must still be the price: a plan's fee or rate may have changed since their page
 * loaded the catalog. Checked inside the transaction, against the plan row it writes.
 */
function assertQuote(plan: Plan, spec: { memoryMb: number; persistence: boolean }, quotedMonthlyCents: number | undefined) {
  if (quotedMonthlyCents === undefined) return;
  const now = estimateMonthly(plan, spec).totalCents;
  if (now === quotedMonthlyCents) return;
  throw new AppError(
    'CONFLICT',
    `The price changed since you saw it: this is now ${formatPrice(now)}/month, not ${formatPrice(quotedMonthlyCents)}. Review the new price and confirm again.`,
    { field: 'quote' },
  );
}

async function assertQuota(tx: Tx, orgId: string, plan: Plan, exceptDeploymentId?: string) {
  const max = plan.limits.maxDeployments;
  if (max === null) return;
  const [row] = await tx
    .select({ n: count() })
    .from(deployments)
    .where(
      and(
        eq(deployments.orgId, orgId),
        eq(deployments.planId, plan.id),
        isNull(deployments.deletionRequestedAt),
        exceptDeploymentId ? sql`${deployments.id} <> ${exceptDeploymentId}` : undefined,
      ),
    );
  if ((row?.n ?? 0) >= max) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `The ${plan.name} plan allows ${max} deployment${max === 1 ? '' : 's'} per organization, and you have ${row?.n}. Delete one or choose another plan.`,
      { field: 'plan' },
    );
  }
}

export async function createDeployment(
  db: Db,
  actor: Actor,
  input: z.infer<typeof createDeploymentInput>,
  deps: { engines: EngineNames; pastDueGraceDays: number; payments: PlanPolicy; restoreFrom?: { snapshotId: string; name: string } },
) {
  const { engines } = deps;
  const opts: CommandOptions = { pastDueGraceDays: deps.pastDueGraceDays, payments: deps.payments };
  return db.transaction(async (tx) => {
    const org = await lockActiveOrg(tx, actor.orgId, opts);
    const [existing] = await tx
      .select({ deploymentId: operations.deploymentId })
      .from(operations)
      .where(and(eq(operations.orgId, actor.orgId), eq(operations.idempotencyKey, input.idempotencyKey)));
    if (existing) return { id: existing.deploymentId, created: false };

    const plan = await findPlan(tx, input.plan);
    await assertRegion(tx, input.region);
    await findVersion(tx, plan.productId, input.version);
    const spec = buildSpec(plan, { region: input.region, version: input.version }, input);
    assertQuote(plan, spec, input.quotedMonthlyCents);
    const [taken] = await tx
      .select({ id: deployments.id })
      .from(deployments)
      .where(and(eq(deployments.orgId, actor.orgId), eq(deployments.name, input.name), isNull(deployments.deletedAt)));
    if (taken) throw new AppError('CONFLICT', `A deployment named "${input.name}" already exists. Choose another name.`, { field: 'name' });
    await assertQuota(tx, actor.orgId, plan);
    await assertPlanAllowed(tx, { org, plan, actorId: actor.userId, policy: opts.payments, onBehalfOf: opts.onBehalfOf });
    // A restore: the snapshot is still there (held until this commits, so it cannot expire in between).
    if (deps.restoreFrom) await lockAvailableSnapshot(tx, actor.orgId, deps.restoreFrom.snapshotId);

    const [d] = await tx
      .insert(deployments)
      .values({
        orgId: actor.orgId,
        name: input.name,
        planId: plan.id,
        spec,
        infraEngine: engines.infra,
        deliveryEngine: engines.delivery,
        createdBy: actor.userId,
        nextReconcileAt: sql`now()`,
        restoredFromSnapshotId: deps.restoreFrom?.snapshotId ?? null,
      })
      .returning();
    await tx.insert(operations).values({
      orgId: actor.orgId,
      deploymentId: d!.id,
      kind: 'create',
      requestedBy: actor.userId,
      idempotencyKey: input.idempotencyKey,
      generation: 1,
      summary: deps.restoreFrom
        ? `Restore a snapshot of ${deps.restoreFrom.name} into a new ${plan.name} deployment (Redis ${spec.version}, ${spec.memoryMb} MB)`
        : `Create ${plan.name} deployment in ${spec.region} (Redis ${spec.version}, ${spec.memoryMb} MB)`,
    });
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'deployment.create', target: d!.id, after: spec });
    await notifyReconciler(tx);
    return { id: d!.id, created: true };
  });
}

export async function loadForChange(tx: Tx, orgId: string, deploymentId: string): Promise<Deployment> {
  const [d] = await tx
    .select()
    .from(deployments)
    .where(and(eq(deployments.id, deploymentId), eq(deployments.orgId, orgId), isNull(deployments.deletedAt)))
    .for('update');
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  if (d.deletionRequestedAt) throw new AppError('CONFLICT', 'This deployment is being deleted; it can no longer be changed.');
  return d;
}

/** Refuses a write based on a stale view, and says what changed since: the operations the caller has not seen. */
export async function assertGeneration(tx: Tx, d: Deployment, expected: number) {
  if (d.generation === expected) return;
  const missed = await tx
    .select({ summary: operations.summary, by: users.email })
    .from(operations)
    .leftJoin(users, eq(users.id, operations.requestedBy))
    .where(and(eq(operations.deploymentId, d.id), gt(operations.generation, expected)))
    .orderBy(asc(operations.generation));
  const what = missed.map((m) => `${m.summary}${m.by ? ` (by ${m.by})` : ''}`).join('; ');
  throw new AppError(
    'CONFLICT',
    `This deployment changed since you loaded it${what ? `: ${what}` : ''}. Review its current settings and try again.`,
    { reason: 'stale' },
  );
}

/** Writes a new desired spec at generation+1, with its operation and audit row. */
type SpecChange = { spec: DeploymentSpec; planId: string; kind: 'update' | 'upgrade' | 'stop' | 'start'; summary: string; reason?: string };

export async function writeSpec(tx: Tx, actor: Actor, d: Deployment, change: SpecChange) {
  const { spec, planId, kind, summary, reason } = change;
  const generation = d.generation + 1;
  await tx
    .update(deployments)
    .set({ spec, planId, generation, nextReconcileAt: sql`now()`, attempts: 0, updatedAt: sql`now()` })
    .where(eq(deployments.id, d.id));
  await tx.insert(operations).values({ orgId: actor.orgId, deploymentId: d.id, kind, requestedBy: actor.userId, generation, summary });
  await audit(tx, { ...by(actor), orgId: actor.orgId, action: `deployment.${kind}`, target: d.id, before: d.spec, after: spec, reason });
  await notifyReconciler(tx);
  return { id: d.id, generation };
}

function describeChange(before: DeploymentSpec, after: DeploymentSpec): string {
  const parts: string[] = [];
  if (before.plan !== after.plan) parts.push(`plan ${before.plan} → ${after.plan}`);
  if (before.memoryMb !== after.memoryMb) parts.push(`memory ${before.memoryMb} → ${after.memoryMb} MB`);
  if (before.replicas !== after.replicas) parts.push(`replicas ${before.replicas} → ${after.replicas}`);
  if (before.persistence !== after.persistence) parts.push(`persistence ${after.persistence ? 'on' : 'off'}`);
  if (!jsonEqual(before.config, after.config)) parts.push('configuration');
  return `Change ${parts.join(', ')}`;
}

export async function updateDeployment(db: Db, actor: Actor, input: z.infer<typeof updateDeploymentInput>, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    const org = await lockActiveOrg(tx, actor.orgId, opts);
    const d = await loadForChange(tx, actor.orgId, input.deploymentId);
    await assertGeneration(tx, d, input.expectedGeneration);
    const plan = await findPlan(tx, input.plan ?? d.spec.plan);
    if (plan.id !== d.planId) {
      await assertQuota(tx, actor.orgId, plan, d.id);
      await assertPlanAllowed(tx, { org, plan, actorId: actor.userId, policy: 'payments' in opts ? opts.payments : undefined, onBehalfOf: opts.onBehalfOf });
    }
    const spec = buildSpec(plan, { region: d.spec.region, version: d.spec.version }, input, d.spec);
    assertQuote(plan, spec, input.quotedMonthlyCents);
    if (jsonEqual(spec, d.spec)) {
      throw new AppError('BAD_REQUEST', 'Nothing changed: these are already the deployment’s settings.');
    }
    return writeSpec(tx, actor, d, { spec, planId: plan.id, kind: 'update', summary: describeChange(d.spec, spec), reason: opts.reason });
  });
}

export async function upgradeDeployment(db: Db, actor: Actor, input: z.infer<typeof upgradeDeploymentInput>, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    await lockActiveOrg(tx, actor.orgId, opts);
    const d = await loadForChange(tx, actor.orgId, input.deploymentId);
    await assertGeneration(tx, d, input.expectedGeneration);
    const plan = await findPlan(tx, d.spec.plan);
    await findVersion(tx, plan.productId, input.version);
    if (compareVersions(input.version, d.spec.version) <= 0) {
      throw new AppError('BAD_REQUEST', `Choose a version newer than ${d.spec.version}; Redis cannot be downgraded in place.`, { field: 'version' });
    }
    await assertUpgradePath(tx, plan.productId, d.spec.version, input.version);
    const spec = { ...d.spec, version: input.version };
    return writeSpec(tx, actor, d, { spec, planId: plan.id, kind: 'upgrade', summary: `Upgrade Redis ${d.spec.version} → ${input.version}`, reason: opts.reason });
  });
}

export async function deleteDeployment(db: Db, actor: Actor, input: z.infer<typeof deleteDeploymentInput>, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    await lockActiveOrg(tx, actor.orgId, opts);
    const d = await loadForChange(tx, actor.orgId, input.deploymentId);
    if (input.confirmName.trim() !== d.name) {
      throw new AppError('BAD_REQUEST', `Type the name "${d.name}" exactly to confirm.`, { field: 'confirmName' });
    }
    // Taken by the reconciler before it removes anything, and kept for the plan's retention (snapshots/).
    await queueFinalSnapshot(tx, actor, d);
    return requestDeletion(tx, actor, d, opts);
  });
}

/**
 * Marks a locked deployment for deletion (generation+1), with its operation and audit row. The reconciler then
 * removes the app, destroys the infrastructure and clears the finalizers, so nothing is left behind.
 */
export async function requestDeletion(tx: Tx, actor: Actor, d: Deployment, opts: CommandOptions, summary?: string) {
  const generation = d.generation + 1;
  await tx
    .update(deployments)
    .set({ deletionRequestedAt: sql`now()`, generation, nextReconcileAt: sql`now()`, attempts: 0, updatedAt: sql`now()` })
    .where(eq(deployments.id, d.id));
  await tx.insert(operations).values({
    orgId: actor.orgId,
    deploymentId: d.id,
    kind: 'delete',
    requestedBy: actor.userId,
    generation,
    summary: summary ?? (opts.onBehalfOf === 'staff' ? `Delete ${d.name} (by Plinth staff)` : `Delete ${d.name}`),
  });
  await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'deployment.delete', target: d.id, before: d.spec, reason: opts.reason });
  await notifyReconciler(tx);
  return { id: d.id, generation };
}

/**
 * Makes a deployment due now with a clean slate (attempts 0) at its current generation, recording a `retry`
 * operation and the audit row, and wakes the reconciler. Shared by the customer's retry and staff's force.
 */
export async function requeue(tx: Tx, actor: Actor, d: Deployment, o: { summary: string; audit: { action: string; before?: unknown; reason?: string } }) {
  await tx.update(deployments).set({ nextReconcileAt: sql`now()`, attempts: 0, requeues: sql`${deployments.requeues} + 1`, updatedAt: sql`now()` }).where(eq(deployments.id, d.id));
  await tx.insert(operations).values({ orgId: actor.orgId, deploymentId: d.id, kind: 'retry', requestedBy: actor.userId, generation: d.generation, summary: o.summary });
  await audit(tx, { ...by(actor), orgId: actor.orgId, target: d.id, ...o.audit });
  await notifyReconciler(tx);
}

/** Retry now: only a failed deployment; clears the backoff and starts a fresh pass at the current generation. */
export async function retryDeployment(db: Db, actor: Actor, input: { deploymentId: string }, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    await lockActiveOrg(tx, actor.orgId, opts);
    const [d] = await tx
      .select()
      .from(deployments)
      .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, actor.orgId), isNull(deployments.deletedAt)))
      .for('update');
    if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
    if (d.phase !== 'failed') throw new AppError('CONFLICT', `Only a failed deployment can be retried; this one is ${d.phase}.`);
    await requeue(tx, actor, d, { summary: `Retry after: ${d.lastError ?? 'failure'}`.slice(0, 300), audit: { action: 'deployment.retry', reason: opts.reason } });
    return { id: d.id };
  });
}
