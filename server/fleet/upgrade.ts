/**
 * Starting rollout items: the one way a rollout changes a deployment. Like a customer's command it locks the org
 * rows, then the deployment rows, then the items (always in that order, so it cannot deadlock with a customer),
 * checks the generation it planned with, and writes spec.version + generation + 1 with an `operations` row and
 * the audit/timeline rows in one transaction, then wakes the reconciler. The reconciler does the upgrade.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Tx } from '~/db/client';
import { deployments, jobLeases, operations, organizations, rolloutItems, type Rollout } from '~/db/schema';
import { compareVersions } from '~/lib/versions';
import { notifyReconciler } from '../reconciler/notify';
import { emitFleetEvents, type FleetEvent } from './notify';

/** What the planner saw: the item and the deployment's generation at that moment. */
export type Candidate = { itemId: number; deploymentId: string; generation: number };
export type StartResult = { started: string[]; conflicts: number; skipped: number; done: number; busy: number };

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Starts the candidates that may still start; the rest are left as they are (a newer generation: planned again on
 * the next round) or finished (skipped, already on the target). `fence`: the scheduler's lease, re-checked in the
 * transaction so a scheduler that lost it writes nothing.
 */
export async function startItems(
  tx: Tx,
  rollout: Rollout,
  candidates: Candidate[],
  o: { now: Date; actorId: string | null; why: string; fence?: { name: string; owner: string } },
): Promise<StartResult> {
  const result: StartResult = { started: [], conflicts: 0, skipped: 0, done: 0, busy: 0 };
  if (!candidates.length) return result;
  if (o.fence) {
    const [held] = await tx
      .select({ owner: jobLeases.owner })
      .from(jobLeases)
      .where(and(eq(jobLeases.name, o.fence.name), eq(jobLeases.owner, o.fence.owner), gt(jobLeases.expiresAt, sql`now()`)));
    if (!held) return result;
  }
  const ids = candidates.map((c) => c.deploymentId);
  const orgRows = await tx
    .select({ id: organizations.id, status: organizations.status, deleting: organizations.deletionRequestedAt })
    .from(organizations)
    .where(inArray(organizations.id, sql`(select ${deployments.orgId} from ${deployments} where ${inArray(deployments.id, ids)})`))
    .orderBy(organizations.id)
    .for('no key update');
  const dRows = (
    await tx
      .select({ id: deployments.id, orgId: deployments.orgId, generation: deployments.generation, phase: deployments.phase, spec: deployments.spec, deleting: deployments.deletionRequestedAt })
      .from(deployments)
      .where(inArray(deployments.id, ids))
      .orderBy(deployments.id)
      .for('update')
  ).sort(byId);
  const items = await tx
    .select({ id: rolloutItems.id, deploymentId: rolloutItems.deploymentId, orgId: rolloutItems.orgId })
    .from(rolloutItems)
    .where(and(inArray(rolloutItems.id, candidates.map((c) => c.itemId)), inArray(rolloutItems.status, ['scheduled', 'waiting'])))
    .for('update');
  const itemOf = new Map(items.map((i) => [i.deploymentId, i]));
  const planned = new Map(candidates.map((c) => [c.deploymentId, c.generation]));
  const suspended = new Set(orgRows.filter((r) => r.status === 'suspended').map((r) => r.id));
  const orgDeleting = new Set(orgRows.filter((r) => r.deleting).map((r) => r.id));

  const go: typeof dRows = [];
  const finish: Array<{ itemId: number; status: 'done' | 'skipped'; reason: string }> = [];
  const events: FleetEvent[] = [];
  for (const d of dRows) {
    const item = itemOf.get(d.id);
    if (!item) continue; // started, skipped or cancelled since it was planned
    const skip = (reason: string) => {
      finish.push({ itemId: item.id, status: 'skipped', reason });
      events.push({ kind: 'upgrade.skipped', orgId: d.orgId, deploymentId: d.id, generation: d.generation, rolloutId: rollout.id, message: `Upgrade to Redis ${rollout.targetVersion} skipped: ${reason}. It stays on ${d.spec.version}.` });
      result.skipped++;
    };
    if (d.deleting) skip('the deployment is being deleted');
    else if (orgDeleting.has(d.orgId)) skip('the organization is being deleted');
    else if (suspended.has(d.orgId)) skip('the organization is suspended');
    else if (compareVersions(d.spec.version, rollout.targetVersion) >= 0) {
      finish.push({ itemId: item.id, status: 'done', reason: `already on ${d.spec.version}` });
      result.done++;
    } else if (d.phase === 'failed') skip('the deployment was failing before its upgrade');
    else if (planned.get(d.id) !== d.generation) result.conflicts++; // changed since planned: plan again
    else if (d.phase !== 'ready') result.busy++; // a change is converging; its turn comes again next round
    else go.push(d);
  }

  for (const f of finish) {
    await tx.update(rolloutItems).set({ status: f.status, reason: f.reason, finishedAt: o.now }).where(eq(rolloutItems.id, f.itemId));
  }
  if (go.length) {
    const goIds = go.map((d) => d.id);
    const target = rollout.targetVersion;
    await tx
      .update(deployments)
      .set({
        spec: sql`jsonb_set(${deployments.spec}, '{version}', to_jsonb(${target}::text))`,
        generation: sql`${deployments.generation} + 1`,
        nextReconcileAt: sql`now()`,
        attempts: 0,
        updatedAt: sql`now()`,
      })
      .where(inArray(deployments.id, goIds));
    await tx.insert(operations).values(
      go.map((d) => ({
        orgId: d.orgId,
        deploymentId: d.id,
        kind: 'upgrade' as const,
        requestedBy: o.actorId,
        generation: d.generation + 1,
        summary: `Upgrade Redis ${d.spec.version} → ${target} (${o.why})`,
      })),
    );
    // One statement for all: each item gets its own deployment's new generation.
    await tx
      .update(rolloutItems)
      .set({ status: 'upgrading', generation: sql`${deployments.generation}`, startedAt: o.now, reason: null })
      .from(deployments)
      .where(and(eq(rolloutItems.rolloutId, rollout.id), inArray(rolloutItems.deploymentId, goIds), eq(deployments.id, rolloutItems.deploymentId)));
    for (const d of go) {
      events.push({ kind: 'upgrade.started', orgId: d.orgId, deploymentId: d.id, generation: d.generation + 1, rolloutId: rollout.id, actorId: o.actorId, message: `Upgrading Redis ${d.spec.version} → ${target} (${o.why}).` });
    }
    result.started = goIds;
    await notifyReconciler(tx);
  }
  await emitFleetEvents(tx, events);
  return result;
}
