/** Reads of deployments, always scoped to the caller's org: another org's id is simply not found. */
import { and, desc, eq, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { DEPLOYMENTS_PAGE_SIZE, type ListDeploymentsInput } from '~/lib/inputs/deployments';
import type { Db } from '~/db/client';
import { deploymentEvents, deployments, operations, plans, users } from '~/db/schema';
import { decryptSecret } from '../../crypto';
import { AppError } from '../../errors';
import type { OrgActor } from '../../actor';
import { audit } from '../audit';
import { explain } from './why';

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

/**
 * One page of the list, newest first, with only what the list shows (the whole spec, conditions and full error
 * texts made a 612 KiB answer at 1,000 deployments). Keyset-paginated on (created_at, id) through
 * deployments_org_idx: the cursor is the last row's id, looked up in the caller's org only.
 */
const listColumns = {
  id: deployments.id,
  name: deployments.name,
  planName: plans.name,
  memoryMb: sql<number>`(${deployments.spec}->>'memoryMb')::int`,
  region: sql<string>`${deployments.spec}->>'region'`,
  version: sql<string>`${deployments.spec}->>'version'`,
  phase: deployments.phase,
  generation: deployments.generation,
  observedGeneration: deployments.observedGeneration,
  outputs: deployments.outputs,
  // Shown (truncated) only for failed deployments.
  lastError: sql<string | null>`case when ${deployments.phase} = 'failed' then left(${deployments.lastError}, 300) end`,
  infraEngine: deployments.infraEngine,
  deliveryEngine: deployments.deliveryEngine,
  deletionRequestedAt: deployments.deletionRequestedAt,
  createdAt: deployments.createdAt,
};

function listQuery(db: Db, orgId: Placeholder | string, after?: SQL) {
  return db
    .select(listColumns)
    .from(deployments)
    .innerJoin(plans, eq(plans.id, deployments.planId))
    .where(and(eq(deployments.orgId, orgId), isNull(deployments.deletedAt), after))
    .orderBy(desc(deployments.createdAt), desc(deployments.id));
}

/** The first page, which the console polls while anything is in flight: prepared once per database handle. */
const firstPages = new WeakMap<Db, ReturnType<typeof prepareFirstPage>>();
const prepareFirstPage = (db: Db) => listQuery(db, sql.placeholder('orgId')).limit(sql.placeholder('limit')).prepare('deployments_first_page');

export async function listDeployments(db: Db, actor: Pick<OrgActor, 'orgId'>, input: Partial<ListDeploymentsInput> = {}) {
  const { orgId } = actor;
  const limit = input.limit ?? DEPLOYMENTS_PAGE_SIZE;
  if (!input.cursor) {
    let first = firstPages.get(db);
    if (!first) firstPages.set(db, (first = prepareFirstPage(db)));
    return first.execute({ orgId, limit });
  }
  const [mark] = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(and(eq(deployments.id, input.cursor), eq(deployments.orgId, orgId)));
  if (!mark) throw new AppError('NOT_FOUND', 'That page of the list no longer exists. Reload the list.');
  // Compared in SQL: created_at has microseconds a JS Date would drop.
  const after = sql`(${deployments.createdAt}, ${deployments.id}) < (select m.created_at, m.id from deployments m where m.id = ${mark.id})`;
  return listQuery(db, orgId, after).limit(limit);
}

/**
 * The detail page's three reads (the deployment, its last 200 events, its operations), polled like the list
 * while anything is in flight: prepared once per database handle, so a poll skips building and planning them.
 */
const detailReads = new WeakMap<Db, ReturnType<typeof prepareDetail>>();
function prepareDetail(db: Db) {
  const id = sql.placeholder('id');
  const orgId = sql.placeholder('orgId');
  return {
    deployment: db
      .select({
        ...summaryColumns,
        observedSpec: deployments.observedSpec,
        conditions: deployments.conditions,
        finalizers: deployments.finalizers,
        attempts: deployments.attempts,
        nextReconcileAt: deployments.nextReconcileAt,
        deletedAt: deployments.deletedAt,
        hasSecrets: sql<boolean>`${deployments.secretsEnc} is not null`,
        leaseOwner: deployments.leaseOwner,
        leaseExpiresAt: deployments.leaseExpiresAt,
      })
      .from(deployments)
      .innerJoin(plans, eq(plans.id, deployments.planId))
      .where(and(eq(deployments.id, id), eq(deployments.orgId, orgId)))
      .prepare('deployment_detail'),
    events: db
      .select({ id: deploymentEvents.id, step: deploymentEvents.step, level: deploymentEvents.level, message: deploymentEvents.message, durationMs: deploymentEvents.durationMs, generation: deploymentEvents.generation, at: deploymentEvents.at })
      .from(deploymentEvents)
      .where(and(eq(deploymentEvents.deploymentId, id), eq(deploymentEvents.orgId, orgId)))
      .orderBy(desc(deploymentEvents.id))
      .limit(200)
      .prepare('deployment_detail_events'),
    operations: db
      .select({ id: operations.id, kind: operations.kind, status: operations.status, summary: operations.summary, error: operations.error, generation: operations.generation, createdAt: operations.createdAt, finishedAt: operations.finishedAt, requestedBy: users.email })
      .from(operations)
      .leftJoin(users, eq(users.id, operations.requestedBy))
      .where(and(eq(operations.deploymentId, id), eq(operations.orgId, orgId)))
      .orderBy(desc(operations.createdAt))
      .prepare('deployment_detail_operations'),
  };
}

export async function getDeployment(db: Db, actor: Pick<OrgActor, 'orgId'>, input: { deploymentId: string }) {
  let reads = detailReads.get(db);
  if (!reads) detailReads.set(db, (reads = prepareDetail(db)));
  const params = { id: input.deploymentId, orgId: actor.orgId };
  const [d] = await reads.deployment.execute(params);
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  const [events, ops, why] = await Promise.all([reads.events.execute(params), reads.operations.execute(params), explain(db, d, 'customer')]);
  // Which worker holds the lease is staff's business; the customer gets the sentence.
  const { leaseOwner: _owner, leaseExpiresAt: _lease, ...rest } = d;
  return { ...rest, events, operations: ops, why };
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
