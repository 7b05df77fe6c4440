/**
 * One reconcile pass over one claimed deployment: compare desired with observed and take the next steps.
 * Level-triggered and idempotent — it can be cut off anywhere (crash, lost lease) and the next pass, on any
 * worker, picks up from what Postgres says. Finalizers are written *before* the engine creates anything, so a
 * crash right after creation still knows there is something to destroy.
 */
import type { Condition, DeploymentOutputs } from '~/db/schema';
import { decryptSecret, encryptSecret } from '../crypto';
import type { EngineDeployment, Engines } from './engines/types';
import { fencedUpdate, markOperationsRunning, recordEvent, release, settleOperations, type Claimed } from './store';
import type { Db } from '~/db/client';

export type ReconcileContext = { db: Db; engines: Engines; owner: string; secretKey: Buffer; healthPollMs: number };

const setCondition = (list: Condition[], c: Omit<Condition, 'at'>): Condition[] => [
  ...list.filter((x) => x.type !== c.type),
  { ...c, at: new Date().toISOString() },
];
const conditionAt = (list: Condition[], type: Condition['type'], generation: number) =>
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

export async function reconcile(ctx: ReconcileContext, d: Claimed): Promise<void> {
  const { db, engines, owner } = ctx;
  const e: EngineDeployment = { id: d.id, orgId: d.orgId, name: d.name, generation: d.generation, spec: d.spec, tier: d.tier };
  const event = (step: string, message: string, extra: { level?: 'info' | 'warning' | 'error'; durationMs?: number } = {}) =>
    recordEvent(db, d, { step, message, ...extra });
  const progress = (step: string) => (message: string) => event(step, message);
  const timed = async <T>(step: string, done: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await work();
    await event(step, done, { durationMs: Date.now() - started });
    return result;
  };
  let finalizers = [...d.finalizers];
  let conditions = [...d.conditions];

  // ── delete: app first, then infrastructure, then the row ──
  if (d.deletionRequestedAt) {
    if (d.phase !== 'deleting') {
      await fencedUpdate(db, d.id, owner, { phase: 'deleting' });
      await markOperationsRunning(db, d.id);
      await event('delete', 'Deletion started');
    }
    if (finalizers.includes('app')) {
      const state = await timed('app.remove', 'Application removed', () => engines.delivery.remove(e, progress('app.remove')));
      if (state === 'pending') return release(db, d.id, owner, {}, { at: new Date(Date.now() + ctx.healthPollMs) });
      finalizers = finalizers.filter((f) => f !== 'app');
      await fencedUpdate(db, d.id, owner, { finalizers });
    }
    if (finalizers.includes('infra')) {
      await timed('infra.destroy', 'Infrastructure destroyed', () => engines.infra.destroy(e, progress('infra.destroy')));
      finalizers = finalizers.filter((f) => f !== 'infra');
      await fencedUpdate(db, d.id, owner, { finalizers });
    }
    await settleOperations(db, d.id, d.generation, { ok: true });
    await event('deleted', 'Deployment deleted; nothing is left in the engines');
    return release(db, d.id, owner, { phase: 'deleted', deletedAt: new Date(), secretsEnc: null, attempts: 0, lastError: null }, { at: null });
  }

  // ── create / update: infrastructure, then the app with the infrastructure's outputs ──
  const phase = d.observedGeneration === 0 ? 'provisioning' : 'updating';
  if (d.phase !== phase && !(d.phase === 'failed' && d.attempts > 0)) {
    await fencedUpdate(db, d.id, owner, { phase });
    await markOperationsRunning(db, d.id);
    await event(phase, phase === 'provisioning' ? 'Provisioning started' : `Applying generation ${d.generation}`);
  }

  let outputs = d.outputs;
  let password = d.secretsEnc ? decryptSecret(ctx.secretKey, d.secretsEnc) : null;
  if (!outputs || !password || !conditionAt(conditions, 'InfraReady', d.generation)) {
    if (!finalizers.includes('infra')) {
      finalizers = [...finalizers, 'infra'];
      await fencedUpdate(db, d.id, owner, { finalizers });
    }
    const result = await timed('infra.apply', `Infrastructure ready (${engines.infra.name})`, () => engines.infra.apply(e, progress('infra.apply')));
    outputs = result.outputs;
    password = result.secrets.password;
    conditions = setCondition(conditions, { type: 'InfraReady', status: true, reason: `generation ${d.generation}` });
    await fencedUpdate(db, d.id, owner, { outputs, secretsEnc: encryptSecret(ctx.secretKey, password), conditions });
  }

  if (!conditionAt(conditions, 'AppSynced', d.generation)) {
    if (!finalizers.includes('app')) {
      finalizers = [...finalizers, 'app'];
      await fencedUpdate(db, d.id, owner, { finalizers });
    }
    await timed('app.sync', `Application synced (${engines.delivery.name})`, () => engines.delivery.sync(e, appValues(e, outputs), progress('app.sync')));
    conditions = setCondition(conditions, { type: 'AppSynced', status: true, reason: `generation ${d.generation}` });
    await fencedUpdate(db, d.id, owner, { conditions });
  }

  const status = await engines.delivery.status(e);
  if (status.sync !== 'Synced' || status.health !== 'Healthy') {
    // Not an error: check again shortly, without counting an attempt.
    return release(db, d.id, owner, {}, { at: new Date(Date.now() + ctx.healthPollMs) });
  }
  conditions = setCondition(conditions, { type: 'AppHealthy', status: true, reason: `generation ${d.generation}` });
  await settleOperations(db, d.id, d.generation, { ok: true });
  await event('ready', `Ready at generation ${d.generation}`);
  await release(
    db,
    d.id,
    owner,
    { phase: 'ready', observedGeneration: d.generation, observedSpec: d.spec, conditions, attempts: 0, lastError: null },
    { converged: true, generation: d.generation },
  );
}
