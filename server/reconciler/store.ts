/**
 * The reconciler's SQL: claiming due deployments under a lease, and writes fenced by that lease — a worker whose
 * lease expired (and was taken over) changes nothing, it gets LeaseLost and walks away.
 */
import { and, eq, getTableColumns, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments, plans, workerHeartbeats, type Deployment } from '~/db/schema';
import { insertEventsSql } from '../events';

export const RECONCILE_CHANNEL = 'plinth_reconcile';

export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

/** A claimed deployment with everything the engines need (they never query tables themselves). */
export type Claimed = Deployment & {
  tier: 'shared' | 'dedicated' | 'byoc';
  hourlyRateCentiCents: number;
  driftPolicy: 'heal' | 'notify' | null;
  cloudAccountRef: string | null;
  chartVersion: string | null;
};

/**
 * Claims up to `limit` due deployments that no live lease holds. SKIP LOCKED lets workers claim side by side.
 * The pass is counted here, at claim time (as graphile-worker does): `attempts` for the backoff and
 * `unfinished_passes` until an outcome is recorded. The claim also schedules the next look with that backoff on
 * the database's clock, so a pass that kills its worker every time is retried later and later, not at once.
 */
export async function claim(db: Db, owner: string, limit: number, leaseMs: number, backoffBaseMs = 1000): Promise<Claimed[]> {
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
  return db
    .update(deployments)
    .set({
      leaseOwner: owner,
      leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
      attempts: sql`${deployments.attempts} + 1`,
      unfinishedPasses: sql`${deployments.unfinishedPasses} + 1`,
      nextReconcileAt: sql`now() + ${backoffSql(sql`${deployments.attempts} + 1`, backoffBaseMs)}`,
    })
    .from(plans)
    .where(and(inArray(deployments.id, due), eq(plans.id, deployments.planId)))
    .returning({
      ...getTableColumns(deployments),
      tier: plans.tier,
      hourlyRateCentiCents: plans.hourlyRateCentiCents,
      driftPolicy: plans.driftPolicy,
      // Subqueries, not joins: Postgres does not let a FROM join refer to the UPDATE's target table.
      cloudAccountRef: sql<string | null>`(select o.cloud_account_ref from organizations o where o.id = ${deployments.orgId})`,
      chartVersion: sql<string | null>`(select pv.chart_version from product_versions pv
        where pv.product_id = ${plans.productId} and pv.version = ${deployments.spec}->>'version')`,
    });
}

/**
 * Exponential backoff with jitter between 50% and 100% (base, 2×base, 4×base … capped at 5 minutes), as an
 * interval computed by the database, like every other schedule.
 */
export function backoffSql(attempts: SQL, baseMs: number): SQL {
  return sql`make_interval(secs => least(300, ${baseMs / 1000}::float8 * power(2, greatest(0, (${attempts}) - 1))) * (0.5 + random() * 0.5))`;
}

/** Extends the leases this worker holds; returns the ids it extended (a missing one was taken over). */
export async function heartbeat(db: Db, owner: string, ids: string[], leaseMs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .update(deployments)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(deployments.leaseOwner, owner), inArray(deployments.id, ids)))
    .returning({ id: deployments.id });
  return new Set(rows.map((r) => r.id));
}

/** This worker is alive (idle or not): upsert its heartbeat row. `stopped` marks a clean stop. */
export async function recordWorkerBeat(db: Db, workerId: string, o: { beatEveryMs: number; passes: number; stopped?: boolean }) {
  await db
    .insert(workerHeartbeats)
    .values({ workerId, beatEveryMs: o.beatEveryMs, passes: o.passes, stoppedAt: o.stopped ? sql`now()` : null })
    .onConflictDoUpdate({
      target: workerHeartbeats.workerId,
      set: { lastSeenAt: sql`now()`, beatEveryMs: o.beatEveryMs, passes: o.passes, stoppedAt: o.stopped ? sql`now()` : null },
    });
}

