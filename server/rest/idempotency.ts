/**
 * `Idempotency-Key` for REST POSTs: the first answer (anything but a 5xx, which the client should retry) is
 * kept for a day per API key and Idempotency-Key, and a retry with the same key and the same request gets that answer again
 * (marked `Idempotent-Replayed: true`) without running anything; the same key on a different request is a client
 * bug, refused with 422 so it cannot silently return the wrong resource.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { idempotencyKeys } from '~/db/schema';
import { hasUnsafeChars } from '~/lib/safe-string';
import { restError, type RestError } from './errors';

export const IDEMPOTENCY_TTL_HOURS = 24;

export const requestHash = (method: string, path: string, body: string) => createHash('sha256').update(`${method} ${path}\n${body}`).digest('hex');

export function checkKey(key: string): RestError | null {
  if (key.length < 8 || key.length > 100 || hasUnsafeChars(key)) return restError(400, 'BAD_REQUEST', 'Use an Idempotency-Key of 8 to 100 characters, e.g. a UUID.', 'Idempotency-Key');
  return null;
}

export type Stored = { status: number; body: unknown };

/** The stored answer for this key, or a 422 when the key was used for another request, or null (first use). */
export async function lookup(db: Db, apiKeyId: string, key: string, hash: string): Promise<{ replay: Stored } | { mismatch: RestError } | null> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.createdAt} > now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`));
  if (!row) return null;
  if (row.requestHash !== hash) {
    return { mismatch: restError(422, 'UNPROCESSABLE_CONTENT', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.', 'Idempotency-Key') };
  }
  return { replay: { status: row.status, body: row.body } };
}

export async function store(db: Db, apiKeyId: string, key: string, hash: string, answer: Stored): Promise<void> {
  if (answer.status >= 500) return;
  // An expired row with this key is replaced; a concurrent first use keeps whichever answer landed first.
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)));
  await db.insert(idempotencyKeys).values({ apiKeyId, key, requestHash: hash, status: answer.status, body: answer.body as object }).onConflictDoNothing();
}
