/**
 * The rollout scheduler. Every worker runs it; one at a time holds the `rollout-scheduler` lease (job_leases), so
 * rounds never overlap, and another worker takes over when the holder dies (the lease runs out). Each round, for
 * every running rollout:
 *   1. observe: an upgrading item is done when its deployment is ready at (or past) the generation the rollout
 *      wrote, failed when the reconciler gave up on it (phase failed, no retry planned);
 *   2. judge: a failed canary, or a wave over its failure budget, pauses the rollout and says why;
 *   3. start: items of the current wave whose window is open (or whose deadline has come), up to the wave's
 *      concurrency, through startItems (server/fleet/upgrade.ts): ordinary desired-state writes.
 * Every write is a transaction that re-checks item status and generation under lock, so a round cut short by a
 * crash, or one by a stalled scheduler that lost its lease, neither upgrades a deployment twice nor skips one.
 * `now` is injectable: tests drive windows and deadlines with it.
 */
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Db } from '~/db/client';
import { deployments, organizations, rolloutItems, rollouts, rolloutWaves, type Rollout, type RolloutWave } from '~/db/schema';
import { nextOccurrence } from '~/lib/windows';
import { logger } from '../observability/logger';
import { audit } from '../services/audit';
import { emitFleetEvents, type FleetEvent } from './notify';
import { startItems, type Candidate } from './upgrade';
import { claimLease, startLeasedLoop } from './leased-loop';

export const SCHEDULER_LEASE = 'rollout-scheduler';
const BATCH = 500;
const ACTIVE_ITEM = ['scheduled', 'waiting', 'upgrading'] as const;

export type RoundOptions = { now: Date; owner: string; leaseMs: number };
export type RoundResult = { leader: boolean; started: number; done: number; failed: number; paused: string[] };

export { claimLease, releaseLease } from './leased-loop';

/** One round over every running (or cancelling) rollout. */
export async function runSchedulerRound(db: Db, o: RoundOptions): Promise<RoundResult> {
  const result: RoundResult = { leader: false, started: 0, done: 0, failed: 0, paused: [] };
  if (!(await claimLease(db, SCHEDULER_LEASE, o.owner, o.leaseMs))) return result;
  result.leader = true;
  // Paused rollouts are still observed: upgrades in flight when it paused finish, and the console says how.
  const active = await db.select().from(rollouts).where(inArray(rollouts.status, ['running', 'paused', 'cancelling'])).orderBy(asc(rollouts.createdAt));
  for (const r of active) {
    const observed = await observe(db, r, o.now);
    result.done += observed.done;
    result.failed += observed.failed;
    if (r.status === 'paused') continue;
    const waves = await db.select().from(rolloutWaves).where(eq(rolloutWaves.rolloutId, r.id)).orderBy(asc(rolloutWaves.index));
    const counts = await waveCounts(db, r.id);
    // Judged before finishing: a last wave that failed pauses the rollout rather than completing it.
    const pause = r.status === 'running' ? overBudget(waves, counts) : null;
    if (pause) {
      await pauseRollout(db, r.id, pause, o.now);
      result.paused.push(r.id);
      continue;
    }
    if (await finishIfDone(db, r, counts, o.now)) continue;
    if (r.status !== 'running') continue;
    result.started += await startDue(db, r, waves, counts, o);
  }
  return result;
}

type Counts = Map<number, Record<string, number>>;
async function waveCounts(db: Db, rolloutId: string): Promise<Counts> {
  const rows = await db
    .select({ wave: rolloutItems.wave, status: rolloutItems.status, n: count() })
    .from(rolloutItems)
    .where(eq(rolloutItems.rolloutId, rolloutId))
    .groupBy(rolloutItems.wave, rolloutItems.status);
  const out: Counts = new Map();
  for (const r of rows) {
    const w = out.get(r.wave) ?? {};
    w[r.status] = r.n;
    out.set(r.wave, w);
  }
  return out;
}

const activeIn = (c: Record<string, number> = {}) => ACTIVE_ITEM.reduce((n, s) => n + (c[s] ?? 0), 0);

