/**
 * The snapshot job: one round (a worker holding the `snapshots` lease in job_leases, as for the rollout
 * scheduler) does three things —
 *   1. schedule: every ready or stopped deployment whose plan includes snapshots gets one scheduled snapshot a day,
 *      at its own time of day (from its id, as resync slots are: a fleet's snapshots spread over the day);
 *   2. take: pending scheduled and manual snapshots are taken through the infrastructure engine (the snapshot id
 *      makes the call idempotent) and marked available, kept for the plan's retention; failures are retried with
 *      a backoff, permanent ones recorded;
 *   3. expire: available snapshots past their time are deleted in the engine, then marked deleted.
 * Every write re-checks the lease in the same statement, so a worker that lost it (stalled, partitioned) changes
 * nothing; a worker killed between the engine call and the write leaves the snapshot pending, and the next round
 * asks the engine again, which makes no second copy. Final snapshots are the reconciler's (./final.ts).
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database, Db } from '~/db/client';
import { deployments, jobLeases, organizations, plans, snapshots } from '~/db/schema';
import { rows } from '~/db/sql';
import { claimLease, startLeasedLoop } from '../fleet/leased-loop';
import type { EngineDeployment, Engines } from '../reconciler/engines/types';
import { TerminalError } from '../reconciler/engines/types';
import { NO_SNAPSHOTS } from './final';

export const SNAPSHOT_LEASE = 'snapshots';
const MAX_ATTEMPTS = 5;

export type SnapshotJobOptions = {
  owner: string;
  leaseMs: number;
  batch?: number;
  now?: () => Date;
  /** Whether this round looks for deployments due their daily snapshot (the loop does so once a minute). */
  schedule?: boolean;
};
export type SnapshotRound = { leader: boolean; scheduled: number; taken: number; failed: number; expired: number };

class LeaseLost extends Error {}

/** In a statement's WHERE: this worker still holds the lease (on the database's clock). */
const holding = (owner: string) =>
  sql`exists (select 1 from ${jobLeases} where ${jobLeases.name} = ${SNAPSHOT_LEASE} and ${jobLeases.owner} = ${owner} and ${jobLeases.expiresAt} > now())`;

/** Seconds after midnight UTC at which a deployment's daily snapshot falls: the first 32 bits of its id. */
const dailySlotSql = sql`(('x' || lpad(substr(replace(d.id::text, '-', ''), 1, 8), 16, '0'))::bit(64)::bigint / 4294967296.0 * 86400)`;

/** 1. One scheduled snapshot per eligible deployment and day, at or after its slot. */
async function schedule(db: Db, now: Date, o: SnapshotJobOptions): Promise<number> {
  const at = now.toISOString();
  const result = await rows<{ id: string }>(db, sql`
    with eligible as (
      select d.id, d.org_id, d.spec,
        -- the most recent slot at or before now: today's, or yesterday's if today's is still to come
        date_trunc('day', ${at}::timestamptz at time zone 'UTC') at time zone 'UTC' + make_interval(secs => ${dailySlotSql})
          - case when ${at}::timestamptz < date_trunc('day', ${at}::timestamptz at time zone 'UTC') at time zone 'UTC' + make_interval(secs => ${dailySlotSql})
            then interval '1 day' else interval '0' end as slot
      from ${deployments} d join ${plans} p on p.id = d.plan_id
      where p.snapshot_retention_days > 0 and d.phase in ('ready', 'stopped') and d.deletion_requested_at is null and d.deleted_at is null
    )
    insert into ${snapshots} (org_id, deployment_id, kind, spec, created_at, next_attempt_at)
    select e.org_id, e.id, 'scheduled', e.spec, ${at}::timestamptz, now() from eligible e
    where ${holding(o.owner)}
      and not exists (select 1 from ${snapshots} s where s.deployment_id = e.id and s.kind = 'scheduled' and s.created_at >= e.slot)
    limit ${o.batch ?? 500}
    on conflict do nothing
    returning id`);
  return result.length;
}

