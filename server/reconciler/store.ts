/**
 * The reconciler's SQL: claiming due deployments under a lease, and writes fenced by that lease — a worker whose
 * lease expired (and was taken over) changes nothing, it gets LeaseLost and walks away.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deploymentEvents, deployments, operations, plans, type Deployment } from '~/db/schema';

export const RECONCILE_CHANNEL = 'plinth_reconcile';

export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

export type Claimed = Deployment & { tier: 'shared' | 'dedicated' | 'byoc' };

/** Claims up to `limit` due deployments that no live lease holds. SKIP LOCKED lets workers claim side by side. */
export async function claim(db: Db, owner: string, limit: number, leaseMs: number): Promise<Claimed[]> {
  const due = db
    .select({ id: deployments.id })
    .from(deployments)
    .where(
      and(
        lte(deployments.nextReconcileAt, sql`now()`),
        sql`(${deployments.leaseExpiresAt} is null or ${deployments.leaseExpiresAt} < now())`,
      ),
    )
    .orderBy(deployments.nextReconcileAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(deployments)
    .set({ leaseOwner: owner, leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(inArray(deployments.id, due))
    .returning();
  if (rows.length === 0) return [];
  const tiers = await db
    .select({ id: plans.id, tier: plans.tier })
    .from(plans)
    .where(inArray(plans.id, [...new Set(rows.map((r) => r.planId))]));
  const tierOf = new Map(tiers.map((t) => [t.id, t.tier]));
  return rows.map((r) => ({ ...r, tier: tierOf.get(r.planId) ?? 'shared' }));
}

/** Extends the leases this worker holds. */
export async function heartbeat(db: Db, owner: string, ids: string[], leaseMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(deployments)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(deployments.leaseOwner, owner), inArray(deployments.id, ids)));
}

export type Patch = Partial<Omit<typeof deployments.$inferInsert, 'id' | 'orgId'>>;

/** Writes a patch only while `owner` still holds the lease. */
export async function fencedUpdate(db: Db, id: string, owner: string, patch: Patch): Promise<void> {
  const rows = await db
    .update(deployments)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(deployments.id, id), eq(deployments.leaseOwner, owner)))
    .returning({ id: deployments.id });
  if (rows.length === 0) throw new LeaseLost(`lease on deployment ${id} was lost`);
}

/**
 * Ends a pass and releases the lease. `converged` clears the schedule only if nothing changed meanwhile: a spec
 * change or a delete request that arrived during the pass keeps the deployment due, so it is not lost.
 */
export async function release(
  db: Db,
  id: string,
  owner: string,
  patch: Patch,
  schedule: { converged: true; generation: number } | { at: Date | null },
): Promise<void> {
  const next =
    'converged' in schedule
      ? sql`case when ${deployments.generation} = ${schedule.generation} and ${deployments.deletionRequestedAt} is null then null else now() end`
      : schedule.at;
  const rows = await db
    .update(deployments)
    .set({ ...patch, nextReconcileAt: next as Date | null, leaseOwner: null, leaseExpiresAt: null, updatedAt: sql`now()` })
    .where(and(eq(deployments.id, id), eq(deployments.leaseOwner, owner)))
    .returning({ id: deployments.id });
  if (rows.length === 0) throw new LeaseLost(`lease on deployment ${id} was lost`);
}

export async function recordEvent(
  db: Db,
  d: Pick<Deployment, 'id' | 'orgId' | 'generation'>,
  e: { step: string; message: string; level?: 'info' | 'warning' | 'error'; durationMs?: number },
): Promise<void> {
  await db.insert(deploymentEvents).values({
    deploymentId: d.id,
    orgId: d.orgId,
    generation: d.generation,
    step: e.step,
    level: e.level ?? 'info',
    message: e.message,
    durationMs: e.durationMs ?? null,
  });
}

/** Operations follow the deployment: those at the converged generation succeed, older pending ones were superseded. */
export async function settleOperations(db: Db, deploymentId: string, generation: number, outcome: { ok: true } | { ok: false; error: string }) {
  const open = sql`${operations.status} in ('pending', 'running')`;
  if (outcome.ok) {
    await db
      .update(operations)
      .set({
        // A resize overtaken by a later one before it was applied was superseded; creation itself still happened.
        status: sql`case when ${operations.generation} >= ${generation} or ${operations.kind} in ('create', 'retry') then 'succeeded' else 'superseded' end::operation_status`,
        finishedAt: sql`now()`,
      })
      .where(and(eq(operations.deploymentId, deploymentId), open, lte(operations.generation, generation)));
  } else {
    await db
      .update(operations)
      .set({ status: 'failed', error: outcome.error, finishedAt: sql`now()` })
      .where(and(eq(operations.deploymentId, deploymentId), open, lte(operations.generation, generation)));
  }
}

export async function markOperationsRunning(db: Db, deploymentId: string) {
  await db
    .update(operations)
    .set({ status: 'running' })
    .where(and(eq(operations.deploymentId, deploymentId), eq(operations.status, 'pending')));
}
