import { getBilling } from '~/server/billing';
import { processEvent, verifyWebhook, WebhookSignatureError } from '~/server/billing/webhooks';
import { getDb } from '~/server/db';
import { logger } from '~/server/observability/logger';

/** Stripe → Plinth. Raw body for the signature; 400 on a bad one (Stripe shows it), 500 makes Stripe retry. */
export async function POST(req: Request) {
  const stripe = getBilling().stripe;
  if (!stripe) return Response.json({ error: 'Stripe is not configured on this installation.' }, { status: 404 });
  const body = await req.text();
  let event;
  try {
    event = verifyWebhook(stripe, body, req.headers.get('stripe-signature'));
  } catch (e) {
    if (e instanceof WebhookSignatureError) return Response.json({ error: `Invalid signature: ${e.message}` }, { status: 400 });
    throw e;
  }
  try {
    const fresh = await processEvent(await getDb(), stripe, event);
    return Response.json({ received: true, duplicate: !fresh });
  } catch (e) {
    logger.error({ err: e, eventId: event.id, eventType: event.type }, 'stripe webhook processing failed');
    return Response.json({ error: 'processing failed; Stripe will retry' }, { status: 500 });
  }
}
