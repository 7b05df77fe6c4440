/**
 * The REST API's routes: each one is a thin adapter onto the same tRPC procedure the console calls (so the same
 * zod input, the same role check and the same service), plus its documentation. The OpenAPI document
 * (openapi.ts) and the dispatcher (handler.ts) both read this table, and the tests walk it.
 */
import { z } from 'zod';
import { createApiKeyInput } from '~/lib/inputs/api-keys';
import { configInput, createDeploymentInput, listDeploymentsInput, MEMORY_SIZES_MB, restoreSnapshotInput } from '~/lib/inputs/deployments';
import { usageQuery } from '~/lib/inputs/rest';
import { createWebhookInput } from '~/lib/inputs/webhooks';
import { safeString } from '~/lib/safe-string';
import type { OrgRole } from '~/db/schema';
import type { createCaller } from '../api/root';
import { AppError } from '../errors';
import * as s from './schemas';

export type Caller = ReturnType<typeof createCaller>;
export type Method = 'get' | 'post' | 'patch' | 'delete';

/** What a route's `run` gets: the org id (resolved from the path), path params, query, body and preconditions. */
export type RouteArgs = {
  orgId: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** The generation from `If-Match` (an ETag is the generation in quotes), if the request sent one. */
  ifMatch: number | null;
  idempotencyKey: string | null;
};

export type Route = {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: 'Deployments' | 'Catalog' | 'Usage and billing' | 'Members' | 'API keys' | 'Webhooks';
  /** The procedure's role; documented, and checked by the isolation tests against every key role. */
  minRole: Exclude<OrgRole, 'owner'>;
  pathParams?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** True when the route reads `If-Match` (or `expectedGeneration`) and may answer 412/409. */
  precondition?: boolean;
  status: 200 | 201 | 202;
  response: z.ZodType;
  run: (api: Caller, a: RouteArgs) => Promise<unknown>;
};

const deploymentId = z.object({ deploymentId: z.uuid().meta({ description: 'The deployment id.' }) });
const generationBody = { expectedGeneration: z.number().int().min(1).optional().meta({ description: 'The generation you based the change on; or send If-Match.' }) };

export const updateBody = z
  .object({
    plan: safeString().min(1).optional(),
    memoryMb: z.number().int().refine((n) => (MEMORY_SIZES_MB as readonly number[]).includes(n), 'Choose one of the listed memory sizes.').optional(),
    replicas: z.number().int().min(0).max(5).optional(),
    persistence: z.boolean().optional(),
    config: configInput.optional(),
    ...generationBody,
  })
  .meta({ id: 'DeploymentUpdate' });
export const runStateBody = z.object({ ...generationBody }).meta({ id: 'DeploymentRunState' });
export const upgradeBody = z.object({ version: safeString().min(1, 'Choose a version.'), ...generationBody }).meta({ id: 'DeploymentUpgrade' });
export const createBody = createDeploymentInput
  .extend({ idempotencyKey: createDeploymentInput.shape.idempotencyKey.optional().meta({ description: 'Prefer the Idempotency-Key header.' }) })
  .meta({ id: 'DeploymentCreate' });
export const restoreBody = z
  .object({ name: restoreSnapshotInput.shape.name.meta({ description: 'The new deployment’s name.' }) })
  .meta({ id: 'SnapshotRestore' });
const snapshotId = z.object({ snapshotId: z.uuid().meta({ description: 'The snapshot id.' }) });
export const deleteBody = z.object({ confirmName: safeString().min(1, 'Type the deployment name to confirm.').meta({ description: 'The deployment’s name, to confirm.' }) }).meta({ id: 'DeploymentDelete' });

/**
 * The generation a change is based on: If-Match wins over the body. Neither is a client error: a blind write
 * would silently undo someone else's change.
 */
function expected(a: RouteArgs): number {
  if (a.ifMatch !== null) return a.ifMatch;
  const g = a.body.expectedGeneration;
  if (typeof g === 'number') return g;
  throw new AppError('PRECONDITION_FAILED', 'Send If-Match with the deployment’s ETag (its generation, from GET), or expectedGeneration in the body.', { field: 'expectedGeneration' });
}

const rest = <T extends Record<string, unknown>>(o: T, ...drop: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !drop.includes(k)));

const emptyPage = <T>(data: T[]) => ({ data, nextCursor: null });

