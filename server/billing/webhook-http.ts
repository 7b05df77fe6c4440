/**
 * The Stripe webhook endpoint's logic, apart from Next's route file so tests serve it over real HTTP.
 * 400 for a bad signature (Stripe's dashboard shows it); 200 for a processed, duplicate or ignorable event;
 * 500 only when processing failed in a way a retry can fix (Stripe retries it).
 */
import type { Db } from '~/db/client';
import { hasUnsafeChars } from '~/lib/safe-string';
import { logger } from '../observability/logger';
import type { StripeContext } from './stripe';
import { processEvent, verifyWebhook, WebhookSignatureError } from './webhooks';

/** Stripe's own payloads are a few KB; refuse anything absurd before verifying it. */
const MAX_BODY_BYTES = 512 * 1024;

export async function handleStripeWebhook(req: Request, db: () => Promise<Db>, stripe: StripeContext | null): Promise<Response> {
  if (!stripe) return Response.json({ error: 'Stripe is not configured on this installation.' }, { status: 404 });
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: 'Payload too large.' }, { status: 413 });
  }
  const body = await req.text();
  let event;
  try {
    event = verifyWebhook(stripe, body, req.headers.get('stripe-signature'));
  } catch (e) {
    if (e instanceof WebhookSignatureError) return Response.json({ error: `Invalid signature: ${e.message}` }, { status: 400 });
    throw e;
  }
  if (typeof event?.id !== 'string' || typeof event.type !== 'string' || hasUnsafeChars(event.id) || event.id.length > 255) {
    return Response.json({ error: 'Not a Stripe event: it has no id or type.' }, { status: 400 });
  }
  try {
    const fresh = await processEvent(await db(), stripe, event);
    return Response.json({ received: true, duplicate: !fresh });
  } catch (e) {
    logger.error({ err: e, eventId: event.id, eventType: event.type }, 'stripe webhook processing failed');
    return Response.json({ error: 'processing failed; Stripe will retry' }, { status: 500 });
  }
}
