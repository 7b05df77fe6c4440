/**
 * Webhook endpoints (owners and admins): register (the secret is returned once), list, delete, send a test,
 * redeliver, read the delivery log. Delivery itself is the job in deliver.ts.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '~/db/client';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '~/db/schema';
import type { createWebhookInput, deliveryId, webhookId } from '~/lib/inputs/webhooks';
import type { OrgActor } from '../actor';
import { encryptSecret } from '../crypto';
import { AppError } from '../errors';
import { audit, by } from '../services/audit';
import { assertPublicUrl, PrivateAddressError } from './address';

export type WebhookDeps = { secretKey: Buffer; allowPrivate: boolean };

export const MAX_ENDPOINTS_PER_ORG = 10;

const listed = { id: webhookEndpoints.id, url: webhookEndpoints.url, events: webhookEndpoints.events, description: webhookEndpoints.description, createdAt: webhookEndpoints.createdAt };

export async function createWebhook(db: Db, actor: OrgActor, input: z.infer<typeof createWebhookInput>, deps: WebhookDeps) {
  try {
    await assertPublicUrl(input.url, deps.allowPrivate);
  } catch (e) {
    if (e instanceof PrivateAddressError) throw new AppError('BAD_REQUEST', e.message, { field: 'url' });
    throw new AppError('BAD_REQUEST', `${new URL(input.url).hostname} does not resolve. Check the URL.`, { field: 'url' });
  }
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.orgId, actor.orgId)).for('update');
    if (existing.length >= MAX_ENDPOINTS_PER_ORG) throw new AppError('PRECONDITION_FAILED', `An organization can have ${MAX_ENDPOINTS_PER_ORG} webhook endpoints. Delete one first.`);
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ orgId: actor.orgId, url: input.url, events: [...new Set(input.events)], description: input.description ?? '', secretEnc: encryptSecret(deps.secretKey, secret), createdBy: actor.userId })
      .returning(listed);
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'webhook.create', target: row!.id, after: { url: input.url, events: row!.events } });
    return { ...row!, secret };
  });
}

export async function listWebhooks(db: Db, actor: Pick<OrgActor, 'orgId'>) {
  return db.select(listed).from(webhookEndpoints).where(eq(webhookEndpoints.orgId, actor.orgId)).orderBy(desc(webhookEndpoints.createdAt));
}

async function ownEndpoint(db: Db, orgId: string, id: string) {
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId)));
  if (!row) throw new AppError('NOT_FOUND', 'That webhook endpoint does not exist in this organization.');
  return row;
}

export async function deleteWebhook(db: Db, actor: OrgActor, input: z.infer<typeof webhookId>) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, input.webhookId), eq(webhookEndpoints.orgId, actor.orgId))).returning();
    if (!row) throw new AppError('NOT_FOUND', 'That webhook endpoint does not exist in this organization.');
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'webhook.delete', target: row.id, before: { url: row.url, events: row.events } });
    return { id: row.id };
  });
}

/** Queues a `ping` to the endpoint; the job delivers it like any event. */
export async function sendTestWebhook(db: Db, actor: OrgActor, input: z.infer<typeof webhookId>) {
  const endpoint = await ownEndpoint(db, actor.orgId, input.webhookId);
  const payload = { id: `ping_${randomBytes(8).toString('hex')}`, type: 'ping', orgId: actor.orgId, createdAt: new Date().toISOString(), data: { message: 'A test from Plinth. Your endpoint is reachable and verifies signatures if it answered 2xx.' } };
  const [d] = await db.insert(webhookDeliveries).values({ orgId: actor.orgId, endpointId: endpoint.id, type: 'ping', payload }).returning({ id: webhookDeliveries.id });
  return { deliveryId: d!.id };
}

/** Queues the same payload again as a new delivery (the receiver can dedupe on the payload's `id`). */
export async function redeliverWebhook(db: Db, actor: OrgActor, input: z.infer<typeof deliveryId>) {
  const [old] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.orgId, actor.orgId)));
  if (!old) throw new AppError('NOT_FOUND', 'That delivery does not exist in this organization.');
  const [d] = await db
    .insert(webhookDeliveries)
    .values({ orgId: old.orgId, endpointId: old.endpointId, eventId: old.eventId, type: old.type, payload: old.payload })
    .returning({ id: webhookDeliveries.id });
  return { deliveryId: d!.id };
}

/** The newest 50 deliveries of an endpoint, each with its attempts (status code, latency, error). */
export async function listDeliveries(db: Db, actor: Pick<OrgActor, 'orgId'>, input: z.infer<typeof webhookId>) {
  await ownEndpoint(db, actor.orgId, input.webhookId);
  const deliveries = await db
    .select({
      id: webhookDeliveries.id,
      type: webhookDeliveries.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      latencyMs: webhookDeliveries.latencyMs,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      createdAt: webhookDeliveries.createdAt,
      finishedAt: webhookDeliveries.finishedAt,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, input.webhookId), eq(webhookDeliveries.orgId, actor.orgId)))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(50);
  const attempts = deliveries.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.id))).orderBy(webhookAttempts.id)
    : [];
  return deliveries.map((d) => ({ ...d, log: attempts.filter((a) => a.deliveryId === d.id).map(({ at, responseStatus, latencyMs, error }) => ({ at, responseStatus, latencyMs, error })) }));
}