/** Upgrading items that have finished, one way or the other. */
async function observe(db: Db, r: Rollout, now: Date) {
  return db.transaction(async (tx) => {
    const finished = await tx
      .update(rolloutItems)
      .set({
        status: sql`case when ${deployments.deletionRequestedAt} is not null then 'skipped' when ${deployments.phase} = 'failed' then 'failed' else 'done' end::rollout_item_status`,
        reason: sql`case when ${deployments.deletionRequestedAt} is not null then 'deleted during its upgrade' when ${deployments.phase} = 'failed' then ${deployments.lastError} else null end`,
        finishedAt: now,
      })
      .from(deployments)
      .where(
        and(
          eq(rolloutItems.rolloutId, r.id),
          eq(rolloutItems.status, 'upgrading'),
          eq(deployments.id, rolloutItems.deploymentId),
          sql`(${deployments.deletionRequestedAt} is not null
            or (${deployments.phase} = 'ready' and ${deployments.observedGeneration} >= ${rolloutItems.generation})
            or (${deployments.phase} = 'failed' and ${deployments.nextReconcileAt} is null))`,
        ),
      )
      .returning({ deploymentId: rolloutItems.deploymentId, orgId: rolloutItems.orgId, status: rolloutItems.status, reason: rolloutItems.reason, generation: deployments.generation, from: rolloutItems.fromVersion });
    const events: FleetEvent[] = finished.map((f) => ({
      kind: f.status === 'done' ? 'upgrade.completed' : f.status === 'failed' ? 'upgrade.failed' : 'upgrade.skipped',
      orgId: f.orgId,
      deploymentId: f.deploymentId,
      generation: f.generation,
      rolloutId: r.id,
      message:
        f.status === 'done'
          ? `Upgraded to Redis ${r.targetVersion}.`
          : f.status === 'failed'
            ? `Upgrade to Redis ${r.targetVersion} failed: ${f.reason ?? 'unknown error'}. It still runs ${f.from}; Plinth staff have been told.`
            : `Upgrade to Redis ${r.targetVersion} stopped: ${f.reason}.`,
    }));
    await emitFleetEvents(tx, events);
    return { done: finished.filter((f) => f.status === 'done').length, failed: finished.filter((f) => f.status === 'failed').length };
  });
}

/** Why the rollout must stop, or null: a failed canary, or a wave with more failures than its budget allows. */
export function overBudget(waves: RolloutWave[], counts: Counts): string | null {
  for (const w of waves) {
    const failed = counts.get(w.index)?.failed ?? 0;
    if (!failed || w.size === 0) continue;
    const pct = (failed / w.size) * 100;
    if (w.index === 0) return `The canary failed: ${failed} of ${w.size} upgrade${w.size === 1 ? '' : 's'} did not succeed. Fix the cause, then resume (failed upgrades are retried).`;
    if (pct > w.failureBudgetPct) {
      return `${w.name}: ${failed} of ${w.size} upgrades failed (${pct.toFixed(1)}%), over its failure budget of ${w.failureBudgetPct}%. Fix the cause, then resume (failed upgrades are retried).`;
    }
  }
  return null;
}

export async function pauseRollout(db: Db, rolloutId: string, reason: string, _now: Date) {
  await db.transaction(async (tx) => {
    const [r] = await tx.update(rollouts).set({ status: 'paused', pausedReason: reason }).where(and(eq(rollouts.id, rolloutId), eq(rollouts.status, 'running'))).returning();
    if (!r) return;
    // Staff read this in the tenant-less audit log; the affected tenants see their own items' events.
    await audit(tx, { actorId: null, orgId: null, action: 'rollout.pause', target: rolloutId, reason });
  });
  logger.warn({ rolloutId, reason }, 'rollout paused');
}

