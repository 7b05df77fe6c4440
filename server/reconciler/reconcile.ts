/**
 * One reconcile pass over one claimed deployment: compare desired with observed and take the next steps.
 * Level-triggered and idempotent — it can be cut off anywhere (crash, lost lease) and the next pass, on any
 * worker, picks up from what Postgres says. Finalizers are written *before* the engines create anything, so a
 * crash right after a creation still knows there is something to destroy.
 */
import type { Db } from '~/db/client';
import type { Condition, DeploymentOutputs } from '~/db/schema';
import { decryptSecret, encryptSecret } from '../crypto';
import type { EngineDeployment, Engines } from './engines/types';
import { write, type Claimed, type Event } from './store';

export type ReconcileContext = { db: Db; engines: Engines; owner: string; secretKey: Buffer; healthPollMs: number };

const setCondition = (list: Condition[], c: Omit<Condition, 'at'>): Condition[] => [
  ...list.filter((x) => x.type !== c.type),
  { ...c, at: new Date().toISOString() },
];
/** Conditions record the generation they hold for, so a step done for this generation is not redone. */
const holds = (list: Condition[], type: Condition['type'], generation: number) =>
  list.some((c) => c.type === type && c.status && c.reason === `generation ${generation}`);

/** Values handed to the delivery engine: the spec plus what the infrastructure produced. */
export function appValues(d: EngineDeployment, outputs: DeploymentOutputs) {
  return {
    image: { tag: d.spec.version },
    memoryMb: d.spec.memoryMb,
    replicas: d.spec.replicas,
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

export async function reconcile(ctx: ReconcileContext, d: Claimed): Promise<void> {
  const { db, engines, owner } = ctx;
  const e: EngineDeployment = {
    id: d.id,
    orgId: d.orgId,
    name: d.name,
    generation: d.generation,
    spec: d.spec,
    tier: d.tier,
    cloudAccountRef: d.cloudAccountRef,
    chartVersion: d.chartVersion,
  };
  const progress = (step: string) => (message: string) => write(db, d, owner, { events: [{ step, message }] });
  const pollLater = { at: new Date(Date.now() + ctx.healthPollMs) };
  let finalizers = [...d.finalizers];
  let conditions = [...d.conditions];

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
    if (finalizers.includes('app')) {
      const [state, ms] = await timed(() => engines.delivery.remove(e, progress('app.remove')));
      if (state === 'pending') return write(db, d, owner, { release: pollLater });
      finalizers = finalizers.filter((f) => f !== 'app');
      await write(db, d, owner, { patch: { finalizers }, events: [{ step: 'app.remove', message: 'Application removed', durationMs: ms }] });
    }
    const events: Event[] = [];
    if (finalizers.includes('infra')) {
      const [, ms] = await timed(() => engines.infra.destroy(e, progress('infra.destroy')));
      finalizers = finalizers.filter((f) => f !== 'infra');
      events.push({ step: 'infra.destroy', message: 'Infrastructure destroyed', durationMs: ms });
    }
    events.push({ step: 'deleted', message: 'Deployment deleted; nothing is left in the engines' });
    return write(db, d, owner, {
      patch: { finalizers, phase: 'deleted', deletedAt: new Date(), secretsEnc: null, attempts: 0, lastError: null },
      events,
      operations: { ok: true },
      release: { at: null },
    });
  }

  // ── create / update: infrastructure, then the app with the infrastructure's outputs ──
  const phase = d.observedGeneration === 0 ? 'provisioning' : 'updating';
  // Both finalizers go on before either engine is touched; removing what was never made is a no-op.
  const wanted = [...new Set([...finalizers, 'infra', 'app'])];
  const starting = d.phase !== phase && !(d.phase === 'failed' && d.attempts > 0);
  if (starting || wanted.length !== finalizers.length) {
    finalizers = wanted;
    await write(db, d, owner, {
      patch: { phase: starting ? phase : d.phase, finalizers },
      operations: 'running',
      events: starting ? [{ step: phase, message: phase === 'provisioning' ? 'Provisioning started' : `Applying generation ${d.generation}` }] : [],
    });
  }

  let outputs = d.outputs;
  if (!outputs || !d.secretsEnc || !holds(conditions, 'InfraReady', d.generation)) {
    const [result, ms] = await timed(() => engines.infra.apply(e, progress('infra.apply')));
    outputs = result.outputs;
    conditions = setCondition(conditions, { type: 'InfraReady', status: true, reason: `generation ${d.generation}` });
    await write(db, d, owner, {
      patch: { outputs, secretsEnc: encryptSecret(ctx.secretKey, result.secrets.password), conditions },
      events: [{ step: 'infra.apply', message: `Infrastructure ready (${engines.infra.name})`, durationMs: ms }],
    });
  } else {
    decryptSecret(ctx.secretKey, d.secretsEnc); // fail loudly here if the key changed, not later in the console
  }

  const events: Event[] = [];
  if (!holds(conditions, 'AppSynced', d.generation)) {
    const [, ms] = await timed(() => engines.delivery.sync(e, appValues(e, outputs), progress('app.sync')));
    conditions = setCondition(conditions, { type: 'AppSynced', status: true, reason: `generation ${d.generation}` });
    events.push({ step: 'app.sync', message: `Application synced (${engines.delivery.name})`, durationMs: ms });
  }

  const status = await engines.delivery.status(e);
  if (status.sync !== 'Synced' || status.health !== 'Healthy') {
    // Not an error: look again shortly, without counting an attempt.
    return write(db, d, owner, { patch: { conditions }, events, release: pollLater });
  }
  conditions = setCondition(conditions, { type: 'AppHealthy', status: true, reason: `generation ${d.generation}` });
  events.push({ step: 'ready', message: `Ready at generation ${d.generation}` });
  await write(db, d, owner, {
    patch: { phase: 'ready', observedGeneration: d.generation, observedSpec: d.spec, conditions, attempts: 0, lastError: null },
    events,
    operations: { ok: true },
    release: { converged: true, generation: d.generation },
    segment: { billable: true, planSlug: d.spec.plan, hourlyRateCentiCents: d.hourlyRateCentiCents, storageGb: storageGb(d.spec) },
  });
}

/** Disk a persistent deployment is billed for: twice its memory, at least 1 GB; none without persistence. */
export function storageGb(spec: { persistence: boolean; memoryMb: number }): number {
  return spec.persistence ? Math.max(1, Math.ceil((spec.memoryMb * 2) / 1024)) : 0;
}
