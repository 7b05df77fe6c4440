/**
 * Stop and start. Stopping scales the app to zero and keeps the infrastructure and its data; compute billing
 * stops while storage is still billed (the reconciler writes the segment). Both are ordinary spec changes
 * (`spec.state`, generation + 1, an operation and an audit row) under the same CONFLICT rules as a resize.
 */
import type { z } from 'zod';
import type { Db, Tx } from '~/db/client';
import type { Deployment } from '~/db/schema';
import type { runStateInput } from '~/lib/inputs/deployments';
import { AppError } from '../../errors';
import { assertGeneration, loadForChange, lockActiveOrg, writeSpec, type Actor, type CommandOptions } from './commands';

export type RunState = 'running' | 'stopped';
export const runStateOf = (d: Pick<Deployment, 'spec'>): RunState => d.spec.state ?? 'running';

/** Writes the new run state on a locked deployment (also used when a tenant is suspended or resumed). */
export async function changeRunState(tx: Tx, actor: Actor, d: Deployment, state: RunState, opts: Pick<CommandOptions, 'reason' | 'onBehalfOf'>) {
  if (runStateOf(d) === state) {
    throw new AppError('CONFLICT', state === 'stopped' ? `${d.name} is already stopped.` : `${d.name} is already running.`);
  }
  const by = opts.onBehalfOf === 'staff' ? ' (by Plinth staff)' : '';
  return writeSpec(tx, actor, d, {
    spec: { ...d.spec, state },
    planId: d.planId,
    kind: state === 'stopped' ? 'stop' : 'start',
    summary: state === 'stopped' ? `Stop ${d.name}: scale to zero, keep data${by}` : `Start ${d.name}${by}`,
    reason: opts.reason,
  });
}

async function setRunState(db: Db, actor: Actor, input: z.infer<typeof runStateInput>, state: RunState, opts: CommandOptions) {
  return db.transaction(async (tx) => {
    await lockActiveOrg(tx, actor.orgId, opts);
    const d = await loadForChange(tx, actor.orgId, input.deploymentId);
    await assertGeneration(tx, d, input.expectedGeneration);
    return changeRunState(tx, actor, d, state, opts);
  });
}

/** Stops a deployment: the app scaled to zero, infrastructure and data kept, compute no longer billed. */
export const stopDeployment = (db: Db, actor: Actor, input: z.infer<typeof runStateInput>, opts: CommandOptions) => setRunState(db, actor, input, 'stopped', opts);
/** Starts a stopped deployment again; it is ready (and billed for compute) once the app is healthy. */
export const startDeployment = (db: Db, actor: Actor, input: z.infer<typeof runStateInput>, opts: CommandOptions) => setRunState(db, actor, input, 'running', opts);