export type Patch = Partial<Omit<typeof deployments.$inferInsert, 'id' | 'orgId'>>;
export type Event = { step: string; message: string; level?: 'info' | 'warning' | 'error'; durationMs?: number };
/** Whether the deployment is billable from now on, and at what rates (see billing_segments). */
export type Segment =
  | { billable: false }
  /** `compute: false` while stopped: storage is still billed, deployment hours are not. */
  | { billable: true; planSlug: string; hourlyRateCentiCents: number; storageGb: number; compute?: boolean };
/**
 * When to look again, always on the database's clock. Every release is relative to the generation (and deletion
 * request) the pass started with: a change that arrived during the pass keeps the deployment due now and resets
 * its attempts, whatever this pass concluded.
 */
export type Schedule =
  /** Converged: not due again, or (a live deployment) due at its next resync slot (resync.ts). */
  | { converged: true; resyncAt?: SQL }
  | { afterMs: number }
  /** A failure: `attempts` is the pass's count; retry after the backoff, or never (permanent, until Retry). */
  | { failed: true; attempts: number; retryAfterMs: number | null; failPhase: boolean }
  /** Cut short by shutdown: due again at once, and this claim does not count. */
  | { interrupted: true };

/** The part of a claimed deployment a write is fenced and compared against. */
export type Started = Pick<Deployment, 'id' | 'orgId' | 'generation' | 'deletionRequestedAt' | 'requeues'>;

/**
 * One round trip for everything a reconcile step changes: the deployment (fenced by the lease), its events and
 * its operations, as data-modifying CTEs that only act if the fenced update matched. A worker whose lease was
 * taken over changes nothing at all and gets LeaseLost.
 */
