/**
 * The REST API's response shapes, as zod schemas: the OpenAPI document is generated from them, and every
 * response is parsed through its schema before it is sent (unknown fields are dropped), so what the document
 * says and what the API answers cannot drift apart.
 */
import { z } from 'zod';
import type { DeploymentPhase } from '~/db/schema';
import { DEPLOYMENT_PHASES } from '~/lib/inputs/rest';

// The API documents exactly the phases the database has: a phase added to one and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const phasesMatch: Same<(typeof DEPLOYMENT_PHASES)[number], DeploymentPhase> = true;
void phasesMatch;

const at = z.iso.datetime({ offset: true });
const nullableAt = at.nullable();

export const errorBody = z
  .object({
    code: z.string().meta({ description: 'A stable code: BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, …', example: 'CONFLICT' }),
    message: z.string().meta({ description: 'What went wrong and what to do, for a person to read.' }),
    field: z.string().nullable().meta({ description: 'The request field at fault, when one is.' }),
  })
  .meta({ id: 'Error' });

const endpoint = z.object({ host: z.string(), port: z.number().int(), tls: z.boolean() }).nullable();

const specSchema = z
  .object({
    plan: z.string(),
    version: z.string(),
    region: z.string(),
    memoryMb: z.number().int(),
    replicas: z.number().int(),
    persistence: z.boolean(),
    config: z.object({ maxmemoryPolicy: z.string(), timeoutSeconds: z.number().int() }),
  })
  .meta({ id: 'DeploymentSpec' });

export const deploymentSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    planName: z.string(),
    memoryMb: z.number().int(),
    region: z.string(),
    version: z.string(),
    phase: z.enum(DEPLOYMENT_PHASES),
    generation: z.number().int().meta({ description: 'Bumped by every accepted change; send it back in If-Match.' }),
    observedGeneration: z.number().int().meta({ description: 'The generation the running deployment has converged to.' }),
    outputs: endpoint,
    lastError: z.string().nullable(),
    deletionRequestedAt: nullableAt,
    createdAt: at,
  })
  .meta({ id: 'DeploymentSummary' });

export const deployment = z
  .object({
    id: z.uuid(),
    name: z.string(),
    planName: z.string(),
    spec: specSchema,
    observedSpec: specSchema.nullable(),
    phase: z.enum(DEPLOYMENT_PHASES),
    generation: z.number().int(),
    observedGeneration: z.number().int(),
    outputs: endpoint,
    lastError: z.string().nullable(),
    conditions: z.array(z.object({ type: z.string(), status: z.boolean(), reason: z.string().optional(), at: z.string() })),
    deletionRequestedAt: nullableAt,
    deletedAt: nullableAt,
    createdAt: at,
    updatedAt: at,
  })
  .meta({ id: 'Deployment' });

export const accepted = z
  .object({ id: z.uuid(), generation: z.number().int().optional(), created: z.boolean().optional() })
  .meta({ id: 'Accepted', description: 'The change was recorded; the reconciler applies it. Poll the deployment for its phase.' });

export const operation = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.string(),
    summary: z.string(),
    error: z.string().nullable(),
    generation: z.number().int(),
    createdAt: at,
    finishedAt: nullableAt,
    requestedBy: z.string().nullable(),
  })
  .meta({ id: 'Operation' });

export const deploymentEvent = z
  .object({ id: z.number().int(), step: z.string(), level: z.string(), message: z.string(), durationMs: z.number().int().nullable(), generation: z.number().int(), at })
  .meta({ id: 'DeploymentEvent' });

export const plan = z
  .object({
    slug: z.string(),
    name: z.string(),
    summary: z.string(),
    tier: z.string(),
    monthlyPriceCents: z.number().int(),
    hourlyRateCentiCents: z.number().int(),
    limits: z.object({ maxDeployments: z.number().int().nullable(), memoryMb: z.number().int(), storageGb: z.number().int(), replicas: z.number().int(), persistence: z.boolean(), maxConnections: z.number().int() }),
  })
  .meta({ id: 'Plan' });
