/**
 * Drift: what exists no longer matches what was applied. Per plan, `heal` re-applies the desired state and records
 * it; `notify` keeps the `Drifted` condition for the customer and staff to see. Default: heal on shared and
 * dedicated (Plinth's own cloud), notify on BYOC (the customer's account, where someone may have meant it).
 */
import type { Condition } from '~/db/schema';
import { encryptSecret } from '../crypto';
import { day2Event } from './day2-events';
import type { DriftReport, EngineDeployment } from './engines/types';
import { appValues, type Pass, type ReconcileContext } from './reconcile';
import { setCondition } from './conditions';
import { write, type Claimed, type Event, type Patch } from './store';
import { jsonEqual } from '~/lib/equal';

export type DriftPolicy = 'heal' | 'notify';

export function driftPolicy(d: Pick<Claimed, 'tier'> & { driftPolicy?: DriftPolicy | null }): DriftPolicy {
  return d.driftPolicy ?? (d.tier === 'byoc' ? 'notify' : 'heal');
}

/** Acts on a drift report; returns the conditions, patch and events to record (nothing when nothing changed). */
export async function handleDrift(
  ctx: ReconcileContext,
  d: Claimed,
  e: EngineDeployment,
  report: DriftReport,
  conditions: Condition[],
  pass: Pass,
): Promise<{ conditions: Condition[]; patch: Patch; events: Event[] }> {
  const current = conditions.find((c) => c.type === 'Drifted');
  const events: Event[] = [];
  if (!report.drift) {
    if (!current?.status) return { conditions, patch: {}, events };
    events.push({ step: 'drift', message: 'Drift resolved: the infrastructure matches the spec again' });
    return { conditions: setCondition(conditions, { type: 'Drifted', status: false, message: `resolved: ${current.message ?? ''}` }, d.generation), patch: {}, events };
  }
  if (driftPolicy(d) === 'notify') {
    if (current?.status && current.message === report.summary) return { conditions, patch: {}, events }; // already known
    events.push(day2Event('deployment.drifted', d, `Drift detected, not healed (this plan notifies): ${report.summary}`));
    return { conditions: setCondition(conditions, { type: 'Drifted', status: true, message: report.summary }, d.generation), patch: {}, events };
  }
  // heal: re-apply the desired state, then the app if the infrastructure's outputs changed with it.
  events.push(day2Event('deployment.drifted', d, `Drift detected: ${report.summary}`));
  await write(ctx.db, d, ctx.owner, { events: [...events] });
  events.length = 0;
  const progress = (message: string) => write(ctx.db, d, ctx.owner, { events: [{ step: 'drift.heal', message }] });
  const healed = await ctx.engines.infra.apply(e, progress, pass.signal);
  const patch: Patch = {};
  if (!jsonEqual(healed.outputs, d.outputs)) {
    await ctx.engines.delivery.sync(e, appValues(e, healed.outputs), progress, pass.signal);
    patch.outputs = healed.outputs;
  }
  patch.secretsEnc = encryptSecret(ctx.secretKey, healed.secrets.password);
  pass.progressed = true;
  events.push(day2Event('deployment.drift_healed', d, `Drift healed: re-applied the desired state (${ctx.engines.infra.name})`));
  return { conditions: setCondition(conditions, { type: 'Drifted', status: false, message: `healed: ${report.summary}` }, d.generation), patch, events };
}