export const routes: Route[] = [
  {
    method: 'get',
    path: '/orgs/{org}/deployments',
    operationId: 'listDeployments',
    summary: 'List deployments, newest first',
    tag: 'Deployments',
    minRole: 'viewer',
    query: listDeploymentsInput,
    status: 200,
    response: s.page(s.deploymentSummary, 'DeploymentPage'),
    run: async (api, a) => {
      const q = listDeploymentsInput.parse(a.query);
      const data = await api.deployments.list({ orgId: a.orgId, ...q });
      return { data, nextCursor: data.length === q.limit ? data.at(-1)!.id : null };
    },
  },
  {
    method: 'post',
    path: '/orgs/{org}/deployments',
    operationId: 'createDeployment',
    summary: 'Create a deployment',
    tag: 'Deployments',
    minRole: 'member',
    body: createBody,
    status: 202,
    response: s.accepted,
    run: (api, a) =>
      api.deployments.create({ ...(a.body as z.input<typeof createBody>), orgId: a.orgId, idempotencyKey: a.idempotencyKey ?? (a.body.idempotencyKey as string | undefined) ?? crypto.randomUUID() }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/deployments/{deploymentId}',
    operationId: 'getDeployment',
    summary: 'Get a deployment (its ETag is its generation)',
    tag: 'Deployments',
    minRole: 'viewer',
    pathParams: deploymentId,
    status: 200,
    response: s.deployment,
    run: (api, a) => api.deployments.get({ orgId: a.orgId, deploymentId: a.params.deploymentId! }),
  },
  {
    method: 'patch',
    path: '/orgs/{org}/deployments/{deploymentId}',
    operationId: 'updateDeployment',
    summary: 'Change the plan, memory, replicas, persistence or configuration',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    body: updateBody,
    precondition: true,
    status: 202,
    response: s.accepted,
    run: (api, a) => api.deployments.update({ ...(rest(a.body, 'expectedGeneration') as object), orgId: a.orgId, deploymentId: a.params.deploymentId!, expectedGeneration: expected(a) }),
  },
  {
    method: 'post',
    path: '/orgs/{org}/deployments/{deploymentId}/upgrade',
    operationId: 'upgradeDeployment',
    summary: 'Upgrade to a newer version',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    body: upgradeBody,
    precondition: true,
    status: 202,
    response: s.accepted,
    run: (api, a) => api.deployments.upgrade({ orgId: a.orgId, deploymentId: a.params.deploymentId!, version: a.body.version as string, expectedGeneration: expected(a) }),
  },
  {
    method: 'post',
    path: '/orgs/{org}/deployments/{deploymentId}/stop',
    operationId: 'stopDeployment',
    summary: 'Stop: scale the app to zero, keep the infrastructure and data (storage is still billed)',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    body: runStateBody,
    precondition: true,
    status: 202,
    response: s.accepted,
    run: (api, a) => api.deployments.stop({ orgId: a.orgId, deploymentId: a.params.deploymentId!, expectedGeneration: expected(a) }),
  },
  {
    method: 'post',
    path: '/orgs/{org}/deployments/{deploymentId}/start',
    operationId: 'startDeployment',
    summary: 'Start a stopped deployment again',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    body: runStateBody,
    precondition: true,
    status: 202,
    response: s.accepted,
    run: (api, a) => api.deployments.start({ orgId: a.orgId, deploymentId: a.params.deploymentId!, expectedGeneration: expected(a) }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/deployments/{deploymentId}/snapshots',
    operationId: 'listSnapshots',
    summary: 'The deployment’s snapshots, newest first (deleted ones stay listed as the record)',
    tag: 'Deployments',
    minRole: 'viewer',
    pathParams: deploymentId,
    status: 200,
    response: s.page(s.snapshot, 'SnapshotPage'),
    run: async (api, a) => emptyPage((await api.deployments.snapshots({ orgId: a.orgId, deploymentId: a.params.deploymentId! })).snapshots),
  },
  {
    method: 'post',
    path: '/orgs/{org}/deployments/{deploymentId}/snapshots',
    operationId: 'takeSnapshot',
    summary: 'Take a snapshot now (a ready or stopped deployment whose plan includes snapshots; one at a time)',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    status: 202,
    response: s.snapshot,
    run: (api, a) => api.deployments.takeSnapshot({ orgId: a.orgId, deploymentId: a.params.deploymentId! }),
  },
  {
    method: 'post',
    path: '/orgs/{org}/snapshots/{snapshotId}/restore',
    operationId: 'restoreSnapshot',
    summary: 'Restore a snapshot into a new deployment (the live one is never touched)',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: snapshotId,
    body: restoreBody,
    status: 202,
    response: s.accepted,
    run: (api, a) =>
      api.deployments.restoreSnapshot({ orgId: a.orgId, snapshotId: a.params.snapshotId!, name: String(a.body.name ?? ''), idempotencyKey: a.idempotencyKey ?? crypto.randomUUID() }),
  },
  {
    method: 'delete',
    path: '/orgs/{org}/deployments/{deploymentId}',
    operationId: 'deleteDeployment',
    summary: 'Delete a deployment and everything it created',
    tag: 'Deployments',
    minRole: 'member',
    pathParams: deploymentId,
    body: deleteBody,
    status: 202,
    response: s.accepted,
    run: (api, a) => api.deployments.delete({ orgId: a.orgId, deploymentId: a.params.deploymentId!, confirmName: a.body.confirmName as string }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/deployments/{deploymentId}/operations',
    operationId: 'listOperations',
    summary: 'The deployment’s operations, newest first',
    tag: 'Deployments',
    minRole: 'viewer',
    pathParams: deploymentId,
    status: 200,
    response: s.page(s.operation, 'OperationPage'),
    run: async (api, a) => emptyPage((await api.deployments.get({ orgId: a.orgId, deploymentId: a.params.deploymentId! })).operations),
  },
  {
    method: 'get',
    path: '/orgs/{org}/deployments/{deploymentId}/events',
    operationId: 'listDeploymentEvents',
    summary: 'The reconciler’s latest 200 events for the deployment, newest first',
    tag: 'Deployments',
    minRole: 'viewer',
    pathParams: deploymentId,
    status: 200,
    response: s.page(s.deploymentEvent, 'DeploymentEventPage'),
    run: async (api, a) => emptyPage((await api.deployments.get({ orgId: a.orgId, deploymentId: a.params.deploymentId! })).events),
  },
  {
    method: 'get',
    path: '/orgs/{org}/plans',
    operationId: 'listPlans',
    summary: 'Plans, in display order',
    tag: 'Catalog',
    minRole: 'viewer',
    status: 200,
    response: s.page(s.plan, 'PlanPage'),
    run: async (api, a) => emptyPage((await catalogFor(api, a)).plans),
  },
  {
    method: 'get',
    path: '/orgs/{org}/regions',
    operationId: 'listRegions',
    summary: 'Available regions',
    tag: 'Catalog',
    minRole: 'viewer',
    status: 200,
    response: s.page(s.region, 'RegionPage'),
    run: async (api, a) => emptyPage((await catalogFor(api, a)).regions),
  },
  {
    method: 'get',
    path: '/orgs/{org}/versions',
    operationId: 'listVersions',
    summary: 'Versions that can be deployed or upgraded to',
    tag: 'Catalog',
    minRole: 'viewer',
    status: 200,
    response: s.page(s.version, 'VersionPage'),
    run: async (api, a) => emptyPage((await catalogFor(api, a)).versions),
  },
  {
    method: 'get',
    path: '/orgs/{org}/usage',
    operationId: 'getUsage',
    summary: 'Usage over a range, by meter and by deployment',
    tag: 'Usage and billing',
    minRole: 'viewer',
    query: usageQuery,
    status: 200,
    response: s.usage,
    run: (api, a) => api.billing.usage({ orgId: a.orgId, range: usageQuery.parse(a.query) }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/invoices',
    operationId: 'listInvoices',
    summary: 'Invoices of closed months, newest first',
    tag: 'Usage and billing',
    minRole: 'viewer',
    status: 200,
    response: s.page(s.invoice, 'InvoicePage'),
    run: async (api, a) => emptyPage((await api.billing.overview({ orgId: a.orgId })).invoices),
  },
  {
    method: 'get',
    path: '/orgs/{org}/credits',
    operationId: 'listCredits',
    summary: 'The credit balance and ledger, newest first',
    tag: 'Usage and billing',
    minRole: 'viewer',
    status: 200,
    response: s.credits,
    run: async (api, a) => {
      const o = await api.billing.overview({ orgId: a.orgId });
      return { balanceCents: o.creditBalanceCents, data: o.credits, nextCursor: null };
    },
  },
  {
    method: 'get',
    path: '/orgs/{org}/members',
    operationId: 'listMembers',
    summary: 'Members and their roles',
    tag: 'Members',
    minRole: 'viewer',
    status: 200,
    response: s.page(s.member, 'MemberPage'),
    run: async (api, a) => emptyPage(await api.members.list({ orgId: a.orgId })),
  },
  {
    method: 'get',
    path: '/orgs/{org}/api-keys',
    operationId: 'listApiKeys',
    summary: 'The organization’s API keys (never their secrets)',
    tag: 'API keys',
    minRole: 'admin',
    status: 200,
    response: s.page(s.apiKey, 'ApiKeyPage'),
    run: async (api, a) => emptyPage(await api.apiKeys.list({ orgId: a.orgId })),
  },
  {
    method: 'post',
    path: '/orgs/{org}/api-keys',
    operationId: 'createApiKey',
    summary: 'Create a key (for rotation: create the new one, switch, revoke the old one)',
    tag: 'API keys',
    minRole: 'admin',
    body: createApiKeyInput.meta({ id: 'ApiKeyCreate' }),
    status: 201,
    response: s.apiKeyCreated,
    run: (api, a) => api.apiKeys.create({ ...(a.body as z.input<typeof createApiKeyInput>), orgId: a.orgId }),
  },
  {
    method: 'delete',
    path: '/orgs/{org}/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    summary: 'Revoke a key; requests using it are refused from then on',
    tag: 'API keys',
    minRole: 'admin',
    pathParams: z.object({ keyId: z.uuid() }),
    status: 200,
    response: s.revoked,
    run: (api, a) => api.apiKeys.revoke({ orgId: a.orgId, keyId: a.params.keyId! }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/webhooks',
    operationId: 'listWebhooks',
    summary: 'Webhook endpoints (never their secrets)',
    tag: 'Webhooks',
    minRole: 'admin',
    status: 200,
    response: s.page(s.webhook, 'WebhookPage'),
    run: async (api, a) => emptyPage(await api.webhooks.list({ orgId: a.orgId })),
  },
  {
    method: 'post',
    path: '/orgs/{org}/webhooks',
    operationId: 'createWebhook',
    summary: 'Register an endpoint for some events; the answer holds its signing secret, once',
    tag: 'Webhooks',
    minRole: 'admin',
    body: createWebhookInput.meta({ id: 'WebhookCreate' }),
    status: 201,
    response: s.webhookCreated,
    run: (api, a) => api.webhooks.create({ ...(a.body as z.input<typeof createWebhookInput>), orgId: a.orgId }),
  },
  {
    method: 'post',
    path: '/orgs/{org}/webhooks/{webhookId}/test',
    operationId: 'testWebhook',
    summary: 'Queue a signed ping to the endpoint',
    tag: 'Webhooks',
    minRole: 'admin',
    pathParams: z.object({ webhookId: z.uuid() }),
    status: 202,
    response: s.queued,
    run: (api, a) => api.webhooks.test({ orgId: a.orgId, webhookId: a.params.webhookId! }),
  },
  {
    method: 'get',
    path: '/orgs/{org}/webhooks/{webhookId}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The newest 50 deliveries with every attempt (status code, latency, error)',
    tag: 'Webhooks',
    minRole: 'admin',
    pathParams: z.object({ webhookId: z.uuid() }),
    status: 200,
    response: s.page(s.webhookDelivery, 'WebhookDeliveryPage'),
    run: async (api, a) => emptyPage(await api.webhooks.deliveries({ orgId: a.orgId, webhookId: a.params.webhookId! })),
  },
  {
    method: 'post',
    path: '/orgs/{org}/webhook-deliveries/{deliveryId}/redeliver',
    operationId: 'redeliverWebhook',
    summary: 'Queue a delivery’s payload again, as a new delivery',
    tag: 'Webhooks',
    minRole: 'admin',
    pathParams: z.object({ deliveryId: z.uuid() }),
    status: 202,
    response: s.queued,
    run: (api, a) => api.webhooks.redeliver({ orgId: a.orgId, deliveryId: a.params.deliveryId! }),
  },
  {
    method: 'delete',
    path: '/orgs/{org}/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'Delete an endpoint; pending deliveries to it are dropped',
    tag: 'Webhooks',
    minRole: 'admin',
    pathParams: z.object({ webhookId: z.uuid() }),
    status: 200,
    response: s.deleted,
    run: (api, a) => api.webhooks.delete({ orgId: a.orgId, webhookId: a.params.webhookId! }),
  },
];

/**
 * The catalog is public, but the REST API serves it under the org (the key's org), so every route has the same
 * authentication and the isolation tests cover it like the rest. Reading the org first applies the key checks.
 */
async function catalogFor(api: Caller, a: RouteArgs) {
  await api.orgs.get({ orgId: a.orgId });
  const c = await api.catalog.get({ product: 'redis' });
  if (!c) throw new AppError('NOT_FOUND', 'The catalog is empty on this installation.');
  return c;
}