export const region = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Region' });
export const version = z.object({ version: z.string(), status: z.string(), releasedAt: at }).meta({ id: 'Version' });

export const member = z.object({ userId: z.uuid(), email: z.string(), name: z.string(), role: z.string(), joinedAt: at }).meta({ id: 'Member' });

export const apiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    role: z.string(),
    createdAt: at,
    createdByEmail: z.string(),
    expiresAt: nullableAt,
    lastUsedAt: nullableAt,
    lastUsedIp: z.string().nullable(),
    revokedAt: nullableAt,
  })
  .meta({ id: 'ApiKey' });
export const apiKeyCreated = z
  .object({ id: z.uuid(), name: z.string(), prefix: z.string(), role: z.string(), expiresAt: nullableAt, createdAt: at, key: z.string().meta({ description: 'The secret. Shown in this answer only.' }) })
  .meta({ id: 'ApiKeyCreated' });
export const revoked = z.object({ id: z.uuid(), revokedAt: nullableAt }).meta({ id: 'RevokedApiKey' });

export const invoice = z
  .object({
    id: z.uuid(),
    periodStart: at,
    periodEnd: at,
    status: z.string(),
    currency: z.string(),
    subtotalCents: z.number().int(),
    creditsAppliedCents: z.number().int(),
    totalCents: z.number().int(),
    lines: z.array(z.object({ description: z.string(), quantity: z.number(), unit: z.string(), amountCents: z.number().int(), kind: z.string() })),
    paidAt: nullableAt,
  })
  .meta({ id: 'Invoice' });

export const creditEntry = z
  .object({ id: z.uuid(), kind: z.string(), amountCents: z.number().int(), currency: z.string(), reason: z.string(), expiresAt: nullableAt, createdAt: at })
  .meta({ id: 'CreditEntry' });

export const credits = z.object({ balanceCents: z.number().int(), data: z.array(creditEntry), nextCursor: z.null() }).meta({ id: 'Credits' });

export const usage = z
  .object({
    series: z.array(z.object({ at, meter: z.string(), quantity: z.number(), amountCentiCents: z.number() })),
    byDeployment: z.array(z.object({ deploymentId: z.uuid(), name: z.string(), hours: z.number(), gbHours: z.number(), amountCentiCents: z.number() })),
  })
  .meta({ id: 'Usage' });

/** A page of a list: `nextCursor` is null on the last page; pass it back as `?cursor=` for the next. */
export const snapshot = z
  .object({
    id: z.uuid(),
    deploymentId: z.uuid(),
    kind: z.enum(['scheduled', 'manual', 'final']).meta({ description: 'Daily (scheduled), taken on request (manual), or left by a deletion (final).' }),
    status: z.enum(['pending', 'available', 'failed', 'deleted']),
    sizeBytes: z.number().int().nullable(),
    createdAt: at,
    completedAt: nullableAt,
    expiresAt: nullableAt.meta({ description: 'When it is deleted (the plan’s retention after it was taken).' }),
    error: z.string().nullable(),
  })
  .meta({ id: 'Snapshot' });

export const page = <T extends z.ZodType>(item: T, id: string) => z.object({ data: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const webhook = z
  .object({ id: z.uuid(), url: z.string(), events: z.array(z.string()), description: z.string(), createdAt: at })
  .meta({ id: 'Webhook' });
export const webhookCreated = webhook.extend({ secret: z.string().meta({ description: 'The signing secret (whsec_…). Shown in this answer only.' }) }).meta({ id: 'WebhookCreated' });
export const webhookDelivery = z
  .object({
    id: z.uuid(),
    type: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: at,
    finishedAt: nullableAt,
    log: z.array(z.object({ at, responseStatus: z.number().int().nullable(), latencyMs: z.number().int(), error: z.string().nullable() })),
  })
  .meta({ id: 'WebhookDelivery' });
export const queued = z.object({ deliveryId: z.uuid() }).meta({ id: 'QueuedDelivery' });
export const deleted = z.object({ id: z.uuid() }).meta({ id: 'Deleted' });
