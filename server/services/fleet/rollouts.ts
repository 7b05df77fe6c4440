/**
 * Rollouts as staff admins drive them (internal console, Rollouts page): a dry run, creation, the live view, and
 * pause / resume / cancel / skip / retry. The scheduler (server/fleet/scheduler.ts) does the upgrading.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '~/db/client';
import { deployments, operations, organizations, rolloutItems, rollouts, rolloutWaves } from '~/db/schema';
import type { rolloutActionInput, rolloutItemInput, RolloutPlanInput, rolloutRefInput } from '~/lib/inputs/fleet';
import type { StaffActor } from '../../actor';
import { AppError } from '../../errors';
import { emitFleetEvents, type FleetEvent } from '../../fleet/notify';
import { notifyReconciler } from '../../reconciler/notify';
import { audit } from '../audit';
import { estimate, selectFleet, splitWaves, validatePlan } from './plan';
import { fleetProduct } from './versions';

export type Clock = { now?: () => Date };
const clock = (deps?: Clock) => (deps?.now ?? (() => new Date()))();

async function planFor(db: Db, input: RolloutPlanInput, now: Date) {
  const product = await fleetProduct(db);
  const target = await validatePlan(db, product.id, input, now);
  const { eligible, excluded } = await selectFleet(db, product.id, input);
  const waves = splitWaves(eligible, input);
  const startsAt = new Date(now.getTime() + input.noticeDays * 86_400_000);
  return { product, target, eligible, excluded, waves, startsAt };
}

/** The blast radius before anything starts: waves, windows, estimated finish, exclusions and why. Changes nothing. */
export async function dryRunRollout(db: Db, _actor: StaffActor, input: RolloutPlanInput, deps?: Clock) {
  const now = clock(deps);
  const { target, eligible, excluded, waves, startsAt } = await planFor(db, input, now);
  const est = estimate(waves, { startsAt, deadline: input.deadline });
  const reasons: Record<string, number> = {};
  for (const e of excluded) reasons[e.reason] = (reasons[e.reason] ?? 0) + 1;
  return {
    targetVersion: target.version,
    severity: target.severity,
    total: eligible.length,
    startsAt,
    estimatedFinish: est.at(-1)?.estimatedFinish ?? null,
    waves: est,
    excluded: { total: excluded.length, byReason: reasons, sample: excluded.slice(0, 50) },
  };
}

