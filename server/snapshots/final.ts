/**
 * The final snapshot of a deployment being deleted, taken by the reconciler at the start of the delete path —
 * before the app is removed and the infrastructure destroyed — under the pass's lease. The snapshot id makes the
 * engine call idempotent, so a pass cut off after it simply asks again. A permanent engine error does not hold
 * the deletion up: the snapshot is marked failed with the reason, and the deletion goes on.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments, plans, snapshots } from '~/db/schema';
import type { EngineDeployment, Engines } from '../reconciler/engines/types';
import { TransientError } from '../reconciler/engines/types';
import { LeaseLost, type Event } from '../reconciler/store';

export const NO_SNAPSHOTS = "This installation's infrastructure engine does not take snapshots (see docs/day2.md, Snapshots).";

/** Returns the timeline event to record, or null when no final snapshot was asked for. */
export async function takeFinalSnapshot(
  db: Db,
  engines: Engines,
  owner: string,
  e: EngineDeployment,
  signal: AbortSignal,
): Promise<Event | null> {
  const [s] = await db
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(and(eq(snapshots.deploymentId, e.id), eq(snapshots.kind, 'final'), eq(snapshots.status, 'pending')));
  if (!s) return null;
  let set: Partial<typeof snapshots.$inferInsert>;
  try {
    if (!engines.infra.snapshot) throw new Error(NO_SNAPSHOTS);
    const { sizeBytes } = await engines.infra.snapshot(e, s.id, signal);
    const days = sql`(select p.snapshot_retention_days from ${plans} p join ${deployments} dd on dd.plan_id = p.id where dd.id = ${e.id}::uuid)`;
    set = { status: 'available', sizeBytes, completedAt: sql`now()` as unknown as Date, expiresAt: sql`now() + make_interval(days => ${days})` as unknown as Date };
  } catch (err) {
    if (signal.aborted || err instanceof TransientError) throw err; // the pass is retried, and asks again
    // The engine may have made the copy before it failed: a failed snapshot leaves nothing behind.
    await engines.infra.deleteSnapshot?.(s.id, signal);
    set = { status: 'failed', error: (err as Error).message.slice(0, 500), completedAt: sql`now()` as unknown as Date };
  }
  const done = await db
    .update(snapshots)
    .set(set)
    .where(and(eq(snapshots.id, s.id), eq(snapshots.status, 'pending'), sql`exists (select 1 from ${deployments} where id = ${e.id}::uuid and lease_owner = ${owner})`))
    .returning({ status: snapshots.status, sizeBytes: snapshots.sizeBytes, expiresAt: snapshots.expiresAt, error: snapshots.error });
  const r = done[0];
  if (!r) throw new LeaseLost(`lease on deployment ${e.id} was lost while taking its final snapshot`);
  if (r.status === 'failed') return { step: 'snapshot.final', level: 'warning', message: `No final snapshot: ${r.error}` };
  const mb = Math.max(1, Math.round((r.sizeBytes ?? 0) / 1024 / 1024));
  return { step: 'snapshot.final', message: `Final snapshot taken (${mb} MB), kept until ${r.expiresAt!.toISOString().slice(0, 10)}` };
}
