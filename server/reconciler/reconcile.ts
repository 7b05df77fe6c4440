/**
 * One reconcile pass over one claimed deployment: compare desired with observed and take the next steps.
 * Level-triggered and idempotent — it can be cut off anywhere (crash, lost lease) and the next pass, on any
 * worker, picks up from what Postgres says. Finalizers are written *before* the engines create anything, so a
 * crash right after a creation still knows there is something to destroy.
 *
 * As in controller-runtime, a pass returns its result (converged, requeue after, wait for health) and the worker
 * writes the release; the final state change travels with that release in one fenced statement. Every engine
 * call gets the pass's AbortSignal, which fires when this worker may no longer act (lease not extended, shutdown).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import type { DeploymentOutputs } from '~/db/schema';
import { decryptSecret, encryptSecret } from '../crypto';
import type { EngineDeployment, Engines } from './engines/types';
import { holds, setCondition } from './conditions';
import type { Day2Options } from './health-check';
import { isResync, resync, segmentFor } from './resync';
import { write, type Claimed, type Event, type Patch, type Segment } from './store';
import { storageGb } from '~/lib/pricing';
import { takeFinalSnapshot } from '../snapshots/final';

export type ReconcileContext = {
  db: Db;
  engines: Engines;
  owner: string;
  secretKey: Buffer;
  /** How long after a deletion the engines are checked once more, so a stalled worker's late write is reclaimed. */
  reclaimAfterMs: number;
  /** Continuous resync, drift and health (resync.ts); absent: a converged deployment is not looked at again. */
  day2?: Day2Options;
};

/** What one pass leaves for the worker: `progressed` (a step completed, so the backoff starts over) and the signal. */
export type Pass = { signal: AbortSignal; progressed: boolean };

/** The fenced write that goes out with the release (patch, events, operations, billing). */
export type FinalWrite = { patch?: Patch; events?: Event[]; operations?: { ok: true }; segment?: Segment };
export type Result =
  | { result: 'converged'; write?: FinalWrite }
  | { result: 'requeue'; afterMs: number; write?: FinalWrite }
  | { result: 'waitForHealth'; write?: FinalWrite };