export async function createRollout(db: Db, actor: StaffActor, input: RolloutPlanInput, deps?: Clock) {
  const now = clock(deps);
  return db.transaction(async (tx) => {
    // One creation at a time, so two rollouts cannot both take a deployment.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('plinth:rollout:create'))`);
    const product = await fleetProduct(tx);
    const target = await validatePlan(tx, product.id, input, now);
    const { eligible, excluded } = await selectFleet(tx, product.id, input);
    if (!eligible.length) {
      throw new AppError('BAD_REQUEST', `No deployment would be upgraded: ${excluded.length ? `all ${excluded.length} selected are excluded (see the dry run)` : 'none matches the selection'}.`, { field: 'selector' });
    }
    const waves = splitWaves(eligible, input);
    const startsAt = new Date(now.getTime() + input.noticeDays * 86_400_000);
    const [r] = await tx
      .insert(rollouts)
      .values({
        productId: product.id,
        targetVersion: target.version,
        severity: target.severity,
        selector: input.selector,
        startsAt,
        deadline: input.deadline,
        maxDefers: target.severity === 'regular' ? input.maxDefers : 0,
        createdBy: actor.userId,
        createdAt: now,
      })
      .returning();
    await tx.insert(rolloutWaves).values(waves.map((w) => ({ rolloutId: r!.id, index: w.index, name: w.name, size: w.size, maxConcurrency: w.maxConcurrency, failureBudgetPct: w.failureBudgetPct })));
    const items = waves.flatMap((w) => w.items.map((i) => ({ rolloutId: r!.id, wave: w.index, deploymentId: i.deploymentId, orgId: i.orgId, fromVersion: i.fromVersion })));
    for (let i = 0; i < items.length; i += 2000) await tx.insert(rolloutItems).values(items.slice(i, i + 2000));
    await audit(tx, { actorId: actor.userId, orgId: null, action: 'rollout.create', target: r!.id, after: { ...input, deployments: items.length, excluded: excluded.length } });
    const when = input.noticeDays ? `from ${startsAt.toISOString().slice(0, 10)}, in its maintenance window` : 'in its maintenance window';
    const deadline = input.deadline ? `; at the latest ${input.deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '';
    const gens = await tx.select({ id: deployments.id, generation: deployments.generation, name: deployments.name }).from(deployments).where(inArray(deployments.id, sql`(select deployment_id from rollout_items where rollout_id = ${r!.id})`));
    const genOf = new Map(gens.map((g) => [g.id, g]));
    await emitFleetEvents(
      tx,
      items.map((i) => ({
        kind: 'upgrade.scheduled',
        orgId: i.orgId,
        deploymentId: i.deploymentId,
        generation: genOf.get(i.deploymentId)?.generation ?? 0,
        rolloutId: r!.id,
        actorId: actor.userId,
        message: `Redis ${i.fromVersion} → ${target.version} (${target.severity}) is scheduled ${when}${deadline}.`,
        name: genOf.get(i.deploymentId)?.name ?? 'a deployment',
        fromVersion: i.fromVersion,
        toVersion: target.version,
        deadline: input.deadline ? input.deadline.toISOString() : null,
      })),
    );
    return { id: r!.id, deployments: items.length, excluded: excluded.length };
  });
}

export async function listRollouts(db: Db, _actor: StaffActor) {
  const rows = await db.select().from(rollouts).orderBy(desc(rollouts.createdAt)).limit(100);
  const counts = rows.length
    ? await db
        .select({ rolloutId: rolloutItems.rolloutId, status: rolloutItems.status, n: count() })
        .from(rolloutItems)
        .where(inArray(rolloutItems.rolloutId, rows.map((r) => r.id)))
        .groupBy(rolloutItems.rolloutId, rolloutItems.status)
    : [];
  return rows.map((r) => ({ ...r, counts: Object.fromEntries(counts.filter((c) => c.rolloutId === r.id).map((c) => [c.status, c.n])) as Record<string, number> }));
}

/** The live view: counts per state and wave, progress over time, an ETA, and the items that need a look. */
export async function getRollout(db: Db, _actor: StaffActor, input: z.infer<typeof rolloutRefInput>, deps?: Clock) {
  const now = clock(deps);
  const [r] = await db.select().from(rollouts).where(eq(rollouts.id, input.rolloutId));
  if (!r) throw new AppError('NOT_FOUND', 'There is no such rollout.');
  const [waves, perWave, progress, attention] = await Promise.all([
    db.select().from(rolloutWaves).where(eq(rolloutWaves.rolloutId, r.id)).orderBy(asc(rolloutWaves.index)),
    db.select({ wave: rolloutItems.wave, status: rolloutItems.status, n: count() }).from(rolloutItems).where(eq(rolloutItems.rolloutId, r.id)).groupBy(rolloutItems.wave, rolloutItems.status),
    db
      .select({ minute: sql<string>`date_trunc('minute', ${rolloutItems.finishedAt})`.as('minute'), n: count() })
      .from(rolloutItems)
      .where(and(eq(rolloutItems.rolloutId, r.id), eq(rolloutItems.status, 'done')))
      .groupBy(sql`1`)
      .orderBy(sql`1`),
    db
      .select({ deploymentId: rolloutItems.deploymentId, wave: rolloutItems.wave, status: rolloutItems.status, reason: rolloutItems.reason, fromVersion: rolloutItems.fromVersion, name: deployments.name, orgName: organizations.name, version: sql<string>`${deployments.observedSpec}->>'version'` })
      .from(rolloutItems)
      .innerJoin(deployments, eq(deployments.id, rolloutItems.deploymentId))
      .innerJoin(organizations, eq(organizations.id, rolloutItems.orgId))
      .where(and(eq(rolloutItems.rolloutId, r.id), inArray(rolloutItems.status, ['failed', 'upgrading', 'skipped'])))
      .orderBy(asc(rolloutItems.id))
      .limit(200),
  ]);
  const totals: Record<string, number> = {};
  const byWave = waves.map((w) => {
    const c: Record<string, number> = {};
    for (const p of perWave.filter((x) => x.wave === w.index)) {
      c[p.status] = p.n;
      totals[p.status] = (totals[p.status] ?? 0) + p.n;
    }
    return { ...w, counts: c };
  });
  let cumulative = 0;
  const series = progress.map((p) => ({ at: new Date(p.minute), done: (cumulative += p.n) }));
  const total = Object.values(totals).reduce((a, b) => a + b, 0);
  const finished = (totals.done ?? 0) + (totals.failed ?? 0) + (totals.skipped ?? 0);
  // ETA from the pace so far (done per ms since the first start); none before anything finished.
  const firstStart = waves.find((w) => w.startedAt)?.startedAt;
  const pace = firstStart && totals.done ? totals.done / Math.max(1, now.getTime() - firstStart.getTime()) : 0;
  const eta = r.status === 'running' && pace > 0 ? new Date(now.getTime() + (total - finished) / pace) : null;
  return { rollout: r, waves: byWave, totals, total, series, eta, attention };
}

async function changeStatus(db: Db, actor: StaffActor, rolloutId: string, from: Array<(typeof rollouts.$inferSelect)['status']>, to: 'running' | 'paused' | 'cancelling', reason: string | null, action: string) {
  return db.transaction(async (tx) => {
    const [r] = await tx.select().from(rollouts).where(eq(rollouts.id, rolloutId)).for('update');
    if (!r) throw new AppError('NOT_FOUND', 'There is no such rollout.');
    if (!from.includes(r.status)) throw new AppError('CONFLICT', `This rollout is ${r.status}; it cannot be ${action === 'rollout.resume' ? 'resumed' : action === 'rollout.pause' ? 'paused' : 'cancelled'} now.`);
    await tx.update(rollouts).set({ status: to, pausedReason: to === 'paused' ? reason : null }).where(eq(rollouts.id, r.id));
    await audit(tx, { actorId: actor.userId, orgId: null, action, target: r.id, before: { status: r.status }, after: { status: to }, reason: reason ?? undefined });
    return r;
  });
}

export async function pauseRolloutByStaff(db: Db, actor: StaffActor, input: z.infer<typeof rolloutActionInput>) {
  await changeStatus(db, actor, input.rolloutId, ['running'], 'paused', input.reason || 'Paused by Plinth staff', 'rollout.pause');
  return { ok: true };
}

/** Resumes, retrying the failed upgrades (the cause was fixed), so the failure budget starts clean. */
export async function resumeRollout(db: Db, actor: StaffActor, input: z.infer<typeof rolloutActionInput>) {
  await changeStatus(db, actor, input.rolloutId, ['paused'], 'running', null, 'rollout.resume');
  const retried = await retryFailed(db, actor, input);
  return { ok: true, retried: retried.retried };
}

/**
 * Cancels: nothing new starts, items not yet started are skipped (they stay on their version); upgrades in flight
 * finish, so no deployment is left half-way — the rollout is `cancelling` until they have.
 */
export async function cancelRollout(db: Db, actor: StaffActor, input: z.infer<typeof rolloutActionInput>, deps?: Clock) {
  const now = clock(deps);
  const r = await changeStatus(db, actor, input.rolloutId, ['running', 'paused'], 'cancelling', input.reason || null, 'rollout.cancel');
  await db.transaction(async (tx) => {
    const skipped = await tx
      .update(rolloutItems)
      .set({ status: 'skipped', reason: 'the rollout was cancelled before its turn', finishedAt: now })
      .where(and(eq(rolloutItems.rolloutId, r.id), inArray(rolloutItems.status, ['scheduled', 'waiting'])))
      .returning({ deploymentId: rolloutItems.deploymentId, orgId: rolloutItems.orgId, fromVersion: rolloutItems.fromVersion });
    await emitFleetEvents(
      tx,
      skipped.map((s) => ({ kind: 'upgrade.skipped', orgId: s.orgId, deploymentId: s.deploymentId, generation: 0, rolloutId: r.id, actorId: actor.userId, message: `The scheduled upgrade to Redis ${r.targetVersion} was cancelled. It stays on ${s.fromVersion}.` })),
    );
  });
  return { ok: true };
}

export async function skipRolloutItem(db: Db, actor: StaffActor, input: z.infer<typeof rolloutItemInput>, deps?: Clock) {
  const now = clock(deps);
  return db.transaction(async (tx) => {
    const [item] = await tx.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, input.rolloutId), eq(rolloutItems.deploymentId, input.deploymentId))).for('update');
    if (!item) throw new AppError('NOT_FOUND', 'That deployment is not in this rollout.');
    if (item.status === 'upgrading') throw new AppError('CONFLICT', 'This deployment is being upgraded right now; let it finish.');
    if (!['scheduled', 'waiting', 'failed'].includes(item.status)) throw new AppError('CONFLICT', `This deployment is already ${item.status} in this rollout.`);
    await tx.update(rolloutItems).set({ status: 'skipped', reason: 'skipped by Plinth staff', finishedAt: now }).where(eq(rolloutItems.id, item.id));
    const [r] = await tx.select().from(rollouts).where(eq(rollouts.id, item.rolloutId));
    await audit(tx, { actorId: actor.userId, orgId: item.orgId, action: 'rollout.skip', target: item.deploymentId, after: { rolloutId: item.rolloutId } });
    await emitFleetEvents(tx, [{ kind: 'upgrade.skipped', orgId: item.orgId, deploymentId: item.deploymentId, generation: item.generation ?? 0, rolloutId: item.rolloutId, actorId: actor.userId, message: `The scheduled upgrade to Redis ${r!.targetVersion} was skipped for this deployment.` }]);
    return { ok: true };
  });
}

/**
 * Retries every failed upgrade of the rollout: the deployment is due again at its current generation (its spec
 * already names the target), the item upgrading again. Like the customer's "Retry now", through the reconciler.
 */
export async function retryFailed(db: Db, actor: StaffActor, input: z.infer<typeof rolloutRefInput>) {
  return db.transaction(async (tx) => {
    const failed = await tx.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, input.rolloutId), eq(rolloutItems.status, 'failed'))).orderBy(asc(rolloutItems.deploymentId)).for('update');
    if (!failed.length) return { retried: 0 };
    const ids = failed.map((f) => f.deploymentId);
    await tx.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, [...new Set(failed.map((f) => f.orgId))])).orderBy(organizations.id).for('no key update');
    const ds = await tx.select().from(deployments).where(inArray(deployments.id, ids)).orderBy(deployments.id).for('update');
    const retry = ds.filter((d) => d.phase === 'failed' && !d.deletionRequestedAt);
    if (retry.length) {
      await tx.update(deployments).set({ nextReconcileAt: sql`now()`, attempts: 0, updatedAt: sql`now()` }).where(inArray(deployments.id, retry.map((d) => d.id)));
      await tx.insert(operations).values(retry.map((d) => ({ orgId: d.orgId, deploymentId: d.id, kind: 'retry' as const, requestedBy: actor.userId, generation: d.generation, summary: `Retry the upgrade after: ${d.lastError ?? 'failure'}`.slice(0, 300) })));
      await tx.update(rolloutItems).set({ status: 'upgrading', reason: null, finishedAt: null, generation: sql`(select generation from deployments where id = ${rolloutItems.deploymentId})` }).where(and(eq(rolloutItems.rolloutId, input.rolloutId), inArray(rolloutItems.deploymentId, retry.map((d) => d.id))));
      await audit(tx, { actorId: actor.userId, orgId: null, action: 'rollout.retry', target: input.rolloutId, after: { deployments: retry.length } });
      await notifyReconciler(tx);
    }
    const events: FleetEvent[] = retry.map((d) => ({ kind: 'upgrade.started', orgId: d.orgId, deploymentId: d.id, generation: d.generation, rolloutId: input.rolloutId, actorId: actor.userId, message: `Retrying the upgrade to Redis ${d.spec.version}.` }));
    await emitFleetEvents(tx, events);
    return { retried: retry.length };
  });
}
