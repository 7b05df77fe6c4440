/** Reads of deployments, always scoped to the caller's org: another org's id is simply not found. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deploymentEvents, deployments, operations, plans, users } from '~/db/schema';
import { decryptSecret } from '../../crypto';
import { AppError } from '../../errors';
import type { OrgActor } from '../../actor';
import { audit } from '../audit';

const summaryColumns = {
  id: deployments.id,
  name: deployments.name,
  spec: deployments.spec,
  planName: plans.name,
  phase: deployments.phase,
  generation: deployments.generation,
  observedGeneration: deployments.observedGeneration,
  outputs: deployments.outputs,
  lastError: deployments.lastError,
  infraEngine: deployments.infraEngine,
  deliveryEngine: deployments.deliveryEngine,
  deletionRequestedAt: deployments.deletionRequestedAt,
  createdAt: deployments.createdAt,
  updatedAt: deployments.updatedAt,
};

export async function listDeployments(db: Db, actor: Pick<OrgActor, 'orgId'>) {
  const { orgId } = actor;
  return db
    .select(summaryColumns)
    .from(deployments)
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .where(and(eq(deployments.orgId, orgId), isNull(deployments.deletedAt)))
    .orderBy(desc(deployments.createdAt));
}

export async function getDeployment(db: Db, actor: Pick<OrgActor, 'orgId'>, input: { deploymentId: string }) {
  const { orgId } = actor;
  const id = input.deploymentId;
  const [d] = await db
    .select({
      ...summaryColumns,
      observedSpec: deployments.observedSpec,
      conditions: deployments.conditions,
      finalizers: deployments.finalizers,
      attempts: deployments.attempts,
      nextReconcileAt: deployments.nextReconcileAt,
      deletedAt: deployments.deletedAt,
      hasSecrets: deployments.secretsEnc,
    })
    .from(deployments)
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .where(and(eq(deployments.id, id), eq(deployments.orgId, orgId)));
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  const [events, ops] = await Promise.all([
    db
      .select({ id: deploymentEvents.id, step: deploymentEvents.step, level: deploymentEvents.level, message: deploymentEvents.message, durationMs: deploymentEvents.durationMs, generation: deploymentEvents.generation, at: deploymentEvents.at })
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.deploymentId, id), eq(deploymentEvents.orgId, orgId)))
      .orderBy(desc(deploymentEvents.id))
      .limit(200),
    db
      .select({ id: operations.id, kind: operations.kind, status: operations.status, summary: operations.summary, error: operations.error, generation: operations.generation, createdAt: operations.createdAt, finishedAt: operations.finishedAt, requestedBy: users.email })
      .from(operations)
      .leftJoin(users, eq(users.id, operations.requestedBy))
      .where(and(eq(operations.deploymentId, id), eq(operations.orgId, orgId)))
      .orderBy(desc(operations.createdAt)),
  ]);
  const { hasSecrets, ...rest } = d;
  return { ...rest, hasSecrets: !!hasSecrets, events, operations: ops };
}

/** Decrypts the deployment's password for a member who asked to see it, and records that they did. */
export async function revealCredentials(db: Db, actor: OrgActor, input: { deploymentId: string }, deps: { secretKey: Buffer }) {
  const [d] = await db
    .select({ secretsEnc: deployments.secretsEnc, outputs: deployments.outputs })
    .from(deployments)
    .where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, actor.orgId), isNull(deployments.deletedAt)));
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  if (!d.secretsEnc || !d.outputs) throw new AppError('PRECONDITION_FAILED', 'Credentials appear once the infrastructure is ready.');
  await audit(db, { actorId: actor.userId, orgId: actor.orgId, action: 'deployment.credentials_reveal', target: input.deploymentId });
  const password = decryptSecret(deps.secretKey, d.secretsEnc);
  const { host, port, tls } = d.outputs;
  return { username: 'default', password, url: `${tls ? 'rediss' : 'redis'}://default:${encodeURIComponent(password)}@${host}:${port}` };
}
