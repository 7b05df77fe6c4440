/**
 * Snapshots, as customers and the commands see them: list a deployment's snapshots, take one now, restore one into
 * a new deployment (never over the live one), and the final snapshot a deletion leaves behind. The engine work
 * happens elsewhere: scheduled and manual snapshots in the snapshot job (./job.ts), the final one in the
 * reconciler's delete path (./final.ts) before anything is removed.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '~/db/client';
import { deployments, plans, snapshots, type Deployment } from '~/db/schema';
import type { OrgActor } from '../actor';
import { AppError } from '../errors';
import { audit, by } from '../services/audit';
import { createDeployment, lockActiveOrg, loadForChange, type CommandOptions } from '../services/deployments/commands';
import type { EngineNames } from '../services/deployments/commands';
import type { PlanPolicy } from '../services/deployments/allowance';

type Actor = Pick<OrgActor, 'orgId' | 'userId'>;

/** What the console and the API show of a snapshot. */
const columns = {
  id: snapshots.id,
  deploymentId: snapshots.deploymentId,
  kind: snapshots.kind,
  status: snapshots.status,
  sizeBytes: snapshots.sizeBytes,
  createdAt: snapshots.createdAt,
  completedAt: snapshots.completedAt,
  expiresAt: snapshots.expiresAt,
  error: snapshots.error,
};

/** A deployment's snapshots, newest first (deleted ones included: the record stays), and its plan's retention. */
export async function listSnapshots(db: Db, actor: Pick<OrgActor, 'orgId'>, input: { deploymentId: string }) {
  const [d] = await db
    .select({ id: deployments.id, retentionDays: plans.snapshotRetentionDays, planName: plans.name })
    .from(deployments)
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, actor.orgId)));
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  const rows = await db.select(columns).from(snapshots).where(eq(snapshots.deploymentId, d.id)).orderBy(desc(snapshots.createdAt)).limit(100);
  return { retentionDays: d.retentionDays, planName: d.planName, snapshots: rows };
}

/** Take a snapshot now: of a ready or stopped deployment whose plan includes snapshots, one at a time. */
export async function takeSnapshot(db: Db, actor: Actor, input: { deploymentId: string }, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    await lockActiveOrg(tx, actor.orgId, opts);
    const d = await loadForChange(tx, actor.orgId, input.deploymentId);
    if (d.phase !== 'ready' && d.phase !== 'stopped') {
      throw new AppError('CONFLICT', `A snapshot can be taken of a ready or stopped deployment; this one is ${d.phase}. Try again when it is ready.`);
    }
    const [plan] = await tx.select({ name: plans.name, days: plans.snapshotRetentionDays }).from(plans).where(eq(plans.id, d.planId));
    if (!plan || plan.days <= 0) {
      throw new AppError('PRECONDITION_FAILED', `The ${plan?.name ?? 'current'} plan does not include snapshots. Change to Starter or above to take them.`);
    }
    const [row] = await tx
      .insert(snapshots)
      .values({ orgId: actor.orgId, deploymentId: d.id, kind: 'manual', spec: d.spec, requestedBy: actor.userId })
      .onConflictDoNothing()
      .returning(columns);
    if (!row) throw new AppError('CONFLICT', 'A snapshot of this deployment is already being taken. Wait for it to finish.');
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'snapshot.take', target: d.id, after: { snapshotId: row.id } });
    return row;
  });
}

/**
 * Restore into a new deployment named `name`, like the snapshot's deployment was (plan, region, version, size,
 * configuration), through the ordinary create command: quota, plan rules, billing and idempotency apply as for
 * any new deployment. The source may since have been deleted (its final snapshot is what is left of it).
 */
export async function restoreSnapshot(
  db: Db,
  actor: Actor,
  input: { snapshotId: string; name: string; idempotencyKey: string },
  deps: { engines: EngineNames; pastDueGraceDays: number; payments: PlanPolicy },
) {
  const [s] = await db
    .select({ id: snapshots.id, status: snapshots.status, spec: snapshots.spec, source: deployments.name })
    .from(snapshots)
    .innerJoin(deployments, eq(deployments.id, snapshots.deploymentId))
    .where(and(eq(snapshots.id, input.snapshotId), eq(snapshots.orgId, actor.orgId)));
  if (!s) throw new AppError('NOT_FOUND', 'That snapshot does not exist in this organization.');
  if (s.status !== 'available') throw new AppError('CONFLICT', `This snapshot is ${s.status}; only an available snapshot can be restored.`);
  const { spec } = s;
  return createDeployment(
    db,
    actor,
    {
      name: input.name,
      plan: spec.plan,
      region: spec.region,
      version: spec.version,
      memoryMb: spec.memoryMb,
      replicas: spec.replicas,
      persistence: spec.persistence,
      config: spec.config as Parameters<typeof createDeployment>[2]['config'],
      idempotencyKey: input.idempotencyKey,
    },
    { ...deps, restoreFrom: { snapshotId: s.id, name: s.source } },
  );
}

/** Inside the create transaction: the snapshot is in the org and available, and stays so until the commit. */
export async function lockAvailableSnapshot(tx: Tx, orgId: string, snapshotId: string) {
  const [s] = await tx
    .select({ status: snapshots.status })
    .from(snapshots)
    .where(and(eq(snapshots.id, snapshotId), eq(snapshots.orgId, orgId)))
    .for('share');
  if (!s || s.status !== 'available') throw new AppError('CONFLICT', 'That snapshot is no longer available to restore from.');
}

/**
 * Deleting a deployment whose plan includes snapshots leaves a final snapshot, kept for the plan's retention. It
 * is queued here (a snapshot already in the making gives way to it) and taken by the reconciler before it removes
 * the app. Nothing is queued for a deployment that never had infrastructure, or an organization being deleted
 * (offboarding removes its data).
 */
export async function queueFinalSnapshot(tx: Tx, actor: Actor, d: Deployment) {
  if (d.outputs === null) return;
  const [plan] = await tx.select({ days: plans.snapshotRetentionDays }).from(plans).where(eq(plans.id, d.planId));
  if (!plan || plan.days <= 0) return;
  await tx
    .update(snapshots)
    .set({ status: 'failed', error: 'Superseded by the final snapshot taken before the deployment was deleted.', completedAt: sql`now()` })
    .where(and(eq(snapshots.deploymentId, d.id), eq(snapshots.status, 'pending')));
  await tx.insert(snapshots).values({ orgId: actor.orgId, deploymentId: d.id, kind: 'final', spec: d.spec, requestedBy: actor.userId });
}