/** Values handed to the delivery engine: the spec plus what the infrastructure produced. */
export function appValues(d: EngineDeployment, outputs: DeploymentOutputs) {
  return {
    image: { tag: d.spec.version },
    memoryMb: d.spec.memoryMb,
    replicas: d.spec.replicas,
    // Stopped: every pod scaled to zero (the chart reads it); the volume and the Service stay.
    stopped: d.spec.state === 'stopped',
    persistence: d.spec.persistence,
    config: d.spec.config,
    endpoint: outputs,
    auth: { existingSecret: `redis-${d.id}` },
  };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

export async function reconcile(ctx: ReconcileContext, d: Claimed, pass: Pass): Promise<Result> {
  const { db, engines, owner } = ctx;
  const { signal } = pass;
  const e: EngineDeployment = {
    id: d.id,
    orgId: d.orgId,
    name: d.name,
    generation: d.generation,
    spec: d.spec,
    tier: d.tier,
    cloudAccountRef: d.cloudAccountRef,
    chartVersion: d.chartVersion,
    restoreFrom: d.restoredFromSnapshotId,
  };
  const progress = (step: string) => (message: string) => write(db, d, owner, { events: [{ step, message }] });
  /** A completed step: recorded with the backoff count reset, since retrying now is retrying the next step. */
  const stepDone = (w: Parameters<typeof write>[3]) => {
    pass.progressed = true;
    return write(db, d, owner, { ...w, patch: { ...w.patch, attempts: 0 } });
  };
  let finalizers = [...d.finalizers];
  let conditions = [...d.conditions];

  // ── after deletion: look once more, so whatever a stalled worker wrote late is removed too ──
  if (d.phase === 'deleted') {
    if ((await engines.delivery.remove(e, progress('reclaim'), signal)) === 'pending') return { result: 'waitForHealth' };
    await engines.infra.destroy(e, progress('reclaim'), signal);
    return { result: 'converged' };
  }

  // ── delete: app first, then infrastructure, then the row ──
  if (d.deletionRequestedAt) {
    if (d.phase !== 'deleting') {
      await write(db, d, owner, {
        patch: { phase: 'deleting' },
        operations: 'running',
        events: [{ step: 'delete', message: 'Deletion started' }],
        segment: { billable: false }, // billing stops when the customer asks for deletion
      });
    }
    // Before anything is removed: the final snapshot the plan keeps (snapshots/final.ts), if one was asked for.
    const snapshotted = await takeFinalSnapshot(db, engines, owner, e, signal);
    if (snapshotted) await stepDone({ events: [snapshotted] });
    if (finalizers.includes('app')) {
      const [state, ms] = await timed(() => engines.delivery.remove(e, progress('app.remove'), signal));
      if (state === 'pending') return { result: 'waitForHealth' };
      finalizers = finalizers.filter((f) => f !== 'app');
      await stepDone({ patch: { finalizers }, events: [{ step: 'app.remove', message: 'Application removed', durationMs: ms }] });
    }
    const events: Event[] = [];
    if (finalizers.includes('infra')) {
      const [, ms] = await timed(() => engines.infra.destroy(e, progress('infra.destroy'), signal));
      finalizers = finalizers.filter((f) => f !== 'infra');
      events.push({ step: 'infra.destroy', message: 'Infrastructure destroyed', durationMs: ms });
    }
    events.push({ step: 'deleted', message: 'Deployment deleted; nothing is left in the engines' });
    return {
      result: 'requeue',
      afterMs: ctx.reclaimAfterMs,
      write: {
        // A finished deletion observes its generation (the delete request bumped it).
        patch: { finalizers, phase: 'deleted', deletedAt: sql`now()` as unknown as Date, observedGeneration: d.generation, secretsEnc: null, lastError: null },
        events,
        operations: { ok: true },
      },
    };
  }

  // ── resync: a live deployment at its applied generation is checked for drift and health (resync.ts) ──
  if (isResync(d)) return resync(ctx, d, e, pass);

  // ── create / update: infrastructure, then the app with the infrastructure's outputs ──
  const phase = d.observedGeneration === 0 ? 'provisioning' : 'updating';
  // Both finalizers go on before either engine is touched; removing what was never made is a no-op.
  const wanted = [...new Set([...finalizers, 'infra', 'app'])];
  // `attempts` was counted when this pass was claimed: above 1, earlier passes at this generation failed.
  const starting = d.phase !== phase && !(d.phase === 'failed' && d.attempts > 1);
  if (starting || wanted.length !== finalizers.length) {
    finalizers = wanted;
    await write(db, d, owner, {
      patch: { phase: starting ? phase : d.phase, finalizers },
      operations: 'running',
      events: starting ? [{ step: phase, message: phase === 'provisioning' ? 'Provisioning started' : `Applying generation ${d.generation}` }] : [],
    });
  }

  let outputs = d.outputs;
  // Stop and start change only the app: the infrastructure applied for the previous generation still holds.
  if (outputs && d.observedSpec && onlyStateChanged(d.observedSpec, d.spec) && holds(conditions, 'InfraReady', d.observedGeneration)) {
    conditions = setCondition(conditions, { type: 'InfraReady', status: true }, d.generation);
  }
  if (!outputs || !d.secretsEnc || !holds(conditions, 'InfraReady', d.generation)) {
    const [result, ms] = await timed(() => engines.infra.apply(e, progress('infra.apply'), signal));
    outputs = result.outputs;
    conditions = setCondition(conditions, { type: 'InfraReady', status: true }, d.generation);
    await stepDone({
      // The engine's cost signal (null when it gives none: the cost model applies); see server/economics/cost.ts.
      patch: { outputs, secretsEnc: encryptSecret(ctx.secretKey, result.secrets.password), conditions, infraHourlyCostCentiCents: result.hourlyCostCentiCents ?? null },
      events: [{ step: 'infra.apply', message: `Infrastructure ready (${engines.infra.name})`, durationMs: ms }],
    });
  } else {
    decryptSecret(ctx.secretKey, d.secretsEnc); // fail loudly here if the key changed, not later in the console
  }

  const events: Event[] = [];
  if (!holds(conditions, 'AppSynced', d.generation)) {
    const [, ms] = await timed(() => engines.delivery.sync(e, appValues(e, outputs), progress('app.sync'), signal));
    conditions = setCondition(conditions, { type: 'AppSynced', status: true }, d.generation);
    events.push({ step: 'app.sync', message: `Application synced (${engines.delivery.name})`, durationMs: ms });
    pass.progressed = true;
  }

  const status = await engines.delivery.status(e, signal);
  const stopped = d.spec.state === 'stopped';
  // Scaled to zero, the app is Healthy (or Suspended) once nothing runs.
  if (status.sync !== 'Synced' || !(status.health === 'Healthy' || (stopped && status.health === 'Suspended'))) {
    // Not an error: look again shortly, without counting an attempt.
    return { result: 'waitForHealth', write: { patch: { conditions }, events } };
  }
  conditions = setCondition(conditions, { type: 'AppHealthy', status: true }, d.generation);
  events.push({ step: stopped ? 'stopped' : 'ready', message: stopped ? `Stopped at generation ${d.generation}: the app is scaled to zero, data and infrastructure are kept` : `Ready at generation ${d.generation}` });
  return {
    result: 'converged',
    write: {
      patch: { phase: stopped ? 'stopped' : 'ready', observedGeneration: d.generation, observedSpec: d.spec, conditions, lastError: null },
      events,
      operations: { ok: true },
      segment: segmentFor(d),
    },
  };
}

/** Disk a persistent deployment is billed for (the same rule the price estimate uses). */
export { storageGb };

/** Whether two specs differ only in running/stopped (absent means running). */
export function onlyStateChanged(a: { state?: string }, b: { state?: string }): boolean {
  const { state: sa, ...ra } = a;
  const { state: sb, ...rb } = b;
  return (sa ?? 'running') !== (sb ?? 'running') && JSON.stringify(ra) === JSON.stringify(rb);
}