async function finishIfDone(db: Db, r: Rollout, counts: Counts, now: Date): Promise<boolean> {
  let active = 0;
  for (const c of counts.values()) active += activeIn(c);
  if (active > 0) return false;
  await db.transaction(async (tx) => {
    await tx
      .update(rollouts)
      .set({ status: r.status === 'cancelling' ? 'cancelled' : 'completed', finishedAt: now })
      .where(and(eq(rollouts.id, r.id), inArray(rollouts.status, ['running', 'cancelling'])));
    await tx.update(rolloutWaves).set({ finishedAt: now }).where(and(eq(rolloutWaves.rolloutId, r.id), sql`${rolloutWaves.finishedAt} is null`));
  });
  return true;
}

/** Starts what is due in the current wave (the first with unfinished items), and every "upgrade now". */
async function startDue(db: Db, r: Rollout, waves: RolloutWave[], counts: Counts, o: RoundOptions): Promise<number> {
  const current = waves.find((w) => activeIn(counts.get(w.index)) > 0);
  if (!current) return 0;
  // Waves before the current one are finished.
  await db
    .update(rolloutWaves)
    .set({ finishedAt: o.now })
    .where(and(eq(rolloutWaves.rolloutId, r.id), sql`${rolloutWaves.index} < ${current.index}`, sql`${rolloutWaves.finishedAt} is null`));
  if (!current.startedAt) await db.update(rolloutWaves).set({ startedAt: o.now }).where(and(eq(rolloutWaves.rolloutId, r.id), eq(rolloutWaves.index, current.index)));
  const capacity = current.maxConcurrency - (counts.get(current.index)?.upgrading ?? 0);
  if (capacity <= 0) return 0;

  const pending = await db
    .select({
      itemId: rolloutItems.id,
      deploymentId: rolloutItems.deploymentId,
      status: rolloutItems.status,
      notBefore: rolloutItems.notBefore,
      generation: deployments.generation,
      window: sql<import('~/db/schema').MaintenanceWindow | null>`coalesce(${deployments.maintenanceWindow}, ${organizations.maintenanceWindow})`,
    })
    .from(rolloutItems)
    .innerJoin(deployments, eq(deployments.id, rolloutItems.deploymentId))
    .innerJoin(organizations, eq(organizations.id, deployments.orgId))
    .where(and(eq(rolloutItems.rolloutId, r.id), eq(rolloutItems.wave, current.index), inArray(rolloutItems.status, ['scheduled', 'waiting'])))
    .orderBy(asc(rolloutItems.id));
  const pastDeadline = r.deadline !== null && o.now >= r.deadline;
  const due: Candidate[] = [];
  const waiting: number[] = [];
  for (const p of pending) {
    const noticeOver = o.now >= r.startsAt && (!p.notBefore || o.now >= p.notBefore);
    const open = pastDeadline || (noticeOver && nextOccurrence(p.window, o.now).start <= o.now);
    if (open) {
      if (due.length < capacity) due.push(p);
    } else if (p.status === 'scheduled') waiting.push(p.itemId);
  }
  // Its turn has come but not its window: the console says "waiting for window".
  for (let i = 0; i < waiting.length; i += 5000) {
    await db.update(rolloutItems).set({ status: 'waiting' }).where(and(inArray(rolloutItems.id, waiting.slice(i, i + 5000)), eq(rolloutItems.status, 'scheduled')));
  }
  let started = 0;
  for (let i = 0; i < due.length; i += BATCH) {
    const res = await db.transaction((tx) =>
      startItems(tx, r, due.slice(i, i + BATCH), { now: o.now, actorId: r.createdBy, why: `rollout to ${r.targetVersion}`, fence: { name: SCHEDULER_LEASE, owner: o.owner } }),
    );
    started += res.started.length;
  }
  return started;
}

/** The loop every worker runs (server/reconciler/lifecycle.ts); `now` is injectable for tests. */
export function startRolloutScheduler(
  database: Database,
  o: { owner: string; intervalMs: number; leaseMs: number; now?: () => Date },
): () => Promise<void> {
  return startLeasedLoop(database, {
    lease: SCHEDULER_LEASE,
    owner: o.owner,
    intervalMs: o.intervalMs,
    what: 'rollout scheduler',
    round: () => runSchedulerRound(database.db, { now: (o.now ?? (() => new Date()))(), owner: o.owner, leaseMs: o.leaseMs }),
  });
}