/** 2. Takes due pending snapshots (not final ones: the reconciler takes those). */
async function take(db: Db, engines: Engines, now: Date, o: SnapshotJobOptions): Promise<{ taken: number; failed: number }> {
  const due = await db
    .select({
      id: snapshots.id,
      attempts: snapshots.attempts,
      deploymentId: deployments.id,
      orgId: deployments.orgId,
      name: deployments.name,
      generation: deployments.generation,
      spec: deployments.spec,
      tier: plans.tier,
      cloudAccountRef: organizations.cloudAccountRef,
    })
    .from(snapshots)
    .innerJoin(deployments, eq(deployments.id, snapshots.deploymentId))
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .innerJoin(organizations, eq(organizations.id, deployments.orgId))
    .where(and(eq(snapshots.status, 'pending'), inArray(snapshots.kind, ['scheduled', 'manual']), lte(snapshots.nextAttemptAt, sql`now()`)))
    .orderBy(asc(snapshots.nextAttemptAt))
    .limit(o.batch ?? 20);
  let taken = 0;
  let failed = 0;
  for (const s of due) {
    const e: EngineDeployment = { id: s.deploymentId, orgId: s.orgId, name: s.name, generation: s.generation, spec: s.spec, tier: s.tier, cloudAccountRef: s.cloudAccountRef, chartVersion: null };
    let set: Partial<typeof snapshots.$inferInsert>;
    try {
      if (!engines.infra.snapshot) throw new TerminalError(NO_SNAPSHOTS);
      const { sizeBytes } = await engines.infra.snapshot(e, s.id);
      const days = sql`(select p.snapshot_retention_days from ${plans} p join ${deployments} dd on dd.plan_id = p.id where dd.id = ${s.deploymentId}::uuid)`;
      // Kept from the job's clock (injectable, like every schedule here), for the plan's retention.
      set = { status: 'available', sizeBytes, completedAt: sql`now()` as unknown as Date, expiresAt: sql`${now.toISOString()}::timestamptz + make_interval(days => ${days})` as unknown as Date, error: null };
      taken++;
    } catch (err) {
      failed++;
      const message = (err as Error).message.slice(0, 500);
      const permanent = err instanceof TerminalError || !(err instanceof Error) || s.attempts + 1 >= MAX_ATTEMPTS;
      // The engine may have made the copy before it failed: a failed snapshot leaves nothing behind.
      if (permanent) await engines.infra.deleteSnapshot?.(s.id);
      set = permanent
        ? { status: 'failed', error: message, completedAt: sql`now()` as unknown as Date, attempts: s.attempts + 1 }
        : { error: message, attempts: s.attempts + 1, nextAttemptAt: sql`now() + make_interval(secs => ${Math.min(300, 5 * 2 ** s.attempts)})` as unknown as Date };
    }
    const written = await db
      .update(snapshots)
      .set(set)
      .where(and(eq(snapshots.id, s.id), eq(snapshots.status, 'pending'), holding(o.owner)))
      .returning({ id: snapshots.id });
    if (written.length > 0) continue;
    if (!(await stillLeader(db, o.owner))) throw new LeaseLost();
    // No longer pending (a deletion's final snapshot superseded it): nothing may stay behind in the engine.
    if (set.status === 'available') await engines.infra.deleteSnapshot?.(s.id);
  }
  return { taken, failed };
}

/** 3. Deletes snapshots past their time in the engine, then marks them deleted. */
async function expire(db: Db, engines: Engines, now: Date, o: SnapshotJobOptions): Promise<number> {
  const old = await db
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(and(eq(snapshots.status, 'available'), lte(snapshots.expiresAt, now)))
    .orderBy(asc(snapshots.expiresAt))
    .limit(o.batch ?? 100);
  let n = 0;
  for (const s of old) {
    await engines.infra.deleteSnapshot?.(s.id);
    const written = await db
      .update(snapshots)
      .set({ status: 'deleted', deletedAt: sql`now()` })
      .where(and(eq(snapshots.id, s.id), eq(snapshots.status, 'available'), holding(o.owner)))
      .returning({ id: snapshots.id });
    if (written.length === 0 && !(await stillLeader(db, o.owner))) throw new LeaseLost();
    n += written.length;
  }
  return n;
}

async function stillLeader(db: Db, owner: string): Promise<boolean> {
  const r = await db.select({ owner: jobLeases.owner }).from(jobLeases).where(and(eq(jobLeases.name, SNAPSHOT_LEASE), eq(jobLeases.owner, owner), sql`${jobLeases.expiresAt} > now()`));
  return r.length > 0;
}

/** One round: schedule, take, expire. A worker without the lease does nothing. */
export async function runSnapshotRound(db: Db, engines: Engines, o: SnapshotJobOptions): Promise<SnapshotRound> {
  const result: SnapshotRound = { leader: false, scheduled: 0, taken: 0, failed: 0, expired: 0 };
  if (!(await claimLease(db, SNAPSHOT_LEASE, o.owner, o.leaseMs))) return result;
  result.leader = true;
  const now = o.now?.() ?? new Date();
  try {
    if (o.schedule !== false) result.scheduled = await schedule(db, now, o);
    Object.assign(result, await take(db, engines, now, o));
    result.expired = await expire(db, engines, now, o);
  } catch (e) {
    if (!(e instanceof LeaseLost)) throw e;
    result.leader = false;
  }
  return result;
}

/** The loop every worker runs (server/reconciler/lifecycle.ts). */
export function startSnapshotJob(database: Database, engines: Engines, o: SnapshotJobOptions & { intervalMs: number }): () => Promise<void> {
  let scheduledAt = 0;
  return startLeasedLoop(database, {
    lease: SNAPSHOT_LEASE,
    owner: o.owner,
    intervalMs: o.intervalMs,
    what: 'snapshot',
    round: ({ at }) => {
      // Looking for due daily snapshots reads every live deployment: once a minute is plenty for a daily job.
      const scheduling = at - scheduledAt >= 60_000;
      if (scheduling) scheduledAt = at;
      return runSnapshotRound(database.db, engines, { ...o, schedule: scheduling });
    },
  });
}