export async function write(
  db: Db,
  d: Started,
  owner: string,
  w: { patch?: Patch; events?: Event[]; operations?: 'running' | { ok: true } | { ok: false; error: string }; release?: Schedule; segment?: Segment },
): Promise<void> {
  const set: Record<string, unknown> = { ...w.patch, updatedAt: sql`now()` };
  if (w.release) {
    const r = w.release;
    // Unchanged since the pass started: this pass's conclusion holds. Otherwise: due now, a clean slate.
    // A Retry now that arrived during the pass (requeues bumped) also wins over the pass's conclusion.
    const same = sql`(${deployments.generation} = ${d.generation}::int and (${deployments.deletionRequestedAt} is null) = ${d.deletionRequestedAt === null}::boolean
      and ${deployments.requeues} = ${d.requeues}::int)`;
    set.leaseOwner = null;
    set.leaseExpiresAt = null;
    set.unfinishedPasses = 0; // an outcome is recorded
    if ('interrupted' in r) {
      set.nextReconcileAt = sql`now()`;
      set.attempts = sql`greatest(0, ${deployments.attempts} - 1)`;
    } else if ('converged' in r) {
      set.nextReconcileAt = sql`case when ${same} then ${r.resyncAt ?? sql`null`} else now() end`;
      set.attempts = 0;
    } else if ('afterMs' in r) {
      set.nextReconcileAt = sql`case when ${same} then now() + make_interval(secs => ${r.afterMs / 1000}) else now() end`;
      set.attempts = 0;
    } else {
      set.nextReconcileAt =
        r.retryAfterMs === null
          ? sql`case when ${same} then null else now() end`
          : sql`case when ${same} then now() + make_interval(secs => ${r.retryAfterMs / 1000}) else now() end`;
      set.attempts = sql`case when ${same} then ${r.attempts}::int else 0 end`;
      if (r.failPhase) set.phase = sql`case when ${same} then 'failed'::deployment_phase else ${deployments.phase} end`;
    }
  }
  const update = db
    .update(deployments)
    .set(set as Patch)
    .where(and(eq(deployments.id, d.id), eq(deployments.leaseOwner, owner)))
    .returning({ id: deployments.id, phase: deployments.phase, name: deployments.name, lastError: deployments.lastError });
  // `prev` reads the row as it was before this statement (every part of it sees the same snapshot): a phase
  // event is recorded only on a transition, so re-running a step, or failing again, emits nothing new.
  const parts = [sql`with d as (${update.getSQL()}), prev as (select phase from deployments where id = ${d.id}::uuid)`];
  parts.push(sql`, pe as (${insertEventsSql(sql`select ${d.orgId}::uuid, 'deployment.' || d.phase, d.id,
    jsonb_build_object('deploymentId', d.id, 'name', d.name, 'phase', d.phase, 'generation', ${d.generation}::int,
      'error', case when d.phase = 'failed' then d.last_error end)
    from d, prev where d.phase in ('ready', 'failed', 'deleted') and d.phase is distinct from prev.phase`)})`);
  const events = w.events ?? [];
  if (events.length > 0) {
    const values = sql.join(
      events.map((e) => sql`(${e.step}, ${e.level ?? 'info'}, ${e.message}, ${e.durationMs ?? null}::int)`),
      sql`, `,
    );
    parts.push(sql`, ev as (insert into deployment_events (deployment_id, org_id, generation, step, level, message, duration_ms)
      select d.id, ${d.orgId}::uuid, ${d.generation}::int, v.step, v.level::event_level, v.message, v.duration_ms
      from d cross join (values ${values}) as v(step, level, message, duration_ms))`);
    // Day-2 findings customers subscribe to (reconciler/day2-events.ts) also go to the events outbox, in the same
    // fenced statement: a worker that lost its lease announces nothing.
    const told = events.filter((e) => e.step === 'drifted' || e.step === 'degraded');
    if (told.length > 0) {
      const found = sql.join(told.map((e) => sql`(${`deployment.${e.step}`}, ${e.message})`), sql`, `);
      parts.push(sql`, de as (${insertEventsSql(sql`select ${d.orgId}::uuid, v.type, d.id, jsonb_build_object('deploymentId', d.id, 'name', d.name, 'message', v.message)
        from d cross join (values ${found}) as v(type, message)`)})`);
    }
  }
  const ops = w.operations;
  if (ops === 'running') {
    parts.push(sql`, op as (update operations set status = 'running' where deployment_id in (select id from d) and status = 'pending')`);
  } else if (ops && ops.ok) {
    // A resize overtaken by a later one before it was applied was superseded; creation itself still happened.
    parts.push(sql`, op as (update operations set finished_at = now(), status = case when generation >= ${d.generation}::int or kind in ('create', 'retry')
      then 'succeeded' else 'superseded' end::operation_status
      where deployment_id in (select id from d) and status in ('pending', 'running') and generation <= ${d.generation}::int)`);
  } else if (ops) {
    parts.push(sql`, op as (update operations set status = 'failed', error = ${ops.error}, finished_at = now()
      where deployment_id in (select id from d) and status in ('pending', 'running') and generation <= ${d.generation}::int)`);
  }
  if (w.segment) {
    // A new segment only when the billable state changes, so re-running a step adds nothing.
    const g = w.segment.billable ? { compute: true, ...w.segment } : { planSlug: null, hourlyRateCentiCents: 0, storageGb: 0, compute: true };
    parts.push(sql`, seg as (insert into billing_segments (deployment_id, org_id, at, billable, plan_slug, hourly_rate_centi_cents, storage_gb, compute)
      select d.id, ${d.orgId}::uuid, now(), ${w.segment.billable}::boolean, ${g.planSlug}::text, ${g.hourlyRateCentiCents}::int, ${g.storageGb}::int, ${g.compute}::boolean from d
      where (select row(s.billable, s.plan_slug, s.hourly_rate_centi_cents, s.storage_gb, s.compute) from billing_segments s
             where s.deployment_id = ${d.id}::uuid order by s.at desc, s.id desc limit 1)
        is distinct from row(${w.segment.billable}::boolean, ${g.planSlug}::text, ${g.hourlyRateCentiCents}::int, ${g.storageGb}::int, ${g.compute}::boolean)
        and (${w.segment.billable}::boolean or exists (select 1 from billing_segments s where s.deployment_id = ${d.id}::uuid)))`);
  }
  parts.push(sql` select count(*)::int as n from d`);
  const result = (await db.execute(sql.join(parts, sql``))) as unknown as Array<{ n: number }> | { rows: Array<{ n: number }> };
  const rows = Array.isArray(result) ? result : result.rows;
  if (!rows[0] || rows[0].n === 0) throw new LeaseLost(`lease on deployment ${d.id} was lost`);
}
