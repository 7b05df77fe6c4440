/**
 * Continuous resync: a live, converged deployment is looked at again every `resyncMs` — drift from the
 * infrastructure engine, sync and health from the delivery engine — and healed, notified or recovered.
 *
 * Each deployment has its own slot in the interval (a hash of its id), so 10,000 deployments converged in the
 * same minute still arrive one every 60 ms, and keep doing so. A resync that finds nothing writes one row: the
 * release of the lease (which also sets the next slot); no event, no condition, no segment.
 */
import { sql, type SQL } from 'drizzle-orm';
import { jsonEqual } from '~/lib/equal';
import { handleDrift } from './drift';
import type { EngineDeployment } from './engines/types';
import { checkHealth } from './health-check';
import type { Pass, ReconcileContext, Result } from './reconcile';
import { storageGb } from './reconcile';
import type { Claimed } from './store';

/** The deployment's offset in the interval, in [0, 1): the first 32 bits of its (random) uuid. */
export const slotOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 8), 16) / 2 ** 32;

/**
 * The next time at the deployment's slot at least half an interval from now (on the database's clock): after a
 * resync at its slot that is exactly one interval later; after a change, within 0.5–1.5 intervals.
 */
export function resyncAtSql(id: string, intervalMs: number): SQL {
  const i = intervalMs / 1000;
  const offset = slotOf(id) * i;
  return sql`to_timestamp(${offset}::float8 + ${i}::float8 * ceil((extract(epoch from now()) + ${i / 2}::float8 - ${offset}::float8) / ${i}::float8))`;
}

/** A live deployment whose current generation was applied: a pass on it is a resync, not a create or update. */
export const isResync = (d: Claimed) =>
  !d.deletionRequestedAt && d.observedGeneration === d.generation && d.outputs !== null && (d.phase === 'ready' || d.phase === 'stopped' || d.phase === 'failed');

export async function resync(ctx: ReconcileContext, d: Claimed, e: EngineDeployment, pass: Pass): Promise<Result> {
  const { engines } = ctx;
  // Asked together: the engines may answer from one read (the sandbox does), and a real one in parallel.
  const probing = ctx.day2 && engines.delivery.probe && d.outputs && d.spec.state !== 'stopped';
  const [report, status, probe] = await Promise.all([
    engines.infra.plan(e, pass.signal),
    engines.delivery.status(e, pass.signal),
    probing ? engines.delivery.probe!(e, d.outputs!, pass.signal) : Promise.resolve(null),
  ]);
  const drift = await handleDrift(ctx, d, e, report, d.conditions, pass);
  const health = ctx.day2 ? await checkHealth(ctx, d, e, status, probe, drift.conditions, pass) : { conditions: drift.conditions, events: [], lookAgainMs: null };
  const phase: 'stopped' | 'ready' = d.spec.state === 'stopped' ? 'stopped' : 'ready';
  const events = [...drift.events, ...health.events];
  const changed = events.length > 0 || d.phase !== phase || Object.keys(drift.patch).length > 0 || !jsonEqual(health.conditions, d.conditions);
  const write = changed
    ? {
        patch: { ...drift.patch, phase, conditions: health.conditions, lastError: null },
        events,
        // Back from failed (a heal that had failed): billable again, as it was when it was last ready.
        ...(d.phase === 'failed' ? { segment: segmentFor(d) } : {}),
      }
    : undefined;
  if (health.lookAgainMs !== null) return { result: 'requeue', afterMs: health.lookAgainMs, write };
  // A staff force-reconcile or a simulated change made this pass due: its operation is answered here. With none
  // open, the clause updates nothing (the no-op resync still writes only the deployment row).
  return { result: 'converged', write: { ...write, operations: { ok: true } } };
}

/** The billing segment of a converged deployment: compute and storage while running, storage only while stopped. */
export function segmentFor(d: Claimed) {
  return { billable: true as const, planSlug: d.spec.plan, hourlyRateCentiCents: d.hourlyRateCentiCents, storageGb: storageGb(d.spec), compute: d.spec.state !== 'stopped' };
}
