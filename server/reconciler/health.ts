/**
 * The reconciler as an operator sees it, straight from Postgres (the only shared state workers have): what is
 * due, what is oldest, who holds which lease, what failed and why, and how much converged in the last hour.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import type { Condition } from '~/db/schema';
import { rows, toDate, toDateOrNull, toInt, toJson } from '~/db/sql';

type Item = { id: string; name: string; org_id: string; org_name: string; phase: string; at: unknown; attempts: unknown; last_error: string | null; lease_owner: string | null; lease_expires_at: unknown };

const item = (r: Item) => ({
  id: r.id,
  name: r.name,
  orgId: r.org_id,
  orgName: r.org_name,
  phase: r.phase,
  at: toDateOrNull(r.at),
  attempts: toInt(r.attempts),
  lastError: r.last_error,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: toDateOrNull(r.lease_expires_at),
});

const columns = sql`d.id, d.name, d.org_id, o.name as org_name, d.phase, d.attempts, d.last_error, d.lease_owner, d.lease_expires_at`;

export async function reconcilerHealth(db: Db) {
  // Each count through an index rather than one scan of every live row (20 ms at 50k deployments, most of the
  // page's cost): the phase breakdown through deployments_live_phase_idx (index-only), the queue counts through
  // the partial indexes on next_reconcile_at and on leases. A lease always has an owner (claim sets both).
  const [counted] = await rows<{ by_phase: unknown; due: unknown; scheduled: unknown; leased: unknown; expired: unknown; now: unknown }>(
    db,
    sql`select
        (select coalesce(json_object_agg(phase, n order by phase), '{}') from (select phase, count(*) as n from deployments where deleted_at is null group by phase) p) as by_phase,
        (select count(*) from deployments where next_reconcile_at <= now() and (lease_expires_at is null or lease_expires_at < now()) and deleted_at is null) as due,
        (select count(*) from deployments where next_reconcile_at > now() and deleted_at is null) as scheduled,
        (select count(*) from deployments where lease_owner is not null and deleted_at is null and lease_expires_at >= now()) as leased,
        (select count(*) from deployments where lease_owner is not null and deleted_at is null and lease_expires_at < now()) as expired,
        now() as now`,
  );
  const phases = Object.fromEntries(Object.entries(toJson<Record<string, unknown>>(counted?.by_phase ?? {})).map(([phase, n]) => [phase, toInt(n)]));
  const counts = {
    due: toInt(counted?.due),
    scheduled: toInt(counted?.scheduled),
    leased: toInt(counted?.leased),
    expired: toInt(counted?.expired),
    live: Object.values(phases).reduce((a, b) => a + b, 0),
  };
  const [oldest, leases, failed, throughput, attention] = await Promise.all([
    // Uses deployments_due_idx: the partial index on next_reconcile_at.
    rows<Item>(db, sql`select ${columns}, d.next_reconcile_at as at from deployments d join organizations o on o.id = d.org_id
      where d.next_reconcile_at <= now() and (d.lease_expires_at is null or d.lease_expires_at < now())
      order by d.next_reconcile_at limit 5`),
    rows<Item>(db, sql`select ${columns}, d.lease_expires_at as at from deployments d join organizations o on o.id = d.org_id
      where d.lease_owner is not null and d.deleted_at is null order by d.lease_owner, d.lease_expires_at limit 200`),
    rows<Item>(db, sql`select ${columns}, d.updated_at as at from deployments d join organizations o on o.id = d.org_id
      where d.phase = 'failed' and d.deleted_at is null order by d.updated_at desc limit 100`),
    // One bucket per minute of the last hour, zeros included. deployment_events has no index on time, but every
    // event is written in the statement that bumps its deployment's updated_at (reconciler/store.ts), so only
    // deployments touched in the last hour need their events read, through the per-deployment index.
    rows<{ minute: unknown; ready: unknown; deleted: unknown; errors: unknown }>(db, sql`with ev as (
        select date_trunc('minute', e.at) as minute,
          count(*) filter (where e.step = 'ready') as ready,
          count(*) filter (where e.step = 'deleted') as deleted,
          count(*) filter (where e.level = 'error') as errors
        from deployment_events e
        where e.deployment_id in (select id from deployments where updated_at >= now() - interval '61 minutes')
          and e.at >= date_trunc('minute', now()) - interval '59 minutes'
        group by 1)
      select m.minute, coalesce(ev.ready, 0) as ready, coalesce(ev.deleted, 0) as deleted, coalesce(ev.errors, 0) as errors
      from generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()), interval '1 minute') as m(minute)
      left join ev on ev.minute = m.minute order by m.minute`),
    // Degraded and drifted deployments (day-2, resync.ts), through the partial index deployments_attention_idx.
    rows<Item & { conditions: unknown }>(db, sql`select ${columns}, d.updated_at as at, d.conditions from deployments d join organizations o on o.id = d.org_id
      where d.deleted_at is null and (d.conditions @> '[{"type":"Degraded","status":true}]' or d.conditions @> '[{"type":"Drifted","status":true}]')
      order by d.updated_at desc limit 100`),
  ]);

  // Every worker seen in the last day, busy or idle; silent for three beats without a clean stop reads as dead.
  const beats = await rows<{ worker_id: string; started_at: unknown; last_seen_at: unknown; beat_every_ms: unknown; passes: unknown; stopped_at: unknown; silent: unknown }>(
    db,
    sql`select worker_id, started_at, last_seen_at, beat_every_ms, passes, stopped_at,
        (stopped_at is null and last_seen_at < now() - make_interval(secs => beat_every_ms * 3 / 1000.0)) as silent
      from worker_heartbeats where last_seen_at >= now() - interval '1 day' order by last_seen_at desc limit 100`,
  );
  const byWorker = new Map<string, ReturnType<typeof item>[]>();
  for (const l of leases.map(item)) byWorker.set(l.leaseOwner!, [...(byWorker.get(l.leaseOwner!) ?? []), l]);
  const now = toDate(counted?.now);
  const minutes = throughput.map((t) => ({ minute: toDate(t.minute), ready: toInt(t.ready), deleted: toInt(t.deleted), errors: toInt(t.errors) }));
  const { engineSummary } = await import('./index');
  return {
    now,
    queue: { due: counts.due, scheduled: counts.scheduled, leased: counts.leased, expiredLeases: counts.expired, live: counts.live },
    oldestDue: oldest.map(item),
    workers: [...new Set([...beats.map((b) => b.worker_id), ...byWorker.keys()])].map((owner) => {
      const held = byWorker.get(owner) ?? [];
      const beat = beats.find((b) => b.worker_id === owner);
      const status: 'busy' | 'idle' | 'stopped' | 'dead' = beat?.stopped_at
        ? 'stopped'
        : beat && !beat.silent
          ? held.length
            ? 'busy'
            : 'idle'
          : held.some((h) => h.leaseExpiresAt && h.leaseExpiresAt >= now)
            ? 'busy'
            : 'dead';
      return {
        owner,
        leases: held,
        live: status === 'busy' || status === 'idle',
        status,
        lastSeenAt: beat ? toDate(beat.last_seen_at) : null,
        startedAt: beat ? toDate(beat.started_at) : null,
        passes: beat ? toInt(beat.passes) : null,
      };
    }),
    failed: failed.map(item),
    attention: attention.map((r) => {
      const list = (typeof r.conditions === 'string' ? JSON.parse(r.conditions) : r.conditions) as Condition[];
      const degraded = list.find((c) => c.type === 'Degraded' && c.status);
      const drifted = list.find((c) => c.type === 'Drifted' && c.status);
      return {
        ...item(r),
        degraded: degraded ? { since: degraded.since ?? degraded.at, message: degraded.message ?? '', recoveries: degraded.recoveries ?? 0 } : null,
        drifted: drifted ? { message: drifted.message ?? '' } : null,
      };
    }),
    throughput: {
      minutes,
      readyLastHour: minutes.reduce((s, m) => s + m.ready, 0),
      deletedLastHour: minutes.reduce((s, m) => s + m.deleted, 0),
      errorsLastHour: minutes.reduce((s, m) => s + m.errors, 0),
    },
    phases, // in the phase enum's order (the aggregate's ORDER BY)
    engines: engineSummary(),
  };
}

export type ReconcilerHealth = Awaited<ReturnType<typeof reconcilerHealth>>;
