/**
 * Health and auto-recovery of a live deployment. The signal is the delivery engine's health plus the endpoint
 * probe hook. Unhealthy for longer than `degradedAfterMs` → the `Degraded` condition, an event and a recovery
 * action (a restart, or a re-sync where the engine has none), repeated with backoff; after `escalateAfter`
 * recoveries without getting healthy it is escalated (the staff reconciler page lists it) and left for a person.
 */
import type { Condition } from '~/db/schema';
import { setCondition, withoutCondition } from './conditions';
import { day2Event } from './day2-events';
import type { AppStatus, EngineDeployment, ProbeResult } from './engines/types';
import { appValues, type Pass, type ReconcileContext } from './reconcile';
import { write, type Claimed, type Event } from './store';

export type Day2Options = {
  /** Continuous resync interval; 0 = a converged deployment is not looked at again. */
  resyncMs: number;
  degradedAfterMs: number;
  escalateAfter: number;
  /** First delay between recovery actions (doubled each time, capped at the resync interval). */
  recoveryBaseMs?: number;
  /** Injectable clock for the unhealthy-since threshold. */
  now?: () => number;
};

export type HealthOutcome = { conditions: Condition[]; events: Event[]; lookAgainMs: number | null };

/** Whether the app is healthy: the delivery engine's health first, then the endpoint probe (null: no probe). */
function signal(ctx: ReconcileContext, status: AppStatus, probe: ProbeResult | null) {
  if (status.sync !== 'Synced' || status.health !== 'Healthy') {
    return { healthy: false, message: status.message ?? `${ctx.engines.delivery.name} reports ${status.sync}/${status.health}` };
  }
  if (probe && !probe.ok) return { healthy: false, message: `endpoint probe failed: ${probe.message}` };
  return { healthy: true, message: '' };
}

/** `probe` was taken alongside the status (resync.ts asks the engines together), or null. */
export async function checkHealth(
  ctx: ReconcileContext,
  d: Claimed,
  e: EngineDeployment,
  status: AppStatus,
  probe: ProbeResult | null,
  conditions: Condition[],
  pass: Pass,
): Promise<HealthOutcome> {
  const o = ctx.day2!;
  const prev = conditions.find((c) => c.type === 'Degraded');
  const events: Event[] = [];
  // A stopped deployment has no app to be healthy: nothing to watch.
  const h = d.spec.state === 'stopped' ? { healthy: true, message: '' } : signal(ctx, status, probe);
  if (h.healthy) {
    if (!prev) return { conditions, events, lookAgainMs: null };
    if (prev.status) events.push(day2Event('deployment.recovered', d, `Recovered: healthy again after ${prev.recoveries ?? 0} recovery action(s)`));
    return { conditions: withoutCondition(conditions, 'Degraded'), events, lookAgainMs: null };
  }
  const now = (o.now ?? Date.now)();
  if (!prev) {
    events.push({ step: 'health', level: 'warning', message: `Unhealthy: ${h.message}` });
    const next = setCondition(conditions, { type: 'Degraded', status: false, since: new Date(now).toISOString(), message: h.message, recoveries: 0 }, d.generation, new Date(now));
    return { conditions: next, events, lookAgainMs: o.degradedAfterMs };
  }
  const since = Date.parse(prev.since ?? prev.at);
  if (now - since < o.degradedAfterMs) return { conditions, events, lookAgainMs: o.degradedAfterMs - (now - since) };

  const recoveries = prev.recoveries ?? 0;
  if (!prev.status) {
    events.push(day2Event('deployment.degraded', d, `Degraded: unhealthy for ${Math.round((now - since) / 1000)} s: ${h.message}`));
  }
  const cap = o.resyncMs || 3_600_000;
  if (recoveries >= o.escalateAfter) {
    // Escalated: no more automatic actions; keep watching at the resync interval for it to get better.
    const next = setCondition(conditions, { ...prev, status: true, message: h.message }, d.generation, new Date(now));
    return { conditions: next, events, lookAgainMs: cap };
  }
  const progress = (message: string) => write(ctx.db, d, ctx.owner, { events: [{ step: 'recovery', message }] });
  const restart = ctx.engines.delivery.restart;
  if (restart) await restart.call(ctx.engines.delivery, e, progress, pass.signal);
  else await ctx.engines.delivery.sync(e, appValues(e, d.outputs!), progress, pass.signal);
  const count = recoveries + 1;
  events.push({ step: 'recovery', level: 'warning', message: `Recovery action ${count} of ${o.escalateAfter}: ${restart ? 'restarted' : 're-synced'} the app` });
  if (count >= o.escalateAfter) {
    events.push(day2Event('deployment.escalated', d, `Escalated to staff: still unhealthy after ${count} recovery actions (${h.message})`));
  }
  const next = setCondition(conditions, { type: 'Degraded', status: true, since: prev.since, message: h.message, recoveries: count }, d.generation, new Date(now));
  return { conditions: next, events, lookAgainMs: Math.min(cap, (o.recoveryBaseMs ?? 30_000) * 2 ** recoveries) };
}
